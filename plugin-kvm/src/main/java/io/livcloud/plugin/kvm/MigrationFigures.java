package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationProgress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** libvirt's job statistics as LivCloud's migration figures: progress, outcome, event attributes and messages. */
final class MigrationFigures {

    private static final long DEFAULT_PAGE_SIZE = 4096;

    private MigrationFigures() {
    }

    /**
     * The progress of a running outgoing migration.
     *
     * @param statistics the source's statistics of the current job ({@link JobStatistics#none()} before libvirt
     *     starts it)
     * @param state the source domain's state, which tells switch-over and post-copy apart
     * @param sinceStart the time since the plugin started the job, used until libvirt reports its own
     */
    static MigrationProgress progress(JobStatistics statistics, DomainState state, Duration sinceStart) {
        long iteration = statistics.number(JobStatistics.MEMORY_ITERATION).orElse(0);
        long total = statistics.number(JobStatistics.MEMORY_TOTAL).orElse(0);
        long transferred = statistics.number(JobStatistics.MEMORY_PROCESSED).orElse(0);
        long pageSize = statistics.number(JobStatistics.MEMORY_PAGE_SIZE).orElse(DEFAULT_PAGE_SIZE);
        return new MigrationProgress(
                phase(statistics, state),
                statistics.number(JobStatistics.TIME_ELAPSED).stream()
                        .mapToObj(Duration::ofMillis).findFirst().orElse(sinceStart),
                iteration,
                total,
                transferred,
                statistics.number(JobStatistics.MEMORY_REMAINING).orElse(0),
                statistics.number(JobStatistics.MEMORY_DIRTY_RATE).orElse(0) * pageSize,
                statistics.number(JobStatistics.MEMORY_BPS).orElse(0));
    }

    /**
     * Where a running outgoing migration is. libvirt's statistics carry no phase, so: paused for post-copy
     * ({@code PAUSED_POSTCOPY}) is post-copy; paused for migration ({@code PAUSED_MIGRATION}) is the switch-over;
     * a first pass under way is pre-copy; anything earlier is setup.
     */
    static MigrationPhase phase(JobStatistics statistics, DomainState state) {
        if (state.state() == DomainState.PAUSED && state.reason() == DomainState.PAUSED_POSTCOPY) {
            return MigrationPhase.POST_COPY;
        }
        if (!statistics.active()) {
            return MigrationPhase.SETUP;
        }
        if (state.state() == DomainState.PAUSED && state.reason() == DomainState.PAUSED_MIGRATION) {
            return MigrationPhase.SWITCH_OVER;
        }
        boolean copying = statistics.number(JobStatistics.MEMORY_ITERATION).orElse(0) > 0
                || statistics.number(JobStatistics.MEMORY_PROCESSED).orElse(0) > 0;
        return copying ? MigrationPhase.PRE_COPY : MigrationPhase.SETUP;
    }

    /**
     * The outcome of a migration that ended, from the completed job's statistics (empty statistics when libvirt
     * kept none).
     *
     * @param phase how it ended
     * @param completed the statistics of the completed job
     * @param measured the time the plugin measured from start to end; when unknown (an adopted job), libvirt's
     *     {@code time_elapsed}, which leaves out the destination's preparation and the final confirmation
     * @param lastSeenTransferred the bytes sent at the last progress reading: the least it sent
     * @param detail the line for people
     */
    static MigrationOutcome outcome(MigrationPhase phase, JobStatistics completed, Optional<Duration> measured,
            long lastSeenTransferred, String detail) {
        Duration total = measured.orElseGet(() -> completed.number(JobStatistics.TIME_ELAPSED).stream()
                .mapToObj(Duration::ofMillis).findFirst().orElse(Duration.ZERO));
        Optional<Duration> downtime = phase == MigrationPhase.COMPLETED
                ? completed.number(JobStatistics.DOWNTIME).stream().mapToObj(Duration::ofMillis).findFirst()
                : Optional.empty();
        // Never less than seen running: libvirt 9.0 reports 0 bytes for a cancelled migration that sent some.
        long bytes = Math.max(lastSeenTransferred, completed.number(JobStatistics.DATA_PROCESSED).orElse(
                completed.number(JobStatistics.MEMORY_PROCESSED).orElse(0)
                        + completed.number(JobStatistics.DISK_PROCESSED).orElse(0)));
        return new MigrationOutcome(phase, total, downtime, bytes, detail);
    }

    /** The attributes of a {@code migration.progress} event. */
    static Map<String, String> attributes(String vmName, MigrationProgress progress) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("vm", vmName);
        attributes.put("phase", progress.phase().name());
        attributes.put("elapsed-ms", Long.toString(progress.elapsed().toMillis()));
        attributes.put("iteration", Long.toString(progress.iteration()));
        attributes.put("memory-total-bytes", Long.toString(progress.memoryTotalBytes()));
        attributes.put("memory-transferred-bytes", Long.toString(progress.memoryTransferredBytes()));
        attributes.put("memory-remaining-bytes", Long.toString(progress.memoryRemainingBytes()));
        attributes.put("dirty-rate-bytes-per-second", Long.toString(progress.dirtyRateBytesPerSecond()));
        attributes.put("throughput-bytes-per-second", Long.toString(progress.throughputBytesPerSecond()));
        return attributes;
    }

    /** The attributes of a {@code migration.completed}, {@code .failed} or {@code .cancelled} event. */
    static Map<String, String> attributes(String vmName, MigrationOutcome outcome) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("vm", vmName);
        attributes.put("phase", outcome.phase().name());
        attributes.put("total-ms", Long.toString(outcome.totalTime().toMillis()));
        outcome.downtime().ifPresent(downtime -> attributes.put("downtime-ms", Long.toString(downtime.toMillis())));
        attributes.put("bytes-transferred", Long.toString(outcome.bytesTransferred()));
        return attributes;
    }

    /** One line, e.g. {@code web1: pre-copy pass 2, 48.0 MiB of 256.0 MiB sent, 12.5 MiB left, 110.2 MiB/s}. */
    static String message(String vmName, MigrationProgress progress) {
        String phase = progress.phase().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (progress.phase() == MigrationPhase.SETUP) {
            return vmName + ": " + phase;
        }
        return vmName + ": " + phase + " pass " + progress.iteration() + ", "
                + Formats.size(progress.memoryTransferredBytes()) + " of " + Formats.size(progress.memoryTotalBytes()) + " sent, "
                + Formats.size(progress.memoryRemainingBytes()) + " left, " + Formats.size(progress.throughputBytesPerSecond()) + "/s";
    }
}
