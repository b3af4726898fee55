package io.livcloud.labtools.bench;

import io.livcloud.labtools.bench.BenchResults.MigrationRun;
import io.livcloud.labtools.bench.BenchResults.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One row of the migration table: a variant at one dirty rate, summarized over its runs. Times, pauses and client
 * gaps are over the runs that converged (a run the watchdog stopped has no such figure); bytes are over all runs,
 * because an aborted run's bytes crossed the wire too (where known).
 *
 * @param dirtyRateMiBps the rate
 * @param variant the variant
 * @param runs how many runs
 * @param converged how many of them converged
 * @param guestAliveAfterEach whether the guest's heartbeat went on after every run
 * @param totalSeconds total time, converged runs
 * @param pauseMillis QEMU's downtime, converged runs
 * @param clientInterruptionMillis the client's longest gap, converged runs where measured
 * @param bytesTransferred bytes QEMU sent, all runs
 * @param versusBaseline median total time over the baseline's at the same rate; empty when either has none
 * @param versusPhysicalFloor median total time over the physical floor; empty without a tunnel measurement
 */
public record MigrationRow(int dirtyRateMiBps, Variant variant, int runs, int converged, boolean guestAliveAfterEach,
        Statistics.Summary totalSeconds, Statistics.Summary pauseMillis, Statistics.Summary clientInterruptionMillis,
        Statistics.Summary bytesTransferred, OptionalDouble versusBaseline, OptionalDouble versusPhysicalFloor) {

    public MigrationRow {
        Objects.requireNonNull(variant, "variant is null");
        Objects.requireNonNull(versusBaseline, "versusBaseline is null");
        Objects.requireNonNull(versusPhysicalFloor, "versusPhysicalFloor is null");
    }

    /** The rows of a bench, rate by rate, each rate's variants in the bench's order (the baseline first). */
    public static List<MigrationRow> of(BenchResults results) {
        OptionalDouble floor = physicalFloorSeconds(results);
        List<MigrationRow> rows = new ArrayList<>();
        for (int rate : results.rates()) {
            OptionalDouble baselineMedian = results.variants().stream().filter(Variant::baseline).findFirst()
                    .map(baseline -> Statistics.median(convergedValues(results, rate, baseline,
                            run -> OptionalDouble.of(run.totalSeconds()))))
                    .orElse(OptionalDouble.empty());
            for (Variant variant : results.variants()) {
                List<MigrationRun> runs = runs(results, rate, variant);
                if (runs.isEmpty()) {
                    continue;
                }
                Statistics.Summary total = Statistics.summarize(convergedValues(results, rate, variant,
                        run -> OptionalDouble.of(run.totalSeconds())));
                OptionalDouble versusBaseline = ratio(total.median(), baselineMedian);
                rows.add(new MigrationRow(rate, variant, runs.size(),
                        (int) runs.stream().filter(MigrationRun::converged).count(),
                        runs.stream().allMatch(MigrationRun::guestAlive), total,
                        Statistics.summarize(convergedValues(results, rate, variant, MigrationRun::pauseMillis)),
                        Statistics.summarize(convergedValues(results, rate, variant,
                                MigrationRun::clientInterruptionMillis)),
                        Statistics.summarize(runs.stream().map(MigrationRun::bytesTransferred)
                                .filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).toList()),
                        versusBaseline, ratio(total.median(), floor)));
            }
        }
        return rows;
    }

    /**
     * The physical floor: the guest's whole memory, uncompressed, at the median throughput iperf3 measured through
     * the tunnel in the same bench. A migration that sends less (zero pages, compression) can beat it.
     */
    public static OptionalDouble physicalFloorSeconds(BenchResults results) {
        OptionalDouble megabitsPerSecond = results.tunnel().map(tunnel -> Statistics.median(tunnel.tunnelMbps()))
                .orElse(OptionalDouble.empty());
        if (megabitsPerSecond.isEmpty() || !(megabitsPerSecond.getAsDouble() > 0)) {
            return OptionalDouble.empty();
        }
        double bits = results.conditions().memoryMiB() * 1024.0 * 1024.0 * 8;
        return OptionalDouble.of(bits / (megabitsPerSecond.getAsDouble() * 1e6));
    }

    private static List<MigrationRun> runs(BenchResults results, int rate, Variant variant) {
        return results.migrations().stream()
                .filter(run -> run.dirtyRateMiBps() == rate && run.variant().equals(variant.name())).toList();
    }

    private static List<Double> convergedValues(BenchResults results, int rate, Variant variant,
            Function<MigrationRun, OptionalDouble> figure) {
        Predicate<MigrationRun> converged = MigrationRun::converged;
        return runs(results, rate, variant).stream().filter(converged).map(figure)
                .filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).toList();
    }

    /** One figure over another; empty when either is missing or the denominator is not positive. */
    static OptionalDouble ratio(OptionalDouble numerator, OptionalDouble denominator) {
        return numerator.isPresent() && denominator.isPresent() && denominator.getAsDouble() > 0
                ? OptionalDouble.of(numerator.getAsDouble() / denominator.getAsDouble()) : OptionalDouble.empty();
    }
}
