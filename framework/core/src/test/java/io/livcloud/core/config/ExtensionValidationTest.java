package io.livcloud.core.config;

import static io.livcloud.core.config.ConfigFixtures.load;
import static io.livcloud.core.config.ConfigFixtures.write;
import static io.livcloud.core.config.TestExtensions.SETTINGS;
import static io.livcloud.core.config.TestExtensions.SITE_SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionValidationTest {

    @TempDir
    Path directory;

    @Test
    void validConfigurationHasNoProblems() {
        Path file = write(directory, """
                livcloud {
                  migration { hypervisor = kvm, tunnel = strongswan }
                  sites.paris { provider = aws, region = eu-west-3, vpc = vpc-1 }
                  sites.london { provider = azure, resource-group = livcloud }
                  extensions {
                    hypervisor.kvm {
                      uri = "qemu+ssh://root@host/system"
                      connect-timeout = 30s
                      migration-bandwidth = 256MiB
                      parallel-connections = 4
                      compressed = yes
                      socket = "~/libvirt.sock"
                      cache = writeback
                      features = [postcopy, auto-converge]
                      tuning { max-downtime = 300, flags = [a, b] }
                      tls.verify = false
                      password = "s3cret"
                    }
                    tunnel.strongswan.psk = "pre-shared"
                    provider.aws { access-key-id = AKIA }
                  }
                }
                """);

        assertThat(load(file).validateExtensions(SETTINGS, SITE_SETTINGS)).isEmpty();
    }

    @Test
    void unknownExtensionNames() {
        Path file = write(directory, """
                livcloud.extensions {
                  hypervisor.kmv { uri = x }
                  hypervisor.xen {}
                  register-probe.host {}
                }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":2: livcloud.extensions.hypervisor.kmv: no hypervisor extension named 'kmv' is installed; "
                        + "did you mean 'kvm'?",
                file + ":3: livcloud.extensions.hypervisor.xen: no hypervisor extension named 'xen' is installed; "
                        + "installed: kvm, vsphere",
                file + ":4: livcloud.extensions.register-probe.host: no register-probe extension named 'host' is "
                        + "installed, nor any other register-probe extension; install a plugin that provides one");
    }

    @Test
    void undeclaredKeys() {
        Path file = write(directory, """
                livcloud.extensions.hypervisor {
                  kvm {
                    uri = x
                    conect-timeout = 30s
                    tls.verfy = true
                    colour = blue
                  }
                  vsphere.host = h
                }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":4: livcloud.extensions.hypervisor.kvm.conect-timeout: unknown key; did you mean "
                        + "'connect-timeout'?",
                file + ":5: livcloud.extensions.hypervisor.kvm.tls.verfy: unknown key; did you mean 'tls.verify'?",
                file + ":6: livcloud.extensions.hypervisor.kvm.colour: unknown key; remove it or use one of: cache, "
                        + "compressed, connect-timeout, features, migration-bandwidth, parallel-connections, "
                        + "password, socket, tls.verify, tuning, uri",
                file + ":8: livcloud.extensions.hypervisor.vsphere.host: unknown key; remove it, nothing is "
                        + "configurable here");
    }

    @Test
    void wrongTypesAreAllReportedWithTheExpectedForm() {
        Path file = write(directory, """
                livcloud.extensions.hypervisor.kvm {
                  uri = [a, b]
                  connect-timeout = soon
                  migration-bandwidth = lots
                  parallel-connections = 2.5
                  compressed = maybe
                  socket = { a = b }
                  cache = writebak
                  features = postcopy
                  tuning = fast
                  tls = true
                  password = [hunter2]
                }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":2: livcloud.extensions.hypervisor.kvm.uri: must be a string; found a list",
                file + ":3: livcloud.extensions.hypervisor.kvm.connect-timeout: must be a duration such as 500ms, 30s "
                        + "or 5m; found 'soon'",
                file + ":4: livcloud.extensions.hypervisor.kvm.migration-bandwidth: must be a size such as 512KiB, "
                        + "256MiB or 4GiB; found 'lots'",
                file + ":5: livcloud.extensions.hypervisor.kvm.parallel-connections: must be a whole number; "
                        + "found '2.5'",
                file + ":6: livcloud.extensions.hypervisor.kvm.compressed: must be true or false; found 'maybe'",
                file + ":7: livcloud.extensions.hypervisor.kvm.socket: must be a path; found an object",
                file + ":8: livcloud.extensions.hypervisor.kvm.cache: must be one of none, writeback, writethrough; "
                        + "found 'writebak'; did you mean 'writeback'?",
                file + ":9: livcloud.extensions.hypervisor.kvm.features: must be a list of strings such as "
                        + "[\"a\", \"b\"]; found 'postcopy'",
                file + ":10: livcloud.extensions.hypervisor.kvm.tuning: must be an object such as { key = value }; "
                        + "found 'fast'",
                file + ":11: livcloud.extensions.hypervisor.kvm.tls: must be an object holding tls.verify; "
                        + "found 'true'",
                file + ":12: livcloud.extensions.hypervisor.kvm.password: must be a string; found a list");
    }

    @Test
    void integerRanges() {
        Path file = write(directory, """
                livcloud.extensions.hypervisor.kvm {
                  uri = x
                  parallel-connections = 17
                }
                livcloud.extensions.hypervisor.kvm.parallel-connections = 0
                """);
        Path bounded = write(directory, "bounded.conf", """
                livcloud.extensions.hypervisor.kvm { uri = x, low = -1, high = 11, fine = "7" }
                """);
        Map<ExtensionKind, Map<String, List<Setting>>> settings = Map.of(ExtensionKind.HYPERVISOR,
                Map.of("kvm", List.of(TestExtensions.KVM.get(0),
                        Setting.integer("low", "At least zero.", 0, Long.MAX_VALUE),
                        Setting.integer("high", "At most ten.", Long.MIN_VALUE, 10),
                        Setting.integer("fine", "Any.", 0, 10))));

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":5: livcloud.extensions.hypervisor.kvm.parallel-connections: must be between 1 and 16; "
                        + "found '0'");
        assertThat(messages(load(bounded).validateExtensions(settings, Map.of()))).containsExactly(
                bounded + ":1: livcloud.extensions.hypervisor.kvm.high: must be at most 10; found '11'",
                bounded + ":1: livcloud.extensions.hypervisor.kvm.low: must be at least 0; found '-1'");
    }

    @Test
    void secretValuesAreNeverShownInProblems() {
        Path file = write(directory, """
                livcloud.extensions.tunnel.strongswan {
                  psk = { value = hunter2 }
                }
                livcloud.extensions.hypervisor.kvm { uri = x, cache = hunter2, password-file = hunter2 }
                """);
        Map<ExtensionKind, Map<String, List<Setting>>> settings = Map.of(
                ExtensionKind.TUNNEL, SETTINGS.get(ExtensionKind.TUNNEL),
                ExtensionKind.HYPERVISOR, Map.of("kvm", List.of(TestExtensions.KVM.get(0),
                        TestExtensions.KVM.get(6).asSecret(),
                        Setting.optional("password-file", SettingType.BOOLEAN, "A"))));

        List<String> problems = messages(load(file).validateExtensions(settings, Map.of()));

        assertThat(problems).containsExactly(
                file + ":2: livcloud.extensions.tunnel.strongswan.psk: must be a string; found an object",
                file + ":4: livcloud.extensions.hypervisor.kvm.cache: must be one of none, writeback, writethrough; "
                        + "found a value that is not shown because it is secret",
                file + ":4: livcloud.extensions.hypervisor.kvm.password-file: must be true or false; found a value "
                        + "that is not shown because it is secret");
        assertThat(String.join("\n", problems)).doesNotContain("hunter2");
    }

    @Test
    void requiredSettingsOfExtensionsInUse() {
        Path file = write(directory, """
                livcloud {
                  migration.hypervisor = kvm
                  migration.tunnel = strongswan
                  extensions.tunnel.strongswan {
                    charon-socket = /run/charon.vici
                  }
                }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":2: livcloud.extensions.hypervisor.kvm.uri: required but not set (The libvirt URI of the host, "
                        + "e.g. qemu+ssh://root@host/system); add uri = ... under livcloud.extensions.hypervisor.kvm "
                        + "in the configuration file, or set the environment variable "
                        + "CONFIG_FORCE_livcloud_extensions_hypervisor_kvm_uri",
                file + ":4: livcloud.extensions.tunnel.strongswan.psk: required but not set (The pre-shared key of the "
                        + "tunnel); add psk = ... under livcloud.extensions.tunnel.strongswan in the configuration "
                        + "file, or set the environment variable CONFIG_FORCE_livcloud_extensions_tunnel_strongswan_psk");
    }

    @Test
    void requiredSettingsOfUnusedExtensionsAreNotChecked() {
        Path file = write(directory, "livcloud.log-level = info\n");

        assertThat(load(file).validateExtensions(SETTINGS, SITE_SETTINGS)).isEmpty();
    }

    /** Whether a selection names a started extension is the core's check, which knows why a plugin failed. */
    @Test
    void selectionsOfMissingExtensionsAreLeftToTheCore() {
        Path file = write(directory, """
                livcloud.migration {
                  hypervisor = kmv
                  register-probe = host
                }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).isEmpty();
    }

    @Test
    void sites() {
        Path file = write(directory, """
                livcloud.sites {
                  paris {
                    provider = aws
                    regoin = eu-west-3
                  }
                  london {
                    provider = azrue
                    anything = goes
                  }
                  tokyo {
                    provider = gcp
                  }
                  berlin {
                    provider = azure
                    resource-group = [a]
                  }
                }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":2: livcloud.sites.paris.region: required but not set (The AWS region of the site, e.g. "
                        + "eu-west-3); add region = ... under livcloud.sites.paris in the configuration file, or set "
                        + "the environment variable CONFIG_FORCE_livcloud_sites_paris_region",
                file + ":4: livcloud.sites.paris.regoin: unknown key; did you mean 'region'?",
                file + ":15: livcloud.sites.berlin.resource-group: must be a string; found a list");
    }

    @Test
    void includesTheCoreProblems() {
        Path file = write(directory, """
                livcloud.log-level = loud
                livcloud.extensions.hypervisor.kvm { uri = x, cash = none }
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":1: livcloud.log-level: must be one of off, error, warn, info, debug, trace; found 'loud'",
                file + ":2: livcloud.extensions.hypervisor.kvm.cash: unknown key; did you mean 'cache'?");
    }

    @Test
    void sectionsThatAreNotObjects() {
        Path file = write(directory, """
                livcloud.extensions.hypervisor = kvm
                livcloud.extensions.tunnel.strongswan = on
                livcloud.sites.paris = aws
                """);

        assertThat(messages(load(file).validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":1: livcloud.extensions.hypervisor: must be an object such as { key = value }; found 'kvm'",
                file + ":2: livcloud.extensions.tunnel.strongswan: must be an object such as { key = value }; "
                        + "found 'on'",
                file + ":3: livcloud.sites.paris: must be an object such as { key = value }; found 'aws'");
    }

    @Test
    void wholeSectionsOfTheWrongTypeBreakNothing() {
        Path file = write(directory, """
                livcloud {
                  migration.hypervisor = kvm
                  extensions = 3
                  sites = [paris]
                }
                """);
        LivCloudConfig config = load(file);

        assertThat(messages(config.validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":2: livcloud.extensions.hypervisor.kvm.uri: required but not set (The libvirt URI of the host, "
                        + "e.g. qemu+ssh://root@host/system); add uri = ... under livcloud.extensions.hypervisor.kvm "
                        + "in the configuration file, or set the environment variable "
                        + "CONFIG_FORCE_livcloud_extensions_hypervisor_kvm_uri",
                file + ":3: livcloud.extensions: must be an object such as { key = value }; found '3'",
                file + ":4: livcloud.sites: must be an object such as { key = value }; found a list");
        assertThat(config.extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM).has("uri")).isFalse();
        assertThat(config.siteConfig("paris", TestExtensions.AWS_SITE).has("region")).isFalse();
        assertThat(config.sites()).isEmpty();
        assertThat(config.renderRedacted(SETTINGS)).contains("extensions=3");
    }

    @Test
    void namesThatNeedQuoting() {
        Path file = write(directory, """
                livcloud.sites."eu.west" { provider = aws, regio = x }
                """);
        LivCloudConfig config = load(file);

        // No environment variable can set a key whose name holds a dot, so none is suggested.
        assertThat(messages(config.validateExtensions(SETTINGS, SITE_SETTINGS))).containsExactly(
                file + ":1: livcloud.sites.\"eu.west\".regio: unknown key; did you mean 'region'?",
                file + ":1: livcloud.sites.\"eu.west\".region: required but not set (The AWS region of the site, e.g. "
                        + "eu-west-3); add region = ... under livcloud.sites.\"eu.west\" in the configuration file");
        assertThat(config.sites()).containsOnlyKeys("eu.west");
        assertThat(config.siteConfig("eu.west", TestExtensions.AWS_SITE).origin("provider")).isEqualTo(file + ":1");
    }

    private static List<String> messages(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::toString).toList();
    }
}
