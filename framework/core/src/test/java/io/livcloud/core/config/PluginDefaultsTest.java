package io.livcloud.core.config;

import static io.livcloud.core.config.ConfigFixtures.load;
import static io.livcloud.core.config.ConfigFixtures.plugin;
import static io.livcloud.core.config.ConfigFixtures.sources;
import static io.livcloud.core.config.ConfigFixtures.write;
import static io.livcloud.core.config.TestExtensions.SETTINGS;
import static io.livcloud.core.config.TestExtensions.SITE_SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDefaultsTest {

    private static final PluginDefaults KVM_PLUGIN = plugin("kvm", """
            livcloud.extensions.hypervisor.kvm {
              uri = "qemu:///system"
              connect-timeout = 30s
              parallel-connections = 2
            }
            """, Map.of(ExtensionKind.HYPERVISOR, Set.of("kvm")));

    @TempDir
    Path directory;

    @Test
    void defaultsFillTheExtensionSectionUnderTheUsersValues() {
        Path file = write(directory, """
                livcloud.migration.hypervisor = kvm
                livcloud.extensions.hypervisor.kvm.parallel-connections = 8
                """);

        LivCloudConfig config = load(file).withPluginDefaults(List.of(KVM_PLUGIN));
        ExtensionConfig kvm = config.extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM);

        assertThat(config.validateExtensions(SETTINGS, SITE_SETTINGS)).isEmpty();
        assertThat(kvm.string("uri")).contains("qemu:///system");
        assertThat(kvm.duration("connect-timeout")).contains(Duration.ofSeconds(30));
        assertThat(kvm.integer("parallel-connections")).hasValue(8);
        assertThat(kvm.origin("connect-timeout")).isEqualTo("reference.conf of plugin kvm:3");
        assertThat(kvm.origin("parallel-connections")).isEqualTo(file + ":2");
        assertThat(config.sources()).containsExactly(
                "configuration file " + file, "reference.conf of plugin kvm", "reference.conf of livcloud core");
    }

    @Test
    void keysOutsideThePluginsOwnExtensionsAreProblemsAndIgnored() {
        PluginDefaults greedy = plugin("kvm", """
                livcloud.log-level = debug
                livcloud.extensions.hypervisor.kvm.uri = "qemu:///system"
                livcloud.extensions.tunnel.strongswan.psk = "guessable"
                livcloud.extensions.hypervisor = { vsphere.host = h }
                akka.loglevel = DEBUG
                """, Map.of(ExtensionKind.HYPERVISOR, Set.of("kvm")));

        LivCloudConfig config = LivCloudConfig.load(sources()).withPluginDefaults(List.of(greedy));

        String rule = ", outside its own extensions; plugins may only set livcloud.extensions.<kind>.<their extension>"
                + " (plugin kvm may set livcloud.extensions.hypervisor.kvm)";
        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "reference.conf of plugin kvm:1: livcloud.log-level: reference.conf of plugin kvm sets "
                        + "livcloud.log-level" + rule,
                "reference.conf of plugin kvm:3: livcloud.extensions.tunnel.strongswan.psk: reference.conf of plugin "
                        + "kvm sets livcloud.extensions.tunnel.strongswan.psk" + rule,
                "reference.conf of plugin kvm:4: livcloud.extensions.hypervisor.vsphere.host: reference.conf of "
                        + "plugin kvm sets livcloud.extensions.hypervisor.vsphere.host" + rule,
                "reference.conf of plugin kvm:5: akka.loglevel: reference.conf of plugin kvm sets akka.loglevel"
                        + rule);
        assertThat(config.logLevel()).isEqualTo("warn");
        assertThat(config.originOf("livcloud.extensions.tunnel.strongswan.psk")).isEmpty();
        assertThat(config.originOf("livcloud.extensions.hypervisor.kvm.uri"))
                .isEqualTo("reference.conf of plugin kvm:2");
    }

    @Test
    void aPluginWithoutExtensionsMaySetNothing() {
        PluginDefaults empty = plugin("helper", "livcloud.log-level = debug", Map.of());

        LivCloudConfig config = LivCloudConfig.load(sources()).withPluginDefaults(List.of(empty));

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "reference.conf of plugin helper:1: livcloud.log-level: reference.conf of plugin helper sets "
                        + "livcloud.log-level, outside its own extensions; plugins may only set "
                        + "livcloud.extensions.<kind>.<their extension> (plugin helper provides no extensions)");
        assertThat(config.sources()).containsExactly("reference.conf of livcloud core");
    }

    @Test
    void aPluginsSubstitutionsResolveAgainstItsOwnFileAndTheEnvironment() {
        PluginDefaults substituting = plugin("kvm", """
                livcloud.extensions.hypervisor.kvm {
                  socket = ${HOME}"/libvirt.sock"
                  uri = "qemu+unix:///system?socket="${livcloud.extensions.hypervisor.kvm.socket}
                }
                """, Map.of(ExtensionKind.HYPERVISOR, Set.of("kvm")));

        ExtensionConfig kvm = LivCloudConfig.load(sources())
                .withPluginDefaults(List.of(substituting))
                .extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM);

        assertThat(kvm.string("uri")).contains("qemu+unix:///system?socket=/home/tester/libvirt.sock");
    }

    @Test
    void aPluginWhoseDefaultsCannotBeResolvedContributesNone() {
        PluginDefaults broken = plugin("kvm", """
                livcloud.extensions.hypervisor.kvm {
                  uri = ${NO_SUCH_VARIABLE}
                }
                """, Map.of(ExtensionKind.HYPERVISOR, Set.of("kvm")));

        LivCloudConfig config = LivCloudConfig.load(sources()).withPluginDefaults(List.of(broken));

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "reference.conf of plugin kvm:2: cannot be resolved, so plugin kvm contributes no defaults: Could "
                        + "not resolve substitution to a value: ${NO_SUCH_VARIABLE}");
    }

    @Test
    void pluginDefaultsAreReplacedNotAccumulated() {
        PluginDefaults strongswan = plugin("strongswan", "livcloud.extensions.tunnel.strongswan.charon-socket = /x",
                Map.of(ExtensionKind.TUNNEL, Set.of("strongswan")));

        LivCloudConfig config = LivCloudConfig.load(sources())
                .withPluginDefaults(List.of(KVM_PLUGIN))
                .withPluginDefaults(List.of(strongswan));

        assertThat(config.sources()).containsExactly(
                "reference.conf of plugin strongswan", "reference.conf of livcloud core");
        assertThat(config.originOf("livcloud.extensions.hypervisor.kvm.uri")).isEmpty();
    }

    @Test
    void theLoadProblemsRemain() {
        Path missing = directory.resolve("missing.conf");

        LivCloudConfig config = load(missing).withPluginDefaults(List.of(KVM_PLUGIN));

        assertThat(config.problems()).extracting(ConfigProblem::toString).containsExactly(
                "configuration file " + missing + " does not exist; create it or drop --config / LIVCLOUD_CONFIG");
    }
}
