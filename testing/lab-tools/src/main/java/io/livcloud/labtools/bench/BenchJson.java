package io.livcloud.labtools.bench;

import io.livcloud.labtools.bench.BenchResults.ControlPlaneFigures;
import io.livcloud.labtools.bench.BenchResults.MigrationRun;
import io.livcloud.labtools.bench.BenchResults.TunnelFigures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The bench as a JSON document, schema {@value #SCHEMA}: plain maps and lists, so the format is what this class shows.
 * Every run's raw figures ({@code migrations.runs}) and the summaries the table shows ({@code migrations.rows});
 * durations in milliseconds in fields ending in {@code Millis}, or seconds in fields ending in {@code Seconds}; bytes
 * as plain numbers; a figure that does not exist is {@code null}, never a missing key or a zero. The parts not run are
 * {@code null}.
 */
public final class BenchJson {

    /** Bumped when a field changes meaning or goes away, not when one is added. */
    public static final String SCHEMA = "livcloud-bench/1";

    private BenchJson() {
    }

    public static Map<String, Object> document(BenchResults results) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("schema", SCHEMA);
        BenchResults.Conditions conditions = results.conditions();
        Map<String, Object> conditionsDocument = new LinkedHashMap<>();
        conditionsDocument.put("startedAt", conditions.startedAt().toString());
        conditionsDocument.put("host", conditions.host());
        conditionsDocument.put("processors", conditions.processors());
        conditionsDocument.put("loadAverageAtStart", conditions.loadAverageAtStart());
        conditionsDocument.put("from", conditions.from());
        conditionsDocument.put("to", conditions.to());
        conditionsDocument.put("runs", conditions.runs());
        conditionsDocument.put("watchdogSeconds", conditions.watchdog().toSeconds());
        conditionsDocument.put("memoryMiB", conditions.memoryMiB());
        conditionsDocument.put("workingSetMiB", conditions.workingSetMiB());
        document.put("conditions", conditionsDocument);
        document.put("tunnel", results.tunnel().map(BenchJson::tunnel).orElse(null));
        document.put("migrations", results.migrations().isEmpty() ? null : migrations(results));
        document.put("controlPlane", results.controlPlane().map(BenchJson::controlPlane).orElse(null));
        document.put("targets", Targets.evaluate(results).stream().map(check -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("what", check.what());
            entry.put("target", check.target());
            entry.put("measured", check.measured());
            entry.put("verdict", check.verdict().name());
            return entry;
        }).toList());
        return document;
    }

    private static Map<String, Object> tunnel(TunnelFigures tunnel) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("tunnel", tunnel.tunnelId());
        document.put("dataPath", tunnel.dataPath());
        document.put("seconds", tunnel.seconds());
        document.put("rawMbps", tunnel.rawMbps());
        document.put("tunnelMbps", tunnel.tunnelMbps());
        document.put("rawMedianMbps", value(Statistics.median(tunnel.rawMbps())));
        document.put("tunnelMedianMbps", value(Statistics.median(tunnel.tunnelMbps())));
        document.put("ratio", value(tunnel.ratio()));
        return document;
    }

    private static Map<String, Object> migrations(BenchResults results) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("physicalFloorSeconds", value(MigrationRow.physicalFloorSeconds(results)));
        document.put("rates", results.rates());
        document.put("variants", results.variants().stream().map(variant -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", variant.name());
            entry.put("description", variant.description());
            entry.put("baseline", variant.baseline());
            return entry;
        }).toList());
        document.put("rows", MigrationRow.of(results).stream().map(BenchJson::row).toList());
        document.put("runs", results.migrations().stream().map(BenchJson::run).toList());
        return document;
    }

    private static Map<String, Object> row(MigrationRow row) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("dirtyRateMiBps", row.dirtyRateMiBps());
        document.put("variant", row.variant().name());
        document.put("runs", row.runs());
        document.put("converged", row.converged());
        document.put("guestAliveAfterEach", row.guestAliveAfterEach());
        document.put("totalSeconds", summary(row.totalSeconds()));
        document.put("pauseMillis", summary(row.pauseMillis()));
        document.put("clientInterruptionMillis", summary(row.clientInterruptionMillis()));
        document.put("bytesTransferred", summary(row.bytesTransferred()));
        document.put("versusBaseline", value(row.versusBaseline()));
        document.put("versusPhysicalFloor", value(row.versusPhysicalFloor()));
        return document;
    }

    private static Map<String, Object> run(MigrationRun run) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("variant", run.variant());
        document.put("dirtyRateMiBps", run.dirtyRateMiBps());
        document.put("run", run.run());
        document.put("converged", run.converged());
        document.put("totalSeconds", run.totalSeconds());
        document.put("hypervisorMillis", value(run.hypervisorMillis()));
        document.put("pauseMillis", value(run.pauseMillis()));
        document.put("clientInterruptionMillis", value(run.clientInterruptionMillis()));
        document.put("bytesTransferred", value(run.bytesTransferred()));
        document.put("guestAlive", run.guestAlive());
        document.put("detail", run.detail());
        return document;
    }

    private static Map<String, Object> controlPlane(ControlPlaneFigures plane) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("launcher", plane.launcher());
        document.put("pluginsStarted", plane.pluginsStarted());
        document.put("migrateWallMillis", measured(plane.migrateWallMillis()));
        document.put("migrateHypervisorMillis", measured(plane.migrateHypervisorMillis()));
        document.put("overheadMillis", measured(plane.overheadMillis()));
        document.put("versionMillis", measured(plane.versionMillis()));
        document.put("jvmStartMillis", measured(plane.jvmStartMillis()));
        document.put("pluginLoadMillis", measured(plane.pluginLoadMillis()));
        document.put("coreLoadMillis", measured(plane.coreLoadMillis()));
        return document;
    }

    private static Map<String, Object> measured(List<Double> values) {
        Map<String, Object> document = summary(Statistics.summarize(values));
        document.put("values", values);
        return document;
    }

    private static Map<String, Object> summary(Statistics.Summary summary) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("count", summary.count());
        document.put("median", value(summary.median()));
        document.put("p99", value(summary.p99()));
        document.put("min", value(summary.min()));
        document.put("max", value(summary.max()));
        return document;
    }

    private static Double value(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
