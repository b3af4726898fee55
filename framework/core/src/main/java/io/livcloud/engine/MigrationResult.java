package io.livcloud.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a migration ended.
 *
 * @param migrationId its id
 * @param finalPhase {@link Phase#DONE}, {@link Phase#ABORTED} or {@link Phase#FAILED}
 * @param detail one line: the figures, or why it stopped and where the VM runs
 * @param runsOn the site the VM runs on now
 * @param downtime the pause the hypervisor measured, when it switched over
 * @param totalTime from the first phase to the last
 * @param report the report's files, when written
 * @param clientInterruption the longest gap between the VM's answers that the policy's client-side watch saw during
 *     the move; empty when the policy asks for no reachability check or the watch could not run
 */
public record MigrationResult(String migrationId, Phase finalPhase, String detail, String runsOn,
        Optional<Duration> downtime, Duration totalTime, Optional<ReportWriter.Written> report,
        Optional<Duration> clientInterruption) {

    public MigrationResult {
        Objects.requireNonNull(migrationId, "migrationId is null");
        Objects.requireNonNull(finalPhase, "finalPhase is null");
        Objects.requireNonNull(detail, "detail is null");
        Objects.requireNonNull(runsOn, "runsOn is null");
        Objects.requireNonNull(downtime, "downtime is null");
        Objects.requireNonNull(totalTime, "totalTime is null");
        Objects.requireNonNull(report, "report is null");
        Objects.requireNonNull(clientInterruption, "clientInterruption is null");
    }

    /** Whether the VM now runs at the destination. */
    public boolean succeeded() {
        return finalPhase == Phase.DONE;
    }

    /** The HTML report, if written. */
    public Optional<Path> htmlReport() {
        return report.map(ReportWriter.Written::html);
    }
}
