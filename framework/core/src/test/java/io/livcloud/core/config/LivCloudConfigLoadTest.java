package io.livcloud.core.config;

import static io.livcloud.core.config.ConfigFixtures.HOME;
import static io.livcloud.core.config.ConfigFixtures.load;
import static io.livcloud.core.config.ConfigFixtures.sources;
import static io.livcloud.core.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.ExtensionKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivCloudConfigLoadTest {

    @TempDir
    Path directory;

    @Test
    void defaultsWithoutAnyFile() {
        LivCloudConfig config = LivCloudConfig.load(sources());

        assertThat(config.problems()).isEmpty();
        assertThat(config.stateDirectory()).isEqualTo(Path.of(HOME, ".livcloud"));
        assertThat(config.logLevel()).isEqualTo("warn");
        assertThat(config.pluginDirectories()).isEmpty();
        assertThat(config.disabledPlugins()).isEmpty();
        assertThat(config.requiredPlugins()).isEmpty();
        assertThat(config.selectedExtensions()).isEmpty();
        assertThat(config.sites()).isEmpty();
        assertThat(config.sources()).containsExactly("reference.conf of livcloud core");
        assertThat(config.originOf("livcloud.log-level")).isEqualTo("reference.conf of livcloud core:15");
    }

    @Test
    void readsTheUserFile() {
        Path file = write(directory, """
                livcloud {
                  state-directory = "~/state"
                  log-level = info
                  plugins {
                    directories = ["~/plugins", "/opt/livcloud/plugins"]
                    disabled = [vsphere]
                    required = [kvm, aws]
                  }
                  migration {
                    hypervisor = kvm
                    tunnel = strongswan
                  }
                  sites {
                    paris { provider = aws, region = eu-west-3 }
                    london { provider = azure }
                  }
                }
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).isEmpty();
        assertThat(config.stateDirectory()).isEqualTo(Path.of(HOME, "state"));
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.pluginDirectories())
                .containsExactly(Path.of(HOME, "plugins"), Path.of("/opt/livcloud/plugins"));
        assertThat(config.disabledPlugins()).containsExactly("vsphere");
        assertThat(config.requiredPlugins()).containsExactly("aws", "kvm");
        assertThat(config.selectedExtensions()).isEqualTo(Map.of(
                ExtensionKind.HYPERVISOR, "kvm",
                ExtensionKind.TUNNEL, "strongswan"));
        assertThat(config.sites()).containsOnlyKeys("london", "paris");
        assertThat(config.sites().get("paris"))
                .isEqualTo(new SiteDefinition("paris", "aws", file + ":14"));
        assertThat(config.sources())
                .containsExactly("configuration file " + file, "reference.conf of livcloud core");
        assertThat(config.originOf("livcloud.plugins.disabled")).isEqualTo(file + ":6");
        assertThat(config.originOf("livcloud.no-such-key")).isEmpty();
    }

    @Test
    void missingUserFile() {
        Path missing = directory.resolve("livcloud.conf");

        LivCloudConfig config = load(missing);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "configuration file " + missing + " does not exist; create it or drop --config / LIVCLOUD_CONFIG");
        assertThat(config.logLevel()).isEqualTo("warn");
    }

    @Test
    void userFileThatIsADirectory() {
        LivCloudConfig config = load(directory);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "configuration file " + directory + " is not a regular file; point --config / LIVCLOUD_CONFIG at a file");
    }

    @Test
    void syntaxErrorWithFileAndLine() {
        Path file = write(directory, """
                livcloud {
                  log-level = info
                  plugins {
                    disabled = [kvm
                  }
                }
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(file
                + ":5: cannot be parsed: List should have had new element after a comma, instead had token: '}' "
                + "(if you want the comma or '}' to be part of a string value, then double-quote it)");
        // Nothing of a file that cannot be parsed is used.
        assertThat(config.logLevel()).isEqualTo("warn");
        assertThat(config.sources()).containsExactly("reference.conf of livcloud core");
    }

    @Test
    void unresolvedSubstitutionsAreAllReportedAndReplacedByDefaults() {
        Path file = write(directory, """
                livcloud {
                  state-directory = ${STATE}"/livcloud"
                  log-level = ${LEVEL}
                  plugins.directories = [${?PLUGINS}]
                }
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                file + ":2: livcloud.state-directory: cannot resolve ${STATE}: there is no setting STATE and no "
                        + "environment variable STATE; define one, or write ${?STATE} to make it optional",
                file + ":3: livcloud.log-level: cannot resolve ${LEVEL}: there is no setting LEVEL and no "
                        + "environment variable LEVEL; define one, or write ${?LEVEL} to make it optional");
        assertThat(config.stateDirectory()).isEqualTo(Path.of(HOME, ".livcloud"));
        assertThat(config.logLevel()).isEqualTo("warn");
        assertThat(config.pluginDirectories()).isEmpty();
    }

    @Test
    void onlyTheLivcloudTreeIsResolved() {
        Path file = write(directory, """
                a = ${b}
                b = ${a}
                base = /data
                livcloud.log-level = info
                livcloud.state-directory = ${base}"/livcloud"
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                file + ":1: a: unknown key; LivCloud reads only the livcloud section, remove it",
                file + ":2: b: unknown key; LivCloud reads only the livcloud section, remove it",
                file + ":3: base: unknown key; LivCloud reads only the livcloud section, remove it",
                file + ":5: livcloud.state-directory: cannot resolve ${base}: there is no setting base and no "
                        + "environment variable base; define one, or write ${?base} to make it optional");
        assertThat(config.logLevel()).isEqualTo("info");
    }

    @Test
    void substitutionsResolveAgainstTheGivenEnvironmentAndTheTree() {
        Path file = write(directory, """
                livcloud {
                  state-directory = ${DATA}"/livcloud"
                  plugins.directories = [${livcloud.state-directory}"/plugins"]
                }
                """);

        LivCloudConfig config = LivCloudConfig.load(sources()
                .withEnvironment(Map.of("HOME", HOME, "DATA", "/data"))
                .withUserFile(file));

        assertThat(config.problems()).isEmpty();
        assertThat(config.stateDirectory()).isEqualTo(Path.of("/data/livcloud"));
        assertThat(config.pluginDirectories()).containsExactly(Path.of("/data/livcloud/plugins"));
    }

    @Test
    void environmentOverridesWinOverTheFile() {
        Path file = write(directory, """
                livcloud.log-level = info
                livcloud.plugins.disabled = [vsphere]
                """);

        LivCloudConfig config = LivCloudConfig.load(sources()
                .withEnvironment(Map.of(
                        "HOME", HOME,
                        "CONFIG_FORCE_livcloud_log__level", "debug",
                        "CONFIG_FORCE_livcloud_plugins_disabled_0", "kvm",
                        "CONFIG_FORCE_livcloud_plugins_disabled_1", "aws"))
                .withUserFile(file));

        assertThat(config.problems()).isEmpty();
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.disabledPlugins()).containsExactly("aws", "kvm");
        assertThat(config.originOf("livcloud.log-level"))
                .isEqualTo("environment variable CONFIG_FORCE_livcloud_log__level");
        assertThat(config.sources()).containsExactly(
                "environment variables CONFIG_FORCE_livcloud_log__level, CONFIG_FORCE_livcloud_plugins_disabled_0, "
                        + "CONFIG_FORCE_livcloud_plugins_disabled_1",
                "configuration file " + file,
                "reference.conf of livcloud core");
    }

    @Test
    void systemPropertiesWinOverTheFileButNotOverTheEnvironment() {
        Path file = write(directory, """
                livcloud.log-level = info
                livcloud.state-directory = /var/lib/livcloud
                """);

        LivCloudConfig config = LivCloudConfig.load(sources()
                .withEnvironment(Map.of("HOME", HOME, "CONFIG_FORCE_livcloud_log__level", "trace"))
                .withSystemProperties(Map.of(
                        "livcloud.log-level", "error",
                        "livcloud.state-directory", "/srv/livcloud",
                        "user.dir", "/ignored"))
                .withUserFile(file));

        assertThat(config.problems()).isEmpty();
        assertThat(config.logLevel()).isEqualTo("trace");
        assertThat(config.stateDirectory()).isEqualTo(Path.of("/srv/livcloud"));
        assertThat(config.originOf("livcloud.state-directory")).isEqualTo("system property livcloud.state-directory");
    }

    @Test
    void wrongOverridesNameTheirVariable() {
        LivCloudConfig config = LivCloudConfig.load(sources()
                .withEnvironment(Map.of(
                        "HOME", HOME,
                        "CONFIG_FORCE_livcloud_log__level", "loud",
                        "CONFIG_FORCE_livcloud____x", "1",
                        "CONFIG_FORCE_LIVCLOUD_LOG__LEVEL", "debug",
                        "CONFIG_FORCE_akka_loglevel", "DEBUG")));

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "environment variable CONFIG_FORCE_LIVCLOUD_LOG__LEVEL: LIVCLOUD: unknown key; did you mean 'livcloud'?",
                "environment variable CONFIG_FORCE_livcloud____x: has 4 underscores in a row, which name no key; "
                        + "write _ for '.', __ for '-' and ___ for '_'; it is ignored",
                "environment variable CONFIG_FORCE_livcloud_log__level: livcloud.log-level: must be one of off, "
                        + "error, warn, info, debug, trace; found 'loud'");
        assertThat(config.logLevel()).isEqualTo("warn");
    }

    @Test
    void inlineTextIsLayeredOverTheFile() {
        Path file = write(directory, """
                livcloud.log-level = info
                livcloud.plugins.disabled = [vsphere]
                """);

        LivCloudConfig config = LivCloudConfig.load(sources()
                .withUserFile(file)
                .withInlineText("""
                        # embedded
                        livcloud.log-level = debug
                        """));

        assertThat(config.problems()).isEmpty();
        assertThat(config.logLevel()).isEqualTo("debug");
        assertThat(config.disabledPlugins()).containsExactly("vsphere");
        assertThat(config.originOf("livcloud.log-level")).isEqualTo("inline configuration:2");
        assertThat(config.originOf("livcloud.plugins.disabled")).isEqualTo(file + ":2");
        assertThat(config.sources()).containsExactly(
                "inline configuration", "configuration file " + file, "reference.conf of livcloud core");
    }

    @Test
    void inlineTextSyntaxError() {
        LivCloudConfig config = LivCloudConfig.load(sources().withInlineText("livcloud {\nlog-level = \n"));

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "inline configuration:3: cannot be parsed: Expecting a value but got wrong token: end of file");
    }

    @Test
    void severalProblemsInOneFileAreReportedTogetherInOrder() {
        Path file = write(directory, """
                livcoud.log-level = info
                livcloud {
                  log-levl = debug
                  log-level = verbose
                  plugins {
                    disabled = kvm
                    requird = [aws]
                  }
                  migration.hypervisr = kvm
                  extensions.hypervsor.kvm {}
                  sites.paris { region = eu-west-3 }
                  state-directory = []
                }
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                file + ":1: livcoud: unknown key; did you mean 'livcloud'?",
                file + ":3: livcloud.log-levl: unknown key; did you mean 'log-level'?",
                file + ":4: livcloud.log-level: must be one of off, error, warn, info, debug, trace; found 'verbose'",
                file + ":6: livcloud.plugins.disabled: must be a list of strings such as [\"a\", \"b\"]; found 'kvm'",
                file + ":7: livcloud.plugins.requird: unknown key; did you mean 'required'?",
                file + ":9: livcloud.migration.hypervisr: unknown key; did you mean 'hypervisor'?",
                file + ":10: livcloud.extensions.hypervsor: unknown extension kind; did you mean 'hypervisor'?",
                file + ":11: livcloud.sites.paris.provider: required but not set (The provider extension that "
                        + "manages this site, e.g. aws); add provider = ... under livcloud.sites.paris in the "
                        + "configuration file, or set the environment variable "
                        + "CONFIG_FORCE_livcloud_sites_paris_provider",
                file + ":12: livcloud.state-directory: must be a path; found a list");
        // Wrong core values fall back to their defaults; a site without provider is left out.
        assertThat(config.logLevel()).isEqualTo("warn");
        assertThat(config.disabledPlugins()).isEmpty();
        assertThat(config.stateDirectory()).isEqualTo(Path.of(HOME, ".livcloud"));
        assertThat(config.sites()).isEmpty();
    }

    @Test
    void unknownKeysWithoutACloseMatchListTheKnownOnes() {
        Path file = write(directory, """
                unrelated = 1
                livcloud {
                  plugins.folders = []
                  extensions.storage {}
                }
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                file + ":1: unrelated: unknown key; LivCloud reads only the livcloud section, remove it",
                file + ":3: livcloud.plugins.folders: unknown key; remove it or use one of: directories, disabled, "
                        + "required",
                file + ":4: livcloud.extensions.storage: unknown extension kind; use one of: provider, tunnel, "
                        + "hypervisor, register-probe");
    }

    @Test
    void nullUnsetsAValue() {
        Path file = write(directory, """
                livcloud.log-level = null
                livcloud.plugins = null
                livcloud.migration.hypervisor = null
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).isEmpty();
        assertThat(config.logLevel()).isEqualTo("warn");
        assertThat(config.disabledPlugins()).isEmpty();
        assertThat(config.selectedExtensions()).isEmpty();
    }

    @Test
    void homeFromUserHomeWhenTheEnvironmentHasNone() {
        LivCloudConfig config = LivCloudConfig.load(ConfigSources.empty()
                .withSystemProperties(Map.of("user.home", "/home/other")));

        assertThat(config.stateDirectory()).isEqualTo(Path.of("/home/other/.livcloud"));
    }

    @Test
    void tildeWithoutAnyHomeIsAProblem() {
        LivCloudConfig config = LivCloudConfig.load(ConfigSources.empty());

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "reference.conf of livcloud core:12: livcloud.state-directory: starts with ~ but the home directory "
                        + "is unknown (no HOME environment variable and no user.home system property); write an "
                        + "absolute path");
    }

    @Test
    void problemsNeverShowSecretLookingValues() {
        Path file = write(directory, """
                livcloud.sites.paris {
                  provider = aws
                }
                livcloud.plugins.token = hunter2
                """);

        LivCloudConfig config = load(file);

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                file + ":4: livcloud.plugins.token: unknown key; remove it or use one of: directories, disabled, "
                        + "required");
    }
}
