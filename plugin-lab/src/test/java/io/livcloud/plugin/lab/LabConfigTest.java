package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.testing.plugin.ReferenceConf;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LabConfigTest {

    @Test
    void theDeclaredSettingsAndReferenceConfAgree() {
        ReferenceConf.of(new LabCloudProviderFactory(), LabConfig.SETTINGS).assertAgrees();

        LabConfig defaults = LabConfig.from(ReferenceConf.defaults(new LabCloudProviderFactory()));
        assertThat(defaults.directory()).isEqualTo(Path.of("/var/lib/livcloud/lab"));
        assertThat(defaults.wanRate()).isEmpty();
        assertThat(defaults.startTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.installPrerequisites()).isTrue();
        assertThat(defaults.migrationTls()).isTrue();
        assertThat(defaults.accessMode()).isEqualTo(LabConfig.AccessMode.NAMESPACE);
    }

    @Test
    void hostAccessIsNamespaceOrSsh() {
        assertThat(LabConfig.from(LabConfigs.withDirectory(Path.of("/lab")).with("host-access", "ssh")).accessMode())
                .isEqualTo(LabConfig.AccessMode.SSH);
        assertThatThrownBy(() -> LabConfig.from(LabConfigs.withDirectory(Path.of("/lab")).with("host-access",
                "telnet"))).hasMessageEndingWith("host-access (livcloud.conf:1) is 'telnet', not namespace or ssh");
    }

    @Test
    void ratesAreReadInTcUnitsWithABurstOfTenMilliseconds() {
        assertThat(LabConfig.WanRate.parse("1gbit").bytesPerSecond()).isEqualTo(125_000_000);
        assertThat(LabConfig.WanRate.parse("1gbit").burstBytes()).isEqualTo(1_250_000);
        assertThat(LabConfig.WanRate.parse("100mbit").bytesPerSecond()).isEqualTo(12_500_000);
        assertThat(LabConfig.WanRate.parse("2.5Gbit").text()).isEqualTo("2.5gbit");
        assertThat(LabConfig.WanRate.parse("10mbps").bytesPerSecond()).isEqualTo(10_000_000);
        assertThat(LabConfig.WanRate.parse("1mbit").burstBytes()).isEqualTo(32 * 1024);
    }

    @Test
    void otherTextIsNotARate() {
        assertThatThrownBy(() -> LabConfig.WanRate.parse("1 gbit")).hasMessageContaining("not a rate");
        assertThatThrownBy(() -> LabConfig.WanRate.parse("1gib")).hasMessageContaining("not a rate");
        assertThatThrownBy(() -> LabConfig.WanRate.parse("100bit")).hasMessageContaining("too slow");
    }
}
