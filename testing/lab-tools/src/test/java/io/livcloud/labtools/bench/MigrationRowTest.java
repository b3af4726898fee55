package io.livcloud.labtools.bench;

import static io.livcloud.labtools.bench.SampleResults.BASELINE;
import static io.livcloud.labtools.bench.SampleResults.LIVCLOUD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationRowTest {

    @Test
    void timesAndPausesAreOverConvergedRunsAndBytesOverAll() {
        BenchResults results = SampleResults.builder()
                .converged(BASELINE, 50, 8, 300, 500e6).notConverged(BASELINE, 50, 4e9)
                .converged(BASELINE, 50, 10, 260, 700e6)
                .converged(LIVCLOUD, 50, 2, 20, 100e6).converged(LIVCLOUD, 50, 3, 30, 120e6)
                .converged(LIVCLOUD, 50, 4, 25, 110e6).build();

        List<MigrationRow> rows = MigrationRow.of(results);

        assertThat(rows).extracting(row -> row.variant().name()).containsExactly("libvirt defaults", "LivCloud");
        MigrationRow baseline = rows.get(0);
        assertThat(baseline.runs()).isEqualTo(3);
        assertThat(baseline.converged()).isEqualTo(2);
        assertThat(baseline.totalSeconds().median()).hasValue(9.0);
        assertThat(baseline.pauseMillis().median()).hasValue(280.0);
        assertThat(baseline.bytesTransferred().median()).hasValue(700e6);
        assertThat(baseline.versusBaseline()).hasValue(1.0);
        MigrationRow livCloud = rows.get(1);
        assertThat(livCloud.totalSeconds().median()).hasValue(3.0);
        assertThat(livCloud.totalSeconds().p99()).hasValue(4.0);
        assertThat(livCloud.versusBaseline().getAsDouble()).isCloseTo(3.0 / 9.0, within(1e-9));
    }

    @Test
    void physicalFloorIsTheWholeMemoryAtTheTunnelsMedianThroughput() {
        BenchResults results = SampleResults.builder().converged(LIVCLOUD, 0, 2.0, 20, 1e8).build();

        // 256 MiB = 2147483648 bits at the median 480 Mbit/s.
        double floor = 256 * 1024.0 * 1024 * 8 / 480e6;
        assertThat(MigrationRow.physicalFloorSeconds(results).getAsDouble()).isCloseTo(floor, within(1e-9));
        MigrationRow row = MigrationRow.of(results).stream().filter(each -> each.variant().equals(LIVCLOUD))
                .findFirst().orElseThrow();
        assertThat(row.versusPhysicalFloor().getAsDouble()).isCloseTo(2.0 / floor, within(1e-9));
    }

    @Test
    void withoutABaselineThatConvergedOrATunnelMeasurementTheRatiosAreAbsentNotOne() {
        BenchResults results = SampleResults.builder().noTunnel().notConverged(BASELINE, 200, 4e9)
                .converged(LIVCLOUD, 200, 12, 900, 5e8).build();

        List<MigrationRow> rows = MigrationRow.of(results);

        assertThat(rows.get(0).versusBaseline()).isEmpty();
        assertThat(rows.get(0).totalSeconds().median()).isEmpty();
        assertThat(rows.get(1).versusBaseline()).isEmpty();
        assertThat(rows.get(1).versusPhysicalFloor()).isEmpty();
    }
}
