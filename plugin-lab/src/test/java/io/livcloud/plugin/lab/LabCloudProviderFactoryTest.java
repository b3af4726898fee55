package io.livcloud.plugin.lab;

import io.livcloud.testing.TestingExtensionContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.testing.FakeExtensionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabCloudProviderFactoryTest {

    @TempDir
    Path directory;

    private final FakeLabHost host = new FakeLabHost();
    private final LabCloudProviderFactory factory = new LabCloudProviderFactory(() -> host);

    @Test
    void declaresItsSettingsAndTheSiteIndex() {
        assertThat(factory.name()).isEqualTo("lab");
        assertThat(factory.settings()).extracting(Setting::key, Setting::type).containsExactly(
                tuple("directory", SettingType.PATH),
                tuple("wan-rate", SettingType.STRING),
                tuple("start-timeout", SettingType.DURATION),
                tuple("install-prerequisites", SettingType.BOOLEAN),
                tuple("migration-tls", SettingType.BOOLEAN),
                tuple("host-access", SettingType.ENUM));
        assertThat(factory.siteSettings()).singleElement().satisfies(index -> {
            assertThat(index.key()).isEqualTo("index");
            assertThat(index.type()).isEqualTo(SettingType.INTEGER);
            assertThat(index.minimum()).isEqualTo(1);
            assertThat(index.maximum()).isEqualTo(245);
        });
    }

    @Test
    void isSupportedAsRootWithEveryTool() {
        assertThat(factory.isSupported(LabConfigs.withDirectory(directory))).isEqualTo(Support.yes());
    }

    @Test
    void notRootIsNotSupported() {
        host.root = false;

        assertThat(factory.isSupported(LabConfigs.withDirectory(directory))).isEqualTo(
                Support.no("the lab needs root to create network namespaces", "run as root"));
    }

    @Test
    void missingToolsAreFineAsRootWhenProvisioningInstallsThem() {
        host.missingPrograms.add("libvirtd");

        assertThat(factory.isSupported(LabConfigs.withDirectory(directory))).isEqualTo(Support.yes());
    }

    @Test
    void aMissingToolIsNamedWithItsDebianPackage() {
        host.missingPrograms.add("libvirtd");

        Support support = factory.isSupported(withoutInstaller());

        assertThat(support.supported()).isFalse();
        assertThat(support.reason())
                .isEqualTo("the lab needs libvirtd, which is not installed (Debian package libvirt-daemon)");
        assertThat(support.remedy()).startsWith("as root: apt-get install libvirt-daemon;")
                .contains("scripts/install-lab-prerequisites.sh");
    }

    @Test
    void missingToolsAreNamedTogetherAndQemuComesFromBackports() {
        host.missingPrograms.add("ip");
        host.missingPrograms.add("unshare");
        host.missingPrograms.add("qemu-system-x86_64");
        host.missingPrograms.add("tc");

        Support support = factory.isSupported(withoutInstaller());

        assertThat(support.reason()).isEqualTo("the lab needs ip, tc, unshare and qemu-system-x86_64, which are not"
                + " installed (Debian packages iproute2, util-linux, qemu-system-x86)");
        assertThat(support.remedy()).startsWith("as root: apt-get install iproute2 util-linux qemu-system-x86 (QEMU"
                + " from bookworm-backports: apt-get install -t bookworm-backports qemu-system-x86;");
    }

    @Test
    void sshModeAlsoNeedsSshdButNamespaceModeDoesNot() {
        host.missingPrograms.add("sshd");

        assertThat(factory.isSupported(withoutInstaller())).isEqualTo(Support.yes());
        assertThat(factory.isSupported(withoutInstaller().with(LabConfig.HOST_ACCESS.key(), "ssh")).reason())
                .isEqualTo("the lab needs sshd, which is not installed (Debian package openssh-server)");
    }

    @Test
    void badSettingsAreNotSupportedNamingTheKey() {
        FakeExtensionConfig rate = LabConfigs.withDirectory(directory).with("wan-rate", "fast");
        assertThat(factory.isSupported(rate).reason()).isEqualTo("livcloud.extensions.provider.lab.wan-rate"
                + " (livcloud.conf:1) is 'fast', not a rate in tc's units (bit, kbit, mbit, gbit, tbit; bps, kbps,"
                + " mbps, gbps, tbps)");

        FakeExtensionConfig longDirectory = LabConfigs.withDirectory(Path.of("/" + "d".repeat(80)));
        assertThat(factory.isSupported(longDirectory).reason()).contains("longer than 75 characters");

        FakeExtensionConfig spaced = LabConfigs.withDirectory(Path.of("/var/lib/my lab"));
        assertThat(factory.isSupported(spaced).reason()).contains("has characters other than");

        FakeExtensionConfig zero = LabConfigs.withDirectory(directory).with("start-timeout", Duration.ZERO);
        assertThatThrownBy(() -> factory.create(zero, new TestingExtensionContext("lab").withClock(BaseLabTest.FIXED_CLOCK)))
                .isInstanceOfSatisfying(ExtensionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(LabErrorCode.INVALID_SETTING));
    }

    @Test
    void theProviderProvisionsListsAndTearsDownSites() {
        FakeExtensionConfig config = LabConfigs.withDirectory(directory).with("install-prerequisites", false);
        try (CloudProvider provider = factory.create(config, new TestingExtensionContext("lab").withClock(BaseLabTest.FIXED_CLOCK))) {
            assertThat(provider.canProvision()).isTrue();
            provider.provision(new SiteSpec("a", "", "", "", "", "", Map.of()));
            assertThat(provider.describeSite("a")).hasValueSatisfying(
                    site -> assertThat(site.gateway().publicAddress()).isEqualTo("10.99.0.2"));
            assertThat(provider.tearDown("a", false).complete()).isTrue();
            assertThat(provider.listSites()).isEmpty();
        }
    }

    @Test
    void theLabHasNoInstanceTypes() {
        try (CloudProvider provider = factory.create(LabConfigs.withDirectory(directory),
                new TestingExtensionContext("lab").withClock(BaseLabTest.FIXED_CLOCK))) {
            assertThat(provider.instanceTypeCapability("c8i.large")).satisfies(capability -> {
                assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.UNKNOWN);
                assertThat(capability.reasons()).singleElement().asString()
                        .startsWith("the lab has no instance types");
            });
        }
    }

    private FakeExtensionConfig withoutInstaller() {
        return LabConfigs.withDirectory(directory).with(LabConfig.INSTALL_PREREQUISITES.key(), false);
    }
}
