package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationProgress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a {@link KvmMigrationJob} tells its end: the statistics libvirt keeps for the ended job, the source's shut-off
 * definition settled after a completed migration, and the outcome's detail, which names the VM and both hosts. Called
 * once, from the job's own thread, before it closes its connections.
 */
final class JobOutcomes {

    private final String vmName;
    private final String sourceName;
    private final String destinationUri;
    /** Null for an adopted job: this process did not start it and knows neither its request nor its start. */
    private final LibvirtMigrationCall libvirtCall;
    private final JobConnections connections;
    private final Supplier<Duration> sinceStart;
    private final Supplier<MigrationProgress> lastProgress;

    /**
     * @param sinceStart the time since the job started, read when an outcome is made
     * @param lastProgress the job's last progress, whose bytes sent an outcome reports
     */
    JobOutcomes(String vmName, String sourceName, String destinationUri, LibvirtMigrationCall libvirtCall,
            JobConnections connections, Supplier<Duration> sinceStart, Supplier<MigrationProgress> lastProgress) {
        this.vmName = Objects.requireNonNull(vmName, "vmName is null");
        this.sourceName = Objects.requireNonNull(sourceName, "sourceName is null");
        this.destinationUri = Objects.requireNonNull(destinationUri, "destinationUri is null");
        this.libvirtCall = libvirtCall;
        this.connections = Objects.requireNonNull(connections, "connections is null");
        this.sinceStart = Objects.requireNonNull(sinceStart, "sinceStart is null");
        this.lastProgress = Objects.requireNonNull(lastProgress, "lastProgress is null");
    }

    /** The VM runs on the destination: what libvirt measured, and what became of the source's definition. */
    MigrationOutcome completed() {
        JobStatistics completed = statistics();
        StringBuilder detail = new StringBuilder("'" + vmName + "' moved from " + sourceName + " to "
                + destinationUri);
        if (libvirtCall != null) {
            detail.append(" in ").append(Formats.duration(sinceStart.get()));
        }
        completed.number(JobStatistics.TIME_ELAPSED).ifPresent(ms ->
                detail.append(libvirtCall != null ? " (QEMU's part " : " in ")
                        .append(Formats.duration(Duration.ofMillis(ms))).append(libvirtCall != null ? ")" : ""));
        completed.number(JobStatistics.DOWNTIME).ifPresent(ms ->
                detail.append(", downtime ").append(Formats.duration(Duration.ofMillis(ms))));
        completed.number(JobStatistics.MEMORY_ITERATION).ifPresent(passes ->
                detail.append(", ").append(passes).append(passes == 1 ? " pass" : " passes"));
        if (completed.type() == JobStatistics.NONE) {
            detail.append("; the source kept no statistics (a transient domain disappears with its migration)");
        }
        try {
            // A transient source has nothing to remove or keep.
            if (connections.onControl(libvirt -> libvirt.isPersistent(vmName))) {
                detail.append(settleSourceDefinition());
            }
        } catch (LibvirtError e) {
            if (e.code() != LibvirtError.NO_DOMAIN) {
                detail.append("; ").append(sourceName).append(" keeps a shut-off definition (").append(e.getMessage())
                        .append("): remove it with virsh undefine ").append(vmName);
            }
        }
        return MigrationFigures.outcome(MigrationPhase.COMPLETED, completed, measuredTime(),
                lastProgress.get().memoryTransferredBytes(), detail.toString());
    }

    /**
     * Removes the source's shut-off definition after a completed migration, unless the request keeps it for a
     * rollback; says which, for the outcome's detail.
     */
    private String settleSourceDefinition() {
        if (libvirtCall == null) {
            // Adopted: whether the request kept the definition for a rollback is unknown here. Removing it cannot be
            // undone; keeping it costs a definition the engine removes with undefine().
            return "; its definition on " + sourceName + " is kept: this process did not start the migration and "
                    + "cannot tell whether it is needed for rollback (undefine removes it)";
        }
        if (libvirtCall.keepSourceDefinition()) {
            return "; its definition on " + sourceName + " is kept for rollback";
        }
        connections.onControl(libvirt -> {
            libvirt.undefine(vmName);
            return null;
        });
        return "; its definition on " + sourceName + " was removed";
    }

    /**
     * The migration failed or was cancelled; the VM keeps running on the source.
     *
     * @param gaveUp whether the job's watchdog cancelled it (the policy's completion timeout passed)
     */
    MigrationOutcome unsuccessful(MigrationPhase phase, String reason, boolean gaveUp) {
        String why = gaveUp && phase == MigrationPhase.CANCELLED
                ? "cancelled after the policy's completion timeout of "
                        + Formats.duration(libvirtCall.giveUpAfter()) + " (" + reason + ")"
                : (phase == MigrationPhase.CANCELLED ? "cancelled" : "failed") + ": " + reason;
        String detail = why + "; '" + vmName + "' keeps running on " + sourceName;
        return MigrationFigures.outcome(phase, statistics(), measuredTime(),
                lastProgress.get().memoryTransferredBytes(), detail);
    }

    /** What libvirt keeps of the ended job; none when it cannot be read. */
    JobStatistics statistics() {
        try {
            return connections.onControl(libvirt -> libvirt.jobStatistics(vmName, true));
        } catch (LibvirtError e) {
            return JobStatistics.none();
        }
    }

    /**
     * The whole migration as the caller lived it, from {@code migrate()} to the end (including libvirt's preparation of
     * the destination and its confirmation afterwards); unknown for an adopted job, whose start this process missed.
     */
    private Optional<Duration> measuredTime() {
        return libvirtCall == null ? Optional.empty() : Optional.of(sinceStart.get());
    }
}
