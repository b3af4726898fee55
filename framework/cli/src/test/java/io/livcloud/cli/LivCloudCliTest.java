package io.livcloud.cli;

import static io.livcloud.testing.TestPluginBuilder.plugin;
import static io.livcloud.testing.TestSources.hypervisorFactory;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.LivCloudVersion;
import io.livcloud.cli.CliRun.Result;
import io.livcloud.testing.TestSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line run in-process against real plugin archives and configuration files. */
class LivCloudCliTest {

    private static final String SECRET_SETTINGS = TestSources.uriAndPasswordSettings(false);

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @TempDir
    Path home;

    @Test
    void versionNamesTheBuild() {
        Result result = run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines().findFirst()).contains("livcloud " + LivCloudVersion.version());
    }

    @Test
    void pluginsAsJsonListsStartedAndFailedPlugins() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildZip(plugins);
        Files.writeString(plugins.resolve("broken.zip"), "not a zip");

        Result result = run("plugins", "--output", "json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.PLUGIN_FAILURE);
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.get("plugins")).hasSize(2);
        JsonNode alpha = document.get("plugins").get(0);
        assertThat(alpha.get("id").asText()).isEqualTo("alpha");
        assertThat(alpha.get("state").asText()).isEqualTo("STARTED");
        assertThat(alpha.get("path").asText()).isEqualTo(plugins.resolve("alpha.zip").toString());
        assertThat(alpha.get("failure").isNull()).isTrue();
        assertThat(alpha.get("extensions").get(0).get("kind").asText()).isEqualTo("hypervisor");
        assertThat(alpha.get("extensions").get(0).get("name").asText()).isEqualTo("alpha");
        assertThat(alpha.get("extensions").get(0).get("supported").asBoolean()).isTrue();
        JsonNode broken = document.get("plugins").get(1);
        assertThat(broken.get("state").asText()).isEqualTo("FAILED");
        assertThat(broken.get("failure").asText()).isEqualTo("not a readable plugin zip (ZipException: zip END "
                + "header not found); replace it with the plugin's release zip");
        assertThat(document.get("problems")).isEmpty();
    }

    @Test
    void pluginsAsTextShowsEachFailureOnItsOwnLine() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        Files.writeString(plugins.resolve("broken.zip"), "not a zip");

        Result result = run("plugins");

        assertThat(result.out()).contains("alpha   1.0.0  STARTED   " + plugins.resolve("alpha"))
                .contains("    hypervisor 'alpha': usable here")
                .contains("broken  -      FAILED    " + plugins.resolve("broken.zip"))
                .contains("    failed: not a readable plugin zip");
    }

    @Test
    void configCheckAcceptsAValidConfiguration() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        Path config = Files.writeString(home.resolve("livcloud.conf"), "livcloud.migration.hypervisor = alpha\n");

        Result result = run("config", "check", "--config", config.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Configuration is valid.").contains(config.toString());
    }

    @Test
    void configCheckListsEveryProblemWithFileAndLine() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        Path config = Files.writeString(home.resolve("livcloud.conf"), """
                livcloud {
                  migration.hypervisor = alpah
                  plugins.directorys = []
                }
                """);

        Result result = run("config", "check", "--config", config.toString(), "--output", "json");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        JsonNode document = new ObjectMapper().readTree(result.out());
        assertThat(document.get("valid").asBoolean()).isFalse();
        List<String> problems = new ArrayList<>();
        document.get("problems").forEach(problem -> problems.add(problem.asText()));
        assertThat(problems).hasSize(2)
                .anySatisfy(problem -> assertThat(problem).startsWith(config + ":3: livcloud.plugins.directorys")
                        .contains("did you mean 'directories'?"))
                .contains(config + ":2: livcloud.migration.hypervisor: hypervisor extension 'alpah' is not "
                        + "provided by any started plugin; did you mean 'alpha'?");
    }

    @Test
    void configShowNeverPrintsASecret() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha", SECRET_SETTINGS))
                .buildFolder(plugins);
        Path config = Files.writeString(home.resolve("livcloud.conf"),
                "livcloud.extensions.hypervisor.alpha { uri = \"qemu:///system\", password = \"hunter2-very-secret\" }\n");

        Result result = run("config", "show", "--config", config.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("qemu:///system").contains("******").doesNotContain("hunter2-very-secret");
        assertThat(result.err()).doesNotContain("hunter2-very-secret");
    }

    @Test
    void theDefaultConfigurationFileIsTheInstallationsOwn() throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve("livcloud.conf"), "livcloud.log-level = loud\n");

        Result result = run("config", "check");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        assertThat(result.out()).contains(home.resolve("conf").resolve("livcloud.conf") + ":1: livcloud.log-level");
    }

    @Test
    void unknownCommandIsAUsageErrorWithASuggestion() {
        Result result = run("plugin");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("Unmatched argument at index").contains("plugins");
    }

    @Test
    void everyCommandHasHelp() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("plugins"), List.of("config"), List.of("config", "check"),
                List.of("config", "show"), List.of("completion"), List.of("migrate"), List.of("probe"), List.of("site"),
                List.of("site", "create"), List.of("site", "list"), List.of("site", "destroy"))) {
            List<String> arguments = new ArrayList<>(command);
            arguments.add("--help");
            Result result = run(arguments.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", arguments)).isZero();
            assertThat(result.out()).as(String.join(" ", arguments)).startsWith("Usage: livcloud");
        }
    }

    @Test
    void commandGroupsOnTheClassPathAreAddedBeforeCompletionAndHelp() {
        Result help = run("--help");
        assertThat(help.out()).contains("greet", "A command another jar adds");
        assertThat(help.out().indexOf("greet")).isBetween(help.out().indexOf("probe"),
                help.out().indexOf("completion"));

        Result greet = run("greet", "--name", "a");
        assertThat(greet.exitCode()).isZero();
        assertThat(greet.out()).isEqualTo("hello a, from " + home + "\n");
    }

    @Test
    void migrateNeedsAHypervisorSelected() {
        Result result = run("migrate", "guest", "--from", "a", "--to", "b");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).isEqualTo("livcloud: no hypervisor extension is selected\n"
                + "  fix: set livcloud.migration.hypervisor = kvm\n");
    }

    @Test
    void probeShowsTheVerdictTheEvidenceAndTheRemedies() throws IOException {
        plugin("probes").source("p.HostProbe", TestSources.pvmRegisterProbeFactory("p", "HostProbe", "host"))
                .buildFolder(plugins);

        Result text = run("probe", "--no-functional-test");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).isEqualTo("""
                Target: this host
                Verdict: PVM, accelerator TCG, speed EMULATED, platform KVM guest
                Evidence:
                  cpu flag vmx  absent  [/proc/cpuinfo] functional test false
                What would enable more:
                  - boot a PVM guest kernel: PVM instead of SOFTWARE
                """);

        Result json = run("probe", "--output", "json");
        JsonNode document = new ObjectMapper().readTree(json.out());
        assertThat(document.get("verdict").asText()).isEqualTo("PVM");
        assertThat(document.get("evidence").get(0).get("note").asText()).isEqualTo("functional test true");
    }

    @Test
    void probeOfACloudInstanceTypeNeedsAWorkingProvider() {
        Result result = run("probe", "--cloud", "ec2", "--instance-type", "c4.large");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).startsWith("livcloud: no provider extension named 'ec2';");
    }

    @Test
    void completionScriptCoversTheCommands() {
        Result result = run("completion");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("complete -F").contains("plugins").contains("config");
    }

    private Result run(String... arguments) {
        return new CliRun(home, plugins, state).run(arguments);
    }
}
