package io.livcloud.labtools.bench;

import static io.livcloud.labtools.bench.SampleResults.BASELINE;
import static io.livcloud.labtools.bench.SampleResults.LIVCLOUD;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.labtools.bench.Targets.Verdict;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TargetsTest {

    @Test
    void allConvergedButFewerThanTwentyRunsIsNotYetMet() {
        Map<String, Targets.Check> checks = checks(SampleResults.builder().notConverged(BASELINE, 50, 1e9)
                .converged(LIVCLOUD, 50, 2, 20, 1e8).converged(LIVCLOUD, 50, 2, 40, 1e8)
                .converged(LIVCLOUD, 50, 2, 25, 1e8).build());

        assertThat(checks.get("LivCloud, 50 MiB/s: converged").verdict()).isEqualTo(Verdict.TOO_FEW_RUNS);
        assertThat(checks.get("LivCloud, 50 MiB/s: converged").measured()).isEqualTo("3/3");
        assertThat(checks.get("LivCloud, 50 MiB/s: VM pause p50").verdict()).isEqualTo(Verdict.MET);
        assertThat(checks.get("LivCloud, 50 MiB/s: VM pause p50").measured()).isEqualTo("25 ms");
        assertThat(checks.get("LivCloud, 50 MiB/s: client-observed gap p50").verdict())
                .isEqualTo(Verdict.NOT_MEASURED);
        assertThat(checks).doesNotContainKey("libvirt defaults, 50 MiB/s: converged");
    }

    @Test
    void oneRunThatDidNotConvergeMissesTheTarget() {
        Map<String, Targets.Check> checks = checks(SampleResults.builder().converged(LIVCLOUD, 50, 2, 31, 1e8)
                .notConverged(LIVCLOUD, 50, 1e9).build());

        assertThat(checks.get("LivCloud, 50 MiB/s: converged").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(checks.get("LivCloud, 50 MiB/s: VM pause p50").verdict()).isEqualTo(Verdict.NOT_MET);
    }

    @Test
    void clientGapIsJudgedOnP50AndP99() {
        Map<String, Targets.Check> checks = checks(SampleResults.builder()
                .convergedWithClient(LIVCLOUD, 50, 2, 20, 100).convergedWithClient(LIVCLOUD, 50, 2, 20, 140)
                .convergedWithClient(LIVCLOUD, 50, 2, 20, 350).build());

        assertThat(checks.get("LivCloud, 50 MiB/s: client-observed gap p50").verdict()).isEqualTo(Verdict.MET);
        assertThat(checks.get("LivCloud, 50 MiB/s: client-observed gap p99").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(checks.get("LivCloud, 50 MiB/s: client-observed gap p99").measured()).isEqualTo("350 ms");
    }

    @Test
    void idleFloorTunnelRatioAndControlPlane() {
        BenchResults results = SampleResults.builder().converged(LIVCLOUD, 0, 1.0, 20, 1e8)
                .controlPlane(new BenchResults.ControlPlaneFigures("bin/livcloud", List.of(5000.0, 5200.0),
                        List.of(4000.0, 3000.0), List.of(200.0, 700.0, 300.0), List.of(30.0), List.of(600.0),
                        List.of(100.0), 5))
                .build();

        Map<String, Targets.Check> checks = checks(results);

        assertThat(checks.get("LivCloud, idle: total time / physical floor").verdict()).isEqualTo(Verdict.MET);
        assertThat(checks.get("encrypted path (tunnel, iperf3) / raw link").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(checks.get("encrypted path (tunnel, iperf3) / raw link").measured())
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f %%", 480.0 / 16000.0 * 100));
        // Overheads 1000 and 2200 ms: the median 1600 ms is over 1.5 s.
        assertThat(checks.get("control-plane overhead per migration p50").verdict()).isEqualTo(Verdict.NOT_MET);
        assertThat(checks.get("control-plane overhead per migration p50").measured()).isEqualTo("1600 ms");
        assertThat(checks.get("livcloud --version p50").verdict()).isEqualTo(Verdict.MET);
        assertThat(checks.get("loading all plugins p50").verdict()).isEqualTo(Verdict.NOT_MET);
    }

    private static Map<String, Targets.Check> checks(BenchResults results) {
        return Targets.evaluate(results).stream().collect(Collectors.toMap(Targets.Check::what, check -> check));
    }
}
