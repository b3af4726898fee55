package io.livcloud.spi.hypervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a migration ended.
 *
 * @param phase {@link MigrationPhase#COMPLETED}, {@link MigrationPhase#FAILED} or {@link MigrationPhase#CANCELLED}
 * @param totalTime from start to end
 * @param downtime the guest's pause at switch-over as the hypervisor measured it; empty unless completed
 * @param bytesTransferred bytes sent on the wire
 * @param detail one line for people: the failure reason when failed
 */
public record MigrationOutcome(
        MigrationPhase phase,
        Duration totalTime,
        Optional<Duration> downtime,
        long bytesTransferred,
        String detail) {

    public MigrationOutcome {
        Objects.requireNonNull(phase, "phase is null");
        Objects.requireNonNull(totalTime, "totalTime is null");
        Objects.requireNonNull(downtime, "downtime is null");
        Objects.requireNonNull(detail, "detail is null");
        if (phase != MigrationPhase.COMPLETED && phase != MigrationPhase.FAILED && phase != MigrationPhase.CANCELLED) {
            throw new IllegalArgumentException("a migration cannot end in phase " + phase);
        }
    }
}
