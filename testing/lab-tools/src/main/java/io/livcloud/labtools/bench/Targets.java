package io.livcloud.labtools.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The targets of the benchmark issue, each judged against the figures of this run. Times are judged on the median
 * (p50) unless the target names a percentile. A target whose figure was not measured says so and is neither met nor
 * missed; one whose figure needs more runs than were made (20/20 converged) says how many it had.
 */
public final class Targets {

    /** The dirty rate the convergence and pause targets are set at. */
    public static final int TARGET_RATE_MIBPS = 50;
    static final int CONVERGENCE_RUNS = 20;
    static final double PAUSE_P50_MILLIS = 30;
    static final double CLIENT_GAP_P50_MILLIS = 150;
    static final double CLIENT_GAP_P99_MILLIS = 300;
    static final double IDLE_FLOOR_RATIO = 1.0;
    static final double TUNNEL_RATIO = 0.5;
    static final double OVERHEAD_P50_MILLIS = 1500;
    static final double VERSION_P50_MILLIS = 600;
    static final double PLUGIN_LOAD_P50_MILLIS = 500;

    /** How a figure compares with its target. */
    public enum Verdict {
        MET("met"), NOT_MET("NOT met"), TOO_FEW_RUNS("too few runs to tell"), NOT_MEASURED("not measured");

        private final String text;

        Verdict(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * One target's judgement.
     *
     * @param what what is measured, e.g. {@code LivCloud, 50 MiB/s: VM pause p50}
     * @param target the target, e.g. {@code <= 30 ms}
     * @param measured the figure, e.g. {@code 24 ms}, or why there is none
     * @param verdict met or not
     */
    public record Check(String what, String target, String measured, Verdict verdict) {
        public Check {
            Objects.requireNonNull(what, "what is null");
            Objects.requireNonNull(target, "target is null");
            Objects.requireNonNull(measured, "measured is null");
            Objects.requireNonNull(verdict, "verdict is null");
        }
    }

    private Targets() {
    }

    /** Every target the bench's parts can speak to; the parts not run give no line. */
    public static List<Check> evaluate(BenchResults results) {
        List<Check> checks = new ArrayList<>();
        List<MigrationRow> rows = MigrationRow.of(results);
        for (MigrationRow row : rows) {
            if (row.variant().baseline()) {
                continue;
            }
            String name = row.variant().name();
            if (row.dirtyRateMiBps() == TARGET_RATE_MIBPS) {
                checks.add(convergence(name, row));
                checks.add(atMost(name + ", 50 MiB/s: VM pause p50", row.pauseMillis().median(), PAUSE_P50_MILLIS,
                        " ms", "%.0f ms"));
                checks.add(atMost(name + ", 50 MiB/s: client-observed gap p50", row.clientInterruptionMillis()
                        .median(), CLIENT_GAP_P50_MILLIS, " ms", "%.0f ms"));
                checks.add(atMost(name + ", 50 MiB/s: client-observed gap p99", row.clientInterruptionMillis()
                        .p99(), CLIENT_GAP_P99_MILLIS, " ms", "%.0f ms"));
            }
            if (row.dirtyRateMiBps() == 0) {
                checks.add(atMost(name + ", idle: total time / physical floor", row.versusPhysicalFloor(),
                        IDLE_FLOOR_RATIO, "x", "%.2fx"));
            }
        }
        results.tunnel().ifPresent(tunnel -> checks.add(atLeast("encrypted path (tunnel, iperf3) / raw link",
                tunnel.ratio(), TUNNEL_RATIO)));
        results.controlPlane().ifPresent(plane -> {
            checks.add(atMost("control-plane overhead per migration p50", Statistics.median(plane.overheadMillis()),
                    OVERHEAD_P50_MILLIS, " ms", "%.0f ms"));
            checks.add(atMost("livcloud --version p50", Statistics.median(plane.versionMillis()), VERSION_P50_MILLIS,
                    " ms", "%.0f ms"));
            checks.add(atMost("loading all plugins p50", Statistics.median(plane.pluginLoadMillis()),
                    PLUGIN_LOAD_P50_MILLIS, " ms", "%.0f ms"));
        });
        return checks;
    }

    private static Check convergence(String name, MigrationRow row) {
        String what = name + ", 50 MiB/s: converged";
        String target = CONVERGENCE_RUNS + "/" + CONVERGENCE_RUNS;
        String measured = row.converged() + "/" + row.runs();
        if (row.converged() < row.runs()) {
            return new Check(what, target, measured, Verdict.NOT_MET);
        }
        return new Check(what, target, measured, row.runs() >= CONVERGENCE_RUNS ? Verdict.MET : Verdict.TOO_FEW_RUNS);
    }

    private static Check atMost(String what, OptionalDouble figure, double limit, String unit, String format) {
        String target = "<= " + number(limit) + unit;
        if (figure.isEmpty()) {
            return new Check(what, target, "n/a", Verdict.NOT_MEASURED);
        }
        return new Check(what, target, String.format(Locale.ROOT, format, figure.getAsDouble()),
                figure.getAsDouble() <= limit ? Verdict.MET : Verdict.NOT_MET);
    }

    private static Check atLeast(String what, OptionalDouble figure, double limit) {
        String target = ">= " + number(limit * 100) + " %";
        if (figure.isEmpty()) {
            return new Check(what, target, "n/a", Verdict.NOT_MEASURED);
        }
        return new Check(what, target, String.format(Locale.ROOT, "%.1f %%", figure.getAsDouble() * 100),
                figure.getAsDouble() >= limit ? Verdict.MET : Verdict.NOT_MET);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
