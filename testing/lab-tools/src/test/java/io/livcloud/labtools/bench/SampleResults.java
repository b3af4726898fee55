package io.livcloud.labtools.bench;

import io.livcloud.labtools.bench.BenchResults.MigrationRun;
import io.livcloud.labtools.bench.BenchResults.Variant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** Bench results written by hand, for the writers' tests: every figure chosen so that a misplaced one shows. */
final class SampleResults {

    static final Variant BASELINE = new Variant("libvirt defaults", "virsh migrate --live --p2p", true);
    static final Variant LIVCLOUD = new Variant("LivCloud", "the engine", false);

    private final List<MigrationRun> runs = new ArrayList<>();
    private final List<Variant> variants = new ArrayList<>(List.of(BASELINE, LIVCLOUD));
    private final List<Integer> rates = new ArrayList<>();
    private Optional<BenchResults.TunnelFigures> tunnel = Optional.of(new BenchResults.TunnelFigures("a-b",
            "userspace-libipsec", 3, List.of(16000.0, 15000.0, 17000.0), List.of(480.0, 400.0, 560.0)));
    private Optional<BenchResults.ControlPlaneFigures> controlPlane = Optional.empty();

    static SampleResults builder() {
        return new SampleResults();
    }

    static BenchResults.Conditions conditions(int runs) {
        return new BenchResults.Conditions(Instant.parse("2026-01-02T03:04:05Z"), "lab-host", 2, 0.5, "a", "b", runs,
                Duration.ofSeconds(60), 256, 64);
    }

    SampleResults variant(Variant variant) {
        variants.add(variant);
        return this;
    }

    SampleResults noTunnel() {
        tunnel = Optional.empty();
        return this;
    }

    SampleResults tunnel(BenchResults.TunnelFigures figures) {
        tunnel = Optional.of(figures);
        return this;
    }

    SampleResults controlPlane(BenchResults.ControlPlaneFigures figures) {
        controlPlane = Optional.of(figures);
        return this;
    }

    /** A converged run. */
    SampleResults converged(Variant variant, int rate, double seconds, double pauseMillis, double bytes) {
        return add(new MigrationRun(variant.name(), rate, count(variant, rate) + 1, true, seconds,
                OptionalDouble.of(seconds * 900), OptionalDouble.of(pauseMillis), OptionalDouble.empty(),
                OptionalDouble.of(bytes), true, "completed"));
    }

    /** A converged run with a client-observed gap. */
    SampleResults convergedWithClient(Variant variant, int rate, double seconds, double pauseMillis,
            double clientMillis) {
        return add(new MigrationRun(variant.name(), rate, count(variant, rate) + 1, true, seconds,
                OptionalDouble.empty(), OptionalDouble.of(pauseMillis), OptionalDouble.of(clientMillis),
                OptionalDouble.of(1e8), true, "completed"));
    }

    /** A run the watchdog stopped. */
    SampleResults notConverged(Variant variant, int rate, double bytes) {
        return add(new MigrationRun(variant.name(), rate, count(variant, rate) + 1, false, 60.5,
                OptionalDouble.of(60000), OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(bytes),
                true, "did not converge"));
    }

    private SampleResults add(MigrationRun run) {
        if (!rates.contains(run.dirtyRateMiBps())) {
            rates.add(run.dirtyRateMiBps());
        }
        runs.add(run);
        return this;
    }

    private int count(Variant variant, int rate) {
        return (int) runs.stream().filter(run -> run.variant().equals(variant.name())
                && run.dirtyRateMiBps() == rate).count();
    }

    BenchResults build() {
        int most = runs.stream().mapToInt(MigrationRun::run).max().orElse(1);
        return new BenchResults(conditions(most), tunnel, runs.isEmpty() ? List.of() : variants, rates, runs,
                controlPlane);
    }
}
