package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelSpec;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelRecordsTest {

    @TempDir
    Path folder;

    @Test
    void aRecordGivesBackTheSpecAndDataPathItWasWrittenWith() {
        TunnelRecords records = new TunnelRecords(folder);
        TunnelSpec spec = new TunnelSpec("a-b", GatewayPair.Endpoints.A, GatewayPair.Endpoints.B,
                TunnelAuthentication.PRE_SHARED_KEY, Map.of("dpd-delay", "30s"));

        records.write(spec, DataPath.USERSPACE_LIBIPSEC);

        TunnelRecords.Recorded read = records.read("a-b").orElseThrow();
        assertThat(read.spec()).isEqualTo(spec);
        assertThat(read.dataPath()).isEqualTo(DataPath.USERSPACE_LIBIPSEC);
        assertThat(records.all()).extracting(recorded -> recorded.spec().id()).containsExactly("a-b");
        records.delete("a-b");
        records.delete("a-b");
        assertThat(records.read("a-b")).isEmpty();
    }

    @Test
    void idsThatCannotBeConnectionNamesAreRefused() {
        assertThatThrownBy(() -> TunnelRecords.checkId("A B"))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("'A B' cannot be a tunnel id")
                .hasMessageContaining("lower case letters, digits and dashes");
        assertThatThrownBy(() -> TunnelRecords.checkId("../a")).isInstanceOf(ExtensionException.class);
    }
}
