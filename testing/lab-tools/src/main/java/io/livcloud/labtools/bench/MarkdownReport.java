package io.livcloud.labtools.bench;

import io.livcloud.labtools.bench.BenchResults.ControlPlaneFigures;
import io.livcloud.labtools.bench.BenchResults.TunnelFigures;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The bench as markdown: conditions, then one table per part, then the targets with met or not. Cells that come from
 * outside (variant names, descriptions) have their pipes escaped so a table never gains a column.
 */
public final class MarkdownReport {

    /** What stands in a cell for a figure that does not exist (not measured, no run converged). */
    public static final String NOT_AVAILABLE = "n/a";

    private static final double MIB = 1024.0 * 1024.0;

    private final BenchResults results;
    private final StringBuilder out = new StringBuilder(4096);

    private MarkdownReport(BenchResults results) {
        this.results = results;
    }

    public static String render(BenchResults results) {
        return new MarkdownReport(results).write();
    }

    private String write() {
        BenchResults.Conditions conditions = results.conditions();
        out.append("# LivCloud bench\n\n");
        out.append(String.format(Locale.ROOT, "%s on %s (%d processors, load average %.2f at the start); sites %s"
                        + " -> %s; %d run(s) per rate and variant; baseline watchdog %d s; guest %d MiB, working set"
                        + " %d MiB. On a small shared machine the figures are indicative: compare the rows of one"
                        + " run, not runs of different days.%n%n", conditions.startedAt(), cell(conditions.host()),
                conditions.processors(), conditions.loadAverageAtStart(), cell(conditions.from()),
                cell(conditions.to()), conditions.runs(), conditions.watchdog().toSeconds(), conditions.memoryMiB(),
                conditions.workingSetMiB()));
        results.tunnel().ifPresent(this::tunnel);
        if (!results.migrations().isEmpty()) {
            migrations();
        }
        results.controlPlane().ifPresent(this::controlPlane);
        targets();
        return out.toString();
    }

    private void tunnel(TunnelFigures tunnel) {
        out.append("## Tunnel throughput\n\n");
        out.append(String.format(Locale.ROOT, "Tunnel %s (%s), %d x %d s, one TCP stream (iperf3).%n%n",
                cell(tunnel.tunnelId()), cell(tunnel.dataPath()), tunnel.rawMbps().size(), tunnel.seconds()));
        out.append("| path | median Mbit/s | min | max | vs raw link |\n|---|---:|---:|---:|---:|\n");
        throughputRow("raw link (gateway to gateway)", tunnel.rawMbps(), OptionalDouble.of(1));
        throughputRow("through the tunnel (subnet to subnet)", tunnel.tunnelMbps(), tunnel.ratio());
        out.append('\n');
    }

    private void throughputRow(String path, List<Double> megabits, OptionalDouble ratio) {
        Statistics.Summary summary = Statistics.summarize(megabits);
        out.append("| ").append(path).append(" | ").append(figure(summary.median(), "%.0f")).append(" | ")
                .append(figure(summary.min(), "%.0f")).append(" | ").append(figure(summary.max(), "%.0f"))
                .append(" | ").append(figure(ratio, "%.3f")).append(" |\n");
    }

    private void migrations() {
        out.append("## Migration between the sites\n\n");
        out.append("The baseline goes through the tunnel; LivCloud's rows take their policy's encrypted path (the"
                + " tunnel, or QEMU's TLS where both hosts offer it: see each variant's policy below).\n\n");
        OptionalDouble floor = MigrationRow.physicalFloorSeconds(results);
        out.append("Physical floor: the guest's ").append(results.conditions().memoryMiB())
                .append(" MiB uncompressed at the tunnel's measured median throughput (the baseline's path) = ")
                .append(figure(floor, "%.2f s")).append(". Times, pauses and gaps over the runs that converged;")
                .append(" MiB sent over all runs, as QEMU counted it. Client gap: ")
                .append(NOT_AVAILABLE).append(" where no client probed the VM.\n\n");
        out.append("| dirty MiB/s | variant | converged | total s p50 | total s p99 | VM pause ms p50 | pause ms p99"
                + " | client gap ms p50 | client gap ms p99 | MiB sent p50 | total vs baseline | total vs floor |\n");
        out.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (MigrationRow row : MigrationRow.of(results)) {
            out.append("| ").append(row.dirtyRateMiBps()).append(" | ").append(cell(row.variant().name()))
                    .append(" | ").append(row.converged()).append('/').append(row.runs())
                    .append(row.guestAliveAfterEach() ? "" : " (guest stopped beating)")
                    .append(" | ").append(figure(row.totalSeconds().median(), "%.2f"))
                    .append(" | ").append(figure(row.totalSeconds().p99(), "%.2f"))
                    .append(" | ").append(figure(row.pauseMillis().median(), "%.0f"))
                    .append(" | ").append(figure(row.pauseMillis().p99(), "%.0f"))
                    .append(" | ").append(figure(row.clientInterruptionMillis().median(), "%.0f"))
                    .append(" | ").append(figure(row.clientInterruptionMillis().p99(), "%.0f"))
                    .append(" | ").append(figure(divide(row.bytesTransferred().median(), MIB), "%.1f"))
                    .append(" | ").append(figure(row.versusBaseline(), "%.2fx"))
                    .append(" | ").append(figure(row.versusPhysicalFloor(), "%.2fx")).append(" |\n");
        }
        out.append('\n');
        for (BenchResults.Variant variant : results.variants()) {
            out.append("- ").append(cell(variant.name())).append(variant.baseline() ? " (baseline)" : "")
                    .append(": ").append(cell(variant.description())).append('\n');
        }
        out.append('\n');
    }

    private void controlPlane(ControlPlaneFigures plane) {
        out.append("## Control plane\n\n");
        out.append("Spawned as a user runs it: `").append(cell(plane.launcher())).append("`; ")
                .append(plane.pluginsStarted()).append(" plugins started.\n\n");
        out.append("| figure | p50 ms | p99 ms | runs | baseline (same run) | baseline p50 ms | ratio |\n");
        out.append("|---|---:|---:|---:|---|---:|---:|\n");
        controlRow("`livcloud migrate` wall time", plane.migrateWallMillis(), "the hypervisor's own total time",
                plane.migrateHypervisorMillis());
        controlRow("control-plane overhead (wall - hypervisor)", plane.overheadMillis(), "", List.of());
        controlRow("`livcloud --version`", plane.versionMillis(), "`java -version`, same JVM options",
                plane.jvmStartMillis());
        controlRow("starting LivCloud with all plugins (in a fresh JVM)", plane.pluginLoadMillis(),
                "starting it with no plugin", plane.coreLoadMillis());
        out.append('\n');
    }

    private void controlRow(String what, List<Double> values, String baseline, List<Double> baselineValues) {
        Statistics.Summary summary = Statistics.summarize(values);
        OptionalDouble baselineMedian = Statistics.median(baselineValues);
        out.append("| ").append(what).append(" | ").append(figure(summary.median(), "%.0f")).append(" | ")
                .append(figure(summary.p99(), "%.0f")).append(" | ").append(summary.count()).append(" | ")
                .append(baseline.isEmpty() ? "-" : baseline).append(" | ")
                .append(baseline.isEmpty() ? "-" : figure(baselineMedian, "%.0f")).append(" | ")
                .append(baseline.isEmpty() ? "-" : figure(MigrationRow.ratio(summary.median(), baselineMedian), "%.2fx"))
                .append(" |\n");
    }

    private void targets() {
        List<Targets.Check> checks = Targets.evaluate(results);
        if (checks.isEmpty()) {
            return;
        }
        out.append("## Targets (issue 8)\n\n| figure | target | measured | verdict |\n|---|---|---:|---|\n");
        for (Targets.Check check : checks) {
            out.append("| ").append(cell(check.what())).append(" | ").append(check.target()).append(" | ")
                    .append(check.measured()).append(" | ").append(check.verdict().text()).append(" |\n");
        }
        out.append('\n');
    }

    /** A figure in a cell: formatted, or {@value #NOT_AVAILABLE}. */
    static String figure(OptionalDouble value, String format) {
        return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : NOT_AVAILABLE;
    }

    /** Text in a cell: a pipe would start a new column, a line break would end the row. */
    static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace('\n', ' ').replace('\r', ' ');
    }

    private static OptionalDouble divide(OptionalDouble value, double by) {
        return value.isPresent() ? OptionalDouble.of(value.getAsDouble() / by) : OptionalDouble.empty();
    }
}
