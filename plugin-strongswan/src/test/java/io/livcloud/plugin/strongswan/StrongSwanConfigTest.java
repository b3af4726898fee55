package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.testing.plugin.ReferenceConf;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StrongSwanConfigTest {

    @Test
    void theDeclaredSettingsAndReferenceConfAgree() {
        ReferenceConf.of(new StrongSwanTunnelFactory(), StrongSwanConfig.SETTINGS).assertAgrees();

        StrongSwanConfig defaults = TestConfigs.config();
        assertThat(defaults.dataPath()).isEqualTo(StrongSwanConfig.Mode.AUTO);
        assertThat(defaults.ikeProposals()).isEqualTo("aes256gcm16-prfsha384-ecp384");
        assertThat(defaults.espProposals()).isEqualTo("aes256gcm16-ecp384");
        assertThat(defaults.dpdDelay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.ikeRekeyTime()).isEqualTo(Duration.ofHours(4));
        assertThat(defaults.rekeyTime()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.establishTimeout()).isEqualTo(Duration.ofSeconds(30));
    }
}
