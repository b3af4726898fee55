package io.livcloud.engine.report;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationReport.PhaseMark;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Times relative to a migration's start, shared by the JSON document, the page and the chart. */
final class Timing {

    private Timing() {
    }

    /** From the migration's start to {@code at}; negative if {@code at} is earlier (a clock step, a bad sample). */
    static Duration sinceStart(MigrationReport report, Instant at) {
        return Duration.between(report.startedAt(), at);
    }

    /** {@link #sinceStart} in seconds, without the overflow of {@link Duration#toNanos()} on absurd spans. */
    static double secondsSinceStart(MigrationReport report, Instant at) {
        Duration since = sinceStart(report, at);
        return since.getSeconds() + since.getNano() / 1e9;
    }

    /**
     * How long the migration stayed in each phase of {@link MigrationReport#phases()}, in the same order: until the next
     * phase was entered, the last one until the migration ended (zero for a final phase entered at the end).
     */
    static List<Duration> timeInEachPhase(MigrationReport report) {
        List<PhaseMark> phases = report.phases();
        List<Duration> durations = new ArrayList<>(phases.size());
        for (int index = 0; index < phases.size(); index++) {
            Instant until = index + 1 < phases.size() ? phases.get(index + 1).at() : report.endedAt();
            durations.add(Duration.between(phases.get(index).at(), until));
        }
        return durations;
    }
}
