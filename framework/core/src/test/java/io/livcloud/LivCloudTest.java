package io.livcloud;

import static io.livcloud.testing.TestPluginBuilder.plugin;
import static io.livcloud.testing.TestSources.hypervisorFactory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.testing.TestSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API, used the way an application would: a real plugin archive, a real configuration file. */
class LivCloudTest {

    private static final String URI_SETTING = TestSources.uriAndPasswordSettings(true);

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @TempDir
    Path work;

    @Test
    void createsAnExtensionWithItsPluginDefaultsAndTheUsersConfiguration() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha", URI_SETTING))
                .resource("reference.conf", "livcloud.extensions.hypervisor.alpha.uri = \"qemu:///default\"\n")
                .buildZip(plugins);

        try (LivCloud livCloud = builder().build(); Hypervisor hypervisor = livCloud.hypervisor("alpha")) {
            assertThat(hypervisor).hasToString("test hypervisor at qemu:///default");
        }
        Path config = write("livcloud.conf", "livcloud.extensions.hypervisor.alpha.uri = \"qemu+tcp://10.99.1.2/system\"\n");
        try (LivCloud livCloud = builder().configFile(config).build(); Hypervisor hypervisor = livCloud.hypervisor("alpha")) {
            assertThat(hypervisor).hasToString("test hypervisor at qemu+tcp://10.99.1.2/system");
        }
    }

    @Test
    void startupListsEveryProblemAtOnce() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha", URI_SETTING))
                .buildFolder(plugins);
        Path config = write("livcloud.conf", """
                livcloud {
                  log-levl = debug
                  migration.hypervisor = alfa
                  extensions.hypervisor.alpha.port = 5
                }
                """);

        assertThatThrownBy(() -> builder().configFile(config).build())
                .isInstanceOfSatisfying(LivCloudStartupException.class, startup -> assertThat(startup.getProblems())
                        .hasSize(4)
                        .anySatisfy(problem -> assertThat(problem).contains(config + ":2").contains("livcloud.log-levl")
                                .contains("did you mean 'log-level'?"))
                        .anySatisfy(problem -> assertThat(problem).isEqualTo(config + ":4: "
                                + "livcloud.extensions.hypervisor.alpha.port: unknown key; remove it or use one of: "
                                + "password, uri"))
                        .anySatisfy(problem -> assertThat(problem).contains("livcloud.extensions.hypervisor.alpha.uri"))
                        .anySatisfy(problem -> assertThat(problem).isEqualTo(config + ":3: livcloud.migration.hypervisor: "
                                + "hypervisor extension 'alfa' is not provided by any started plugin; did you mean "
                                + "'alpha'?")));
    }

    @Test
    void aFailedPluginTheConfigurationUsesStopsStartupWithItsReason() throws IOException {
        plugin("kvm").descriptor("plugin.requires", ">=9.0.0").buildFolder(plugins);
        Path config = write("livcloud.conf", "livcloud.migration.hypervisor = kvm\n");

        assertThatThrownBy(() -> builder().configFile(config).build())
                .isInstanceOfSatisfying(LivCloudStartupException.class, startup -> assertThat(startup.getProblems())
                        .containsExactly(config + ":1: livcloud.migration.hypervisor: hypervisor extension 'kvm' "
                                + "is not provided by any started plugin; plugin 'kvm' (" + plugins.resolve("kvm")
                                + ") cannot be used: requires LivCloud >=9.0.0 (plugin.requires), but this is LivCloud "
                                + LivCloudVersion.spiVersion() + "; install a build of the plugin made for LivCloud "
                                + LivCloudVersion.spiVersion()));
    }

    @Test
    void aReferenceNoPluginMatchesNamesEveryFailedPlugin() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        Files.writeString(plugins.resolve("hypervisors.zip"), "not a zip");
        Path config = write("livcloud.conf", "livcloud.migration.hypervisor = libvirt\n");

        assertThatThrownBy(() -> builder().configFile(config).build())
                .isInstanceOfSatisfying(LivCloudStartupException.class, startup -> assertThat(startup.getProblems())
                        .containsExactly(config + ":1: livcloud.migration.hypervisor: hypervisor extension 'libvirt' "
                                + "is not provided by any started plugin; installed: alpha; plugin 'hypervisors' ("
                                + plugins.resolve("hypervisors.zip") + ") cannot be used: not a readable plugin zip "
                                + "(ZipException: zip END header not found); replace it with the plugin's release zip"));
    }

    @Test
    void aFailedPluginNobodyUsesDoesNotStopStartup() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        Files.writeString(plugins.resolve("broken.zip"), "not a zip");

        try (LivCloud livCloud = builder().build()) {
            assertThat(livCloud.plugins()).extracting(PluginStatus::id, PluginStatus::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("alpha", PluginState.STARTED),
                            org.assertj.core.groups.Tuple.tuple("broken", PluginState.FAILED));
            assertThat(livCloud.problems()).isEmpty();
        }
    }

    @Test
    void requiredPluginThatFailedStopsStartup() throws IOException {
        Files.writeString(plugins.resolve("kvm.zip"), "not a zip");
        Path config = write("livcloud.conf", "livcloud.plugins.required = [kvm]\n");

        assertThatThrownBy(() -> builder().configFile(config).build())
                .isInstanceOfSatisfying(LivCloudStartupException.class, startup -> assertThat(startup.getProblems())
                        .containsExactly(config + ":1: livcloud.plugins.required: plugin 'kvm' is required but cannot be used: "
                                + "not a readable plugin zip (ZipException: zip END header not found); replace it with "
                                + "the plugin's release zip"));
    }

    @Test
    void diagnosticModeStartsAndReportsTheProblems() throws IOException {
        Path config = write("livcloud.conf", "livcloud.migration.tunnel = strongswan\n");

        try (LivCloud livCloud = builder().configFile(config).diagnosticMode().build()) {
            assertThat(livCloud.problems()).containsExactly(config + ":1: livcloud.migration.tunnel: tunnel "
                    + "extension 'strongswan' is not provided by any started plugin; no installed plugin provides any "
                    + "tunnel extension");
            assertThat(livCloud.selectedExtensions()).containsEntry(ExtensionKind.TUNNEL, "strongswan");
        }
    }

    @Test
    void unknownOrUnsupportedExtensionsGiveClearErrors() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha", """
                    @Override
                    public Support isSupported(ExtensionConfig config) {
                        return Support.no("libvirt is not installed", "apt-get install libvirt0");
                    }
                """)).buildFolder(plugins);

        try (LivCloud livCloud = builder().build()) {
            assertThatThrownBy(() -> livCloud.hypervisor("alpah"))
                    .isInstanceOf(LivCloudException.class)
                    .hasMessage("no hypervisor extension named 'alpah'; did you mean 'alpha'?");
            assertThatThrownBy(() -> livCloud.hypervisor("alpha"))
                    .isInstanceOfSatisfying(LivCloudException.class, failure -> {
                        assertThat(failure).hasMessage("hypervisor extension 'alpha' cannot work here: libvirt is "
                                + "not installed");
                        assertThat(failure.remedy()).isEqualTo("apt-get install libvirt0");
                    });
            assertThat(livCloud.plugins().get(0).extensions().get(0).support().reason())
                    .isEqualTo("libvirt is not installed");
        }
    }

    @Test
    void aSiteReachesItsProviderWithItsDeclaredSettingsButNoSecrets() throws IOException {
        plugin("clouds").source("c.CloudFactory", TestSources.recordingProviderFactory("c", "CloudFactory", "cloud"))
                .buildFolder(plugins);
        Path config = write("livcloud.conf", """
                livcloud.sites.east {
                  provider = cloud
                  location = eu-west-3
                  vm-subnet = "10.99.10.0/24"
                  zones = [a, b]
                  password = hunter2
                }
                """);

        try (LivCloud livCloud = builder().configFile(config).build()) {
            assertThat(livCloud.siteNames()).containsExactly("east");
            assertThat(livCloud.siteProvider("east")).isEqualTo("cloud");
            assertThat(livCloud.provisionSite("east").attributes()).isEqualTo(Map.of(
                    "location", "eu-west-3", "vm-subnet", "10.99.10.0/24", "zones", "a,b",
                    "spec.location", "eu-west-3", "spec.vm-subnet", "10.99.10.0/24"));
            assertThat(livCloud.tearDownSite("east", true).removed()).containsExactly("all of east");
            assertThatThrownBy(() -> livCloud.provisionSite("eats"))
                    .isInstanceOf(LivCloudException.class)
                    .hasMessage("no site named 'eats' in livcloud.sites; did you mean 'east'?");
        }
    }

    @Test
    void extensionsUseTheHostServicesThroughTheirContext() throws IOException {
        plugin("alpha").source("a.AlphaFactory", """
                package a;

                import io.livcloud.spi.*;
                import io.livcloud.spi.hypervisor.*;
                import java.util.Map;

                @org.pf4j.Extension
                public class AlphaFactory implements HypervisorFactory {
                    @Override
                    public String name() {
                        return "alpha";
                    }

                    @Override
                    public Hypervisor create(ExtensionConfig config, ExtensionContext context) {
                        context.secrets().put("psk", Secret.of("s3cr3t-value"));
                        context.events().emit(new Event(context.clock().instant(), "hypervisor/alpha", "test.created",
                                "created in " + context.workDirectory(), Map.of("plugin", context.pluginId())));
                        return new Hypervisor() {
                            @Override
                            public HypervisorConnection connect(String uri) {
                                throw new UnsupportedOperationException();
                            }

                            @Override
                            public void close() {
                            }
                        };
                    }
                }
                """).buildFolder(plugins);
        List<Event> events = new ArrayList<>();

        try (LivCloud livCloud = builder().build()) {
            livCloud.subscribe(events::add);
            livCloud.hypervisor("alpha").close();
        }

        Path pluginState = state.resolve("plugins").resolve("alpha");
        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo("test.created");
            assertThat(event.message()).isEqualTo("created in " + pluginState.resolve("work"));
            assertThat(event.attributes()).isEqualTo(Map.of("plugin", "alpha"));
        });
        Path secret = pluginState.resolve("secrets").resolve("psk");
        assertThat(Files.readString(secret)).isEqualTo("s3cr3t-value");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret.getParent())))
                .isEqualTo("rwx------");
    }

    private LivCloud.Builder builder() {
        return LivCloud.builder()
                .pluginsDirectory(plugins)
                .stateDirectory(state)
                .environment(Map.of("HOME", work.toString()))
                .systemProperties(Map.of());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content);
    }
}
