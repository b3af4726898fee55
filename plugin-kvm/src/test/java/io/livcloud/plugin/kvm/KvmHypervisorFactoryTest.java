package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.Support;
import io.livcloud.spi.hypervisor.Hypervisor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KvmHypervisorFactoryTest {

    private final FakeLibvirt libvirt = new FakeLibvirt();
    private final KvmHypervisorFactory factory = new KvmHypervisorFactory(() -> libvirt, Optional::empty);

    @Test
    void referenceConfHasADefaultForEveryRequiredSettingAndNoOtherKey() {
        Config section = ConfigFactory.parseResources(KvmHypervisorFactory.class.getClassLoader(), "reference.conf")
                .getConfig("livcloud.extensions.hypervisor.kvm");
        List<String> declared = factory.settings().stream().map(Setting::key).toList();

        assertThat(section.root().keySet()).containsExactlyInAnyOrderElementsOf(declared);
        assertThat(section.getString("uri")).isEqualTo("qemu:///system");
        assertThat(section.getString("accelerator")).isEqualTo("auto");
        assertThat(section.getDuration("progress-interval")).isEqualTo(Duration.ofSeconds(1));
        assertThat(section.getStringList("shared-storage-paths")).isEmpty();
        factory.settings().stream().filter(setting -> !setting.allowedValues().isEmpty())
                .forEach(setting -> assertThat(setting.allowedValues()).contains(section.getString(setting.key())));
    }

    @Test
    void supportedWhereLibvirtLoads() {
        assertThat(factory.name()).isEqualTo("kvm");
        assertThat(factory.isSupported(KvmConfigs.defaults())).isEqualTo(Support.yes());

        libvirt.unavailable = Optional.of("libvirt's client library libvirt.so.0 cannot be loaded (not found)");

        assertThat(factory.isSupported(KvmConfigs.defaults())).isEqualTo(Support.no(
                "libvirt's client library libvirt.so.0 cannot be loaded (not found)", "apt-get install libvirt0"));
        assertThatThrownBy(() -> factory.create(KvmConfigs.defaults(), new TestContext()))
                .isInstanceOf(ExtensionException.class)
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.LIBVIRT_MISSING);
    }

    @Test
    void createsAHypervisorThatConnectsThroughTheFacade() {
        libvirt.host("qemu:///system", "here");

        try (Hypervisor hypervisor = factory.create(KvmConfigs.defaults().with(KvmConfig.ACCELERATOR, "tcg"),
                new TestContext())) {
            try (var connection = hypervisor.connect("")) {
                assertThat(connection.host().attributes()).containsEntry("accelerator-setting", "tcg");
            }
        }
    }

    @Test
    void refusesValuesTheTypesCannotRuleOut() {
        assertThatThrownBy(() -> factory.create(
                KvmConfigs.defaults().with(KvmConfig.PROGRESS_INTERVAL, Duration.ZERO), new TestContext()))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("livcloud.extensions.hypervisor.kvm.progress-interval is PT0S (livcloud.conf:7); it must "
                        + "be positive");
        assertThatThrownBy(() -> factory.create(
                KvmConfigs.defaults().with(KvmConfig.SHARED_STORAGE_PATHS, List.of("mnt/nfs")),
                new TestContext()))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("'mnt/nfs'")
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.INVALID_SETTING);
    }
}
