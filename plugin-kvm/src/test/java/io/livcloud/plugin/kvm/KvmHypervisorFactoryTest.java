package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.probe.HostProbeConfig;
import io.livcloud.plugin.kvm.probe.HostRegisterProbeFactory;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Support;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.testing.TestingExtensionContext;
import io.livcloud.testing.plugin.ReferenceConf;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvmHypervisorFactoryTest {

    private final FakeLibvirt libvirt = new FakeLibvirt();
    private final KvmHypervisorFactory factory = new KvmHypervisorFactory(() -> libvirt, Optional::empty);

    @Test
    void theDeclaredSettingsAndReferenceConfAgree() {
        ReferenceConf.of(factory, KvmConfig.SETTINGS)
                .and(new HostRegisterProbeFactory(), HostProbeConfig.SETTINGS)
                .assertAgrees();

        KvmConfig defaults = KvmConfig.from(KvmConfigs.defaults());
        assertThat(defaults.uri()).isEqualTo("qemu:///system");
        assertThat(defaults.accelerator()).isEqualTo(AcceleratorMode.AUTO);
        assertThat(defaults.progressInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.sharedStoragePaths()).isEmpty();
    }

    @Test
    void supportedWhereLibvirtLoads() {
        assertThat(factory.name()).isEqualTo("kvm");
        assertThat(factory.isSupported(KvmConfigs.defaults())).isEqualTo(Support.yes());

        libvirt.unavailable = Optional.of("libvirt's client library libvirt.so.0 cannot be loaded (not found)");

        assertThat(factory.isSupported(KvmConfigs.defaults())).isEqualTo(Support.no(
                "libvirt's client library libvirt.so.0 cannot be loaded (not found)", "apt-get install libvirt0"));
        assertThatThrownBy(() -> factory.create(KvmConfigs.defaults(), new TestingExtensionContext("kvm")))
                .isInstanceOf(ExtensionException.class)
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.LIBVIRT_MISSING);
    }

    @Test
    void createsAHypervisorThatConnectsThroughTheFacade() {
        libvirt.host("qemu:///system", "here");

        try (Hypervisor hypervisor = factory.create(KvmConfigs.defaults().with(KvmConfig.ACCELERATOR.key(), "tcg"),
                new TestingExtensionContext("kvm"))) {
            try (var connection = hypervisor.connect("")) {
                assertThat(connection.host().attributes()).containsEntry("accelerator-setting", "tcg");
            }
        }
    }

    @Test
    void refusesValuesTheTypesCannotRuleOut() {
        assertThatThrownBy(() -> factory.create(
                KvmConfigs.defaults().with(KvmConfig.PROGRESS_INTERVAL.key(), Duration.ZERO), new TestingExtensionContext("kvm")))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("livcloud.extensions.hypervisor.kvm.progress-interval is PT0S (livcloud.conf:7); it must "
                        + "be positive");
        assertThatThrownBy(() -> factory.create(
                KvmConfigs.defaults().with(KvmConfig.SHARED_STORAGE_PATHS.key(), List.of("mnt/nfs")),
                new TestingExtensionContext("kvm")))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("'mnt/nfs'")
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.INVALID_SETTING);
    }
}
