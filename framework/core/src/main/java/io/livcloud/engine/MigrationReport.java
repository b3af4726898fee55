package io.livcloud.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one migration's report shows: who moved where, how, the phases with their times, the progress samples of
 * the transfer, the convergence steps taken, the pause, and how it ended. Written as JSON and as an HTML page with an
 * SVG chart by {@link ReportWriter}.
 *
 * @param migrationId the migration's id
 * @param vmName the VM
 * @param fromSite the source site
 * @param toSite the destination site
 * @param policy the policy's settings as shown to people (name → value)
 * @param startedAt when the migration started (PLAN)
 * @param endedAt when it reached its final phase
 * @param finalPhase {@link Phase#DONE}, {@link Phase#ABORTED} or {@link Phase#FAILED}
 * @param detail one line: the figures when done, the reason otherwise
 * @param phases each phase entered, in order, with when
 * @param samples the transfer's progress, in time order
 * @param ladder the convergence steps taken during the transfer, in order
 * @param checks the preflight checks and their results
 * @param pause the VM's pause at switch-over: when and how long as the hypervisor measured it; empty if none happened
 * @param totalTransferTime the hypervisor's own total migration time; empty if the transfer did not end
 * @param bytesTransferred bytes the hypervisor sent
 * @param clientInterruption the longest gap a client saw in the VM's replies, when measured; empty otherwise
 */
public record MigrationReport(
        String migrationId,
        String vmName,
        String fromSite,
        String toSite,
        Map<String, String> policy,
        Instant startedAt,
        Instant endedAt,
        Phase finalPhase,
        String detail,
        List<PhaseMark> phases,
        List<Sample> samples,
        List<LadderStep> ladder,
        List<Check> checks,
        Optional<Pause> pause,
        Optional<Duration> totalTransferTime,
        long bytesTransferred,
        Optional<Duration> clientInterruption) {

    public MigrationReport {
        Objects.requireNonNull(migrationId, "migrationId is null");
        Objects.requireNonNull(vmName, "vmName is null");
        Objects.requireNonNull(fromSite, "fromSite is null");
        Objects.requireNonNull(toSite, "toSite is null");
        policy = Map.copyOf(policy);
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(endedAt, "endedAt is null");
        Objects.requireNonNull(finalPhase, "finalPhase is null");
        Objects.requireNonNull(detail, "detail is null");
        phases = List.copyOf(phases);
        samples = List.copyOf(samples);
        ladder = List.copyOf(ladder);
        checks = List.copyOf(checks);
        Objects.requireNonNull(pause, "pause is null");
        Objects.requireNonNull(totalTransferTime, "totalTransferTime is null");
        Objects.requireNonNull(clientInterruption, "clientInterruption is null");
    }

    /**
     * A phase entered.
     *
     * @param phase the phase
     * @param at when
     */
    public record PhaseMark(Phase phase, Instant at) {
        public PhaseMark {
            Objects.requireNonNull(phase, "phase is null");
            Objects.requireNonNull(at, "at is null");
        }
    }

    /**
     * The transfer's figures at one moment.
     *
     * @param at when
     * @param iteration the pre-copy pass
     * @param transferredBytes sent so far
     * @param remainingBytes still to send
     * @param dirtyRateBytesPerSecond how fast the guest dirtied memory
     * @param throughputBytesPerSecond how fast the stream moved
     */
    public record Sample(Instant at, long iteration, long transferredBytes, long remainingBytes,
            long dirtyRateBytesPerSecond, long throughputBytesPerSecond) {
        public Sample {
            Objects.requireNonNull(at, "at is null");
        }
    }

    /**
     * A convergence step.
     *
     * @param at when it was taken
     * @param step what was done, e.g. {@code downtime-limit 300ms -> 1s}
     * @param reason why, e.g. {@code remaining memory grew over 3 passes}
     */
    public record LadderStep(Instant at, String step, String reason) {
        public LadderStep {
            Objects.requireNonNull(at, "at is null");
            Objects.requireNonNull(step, "step is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }

    /**
     * A preflight check.
     *
     * @param name what was checked, e.g. {@code architecture}
     * @param passed whether it passed
     * @param detail what was found
     * @param remedy what to do when it failed; empty otherwise
     */
    public record Check(String name, boolean passed, String detail, String remedy) {
        public Check {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(detail, "detail is null");
            Objects.requireNonNull(remedy, "remedy is null");
        }
    }

    /**
     * The VM's pause at switch-over.
     *
     * @param at about when it happened (the switch-over's start)
     * @param downtime how long, as the hypervisor measured it
     */
    public record Pause(Instant at, Duration downtime) {
        public Pause {
            Objects.requireNonNull(at, "at is null");
            Objects.requireNonNull(downtime, "downtime is null");
        }
    }
}
