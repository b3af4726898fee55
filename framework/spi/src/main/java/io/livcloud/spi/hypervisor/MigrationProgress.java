package io.livcloud.spi.hypervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * A running migration's figures at one moment, as the hypervisor reports them.
 *
 * @param phase where it is
 * @param elapsed time since it started
 * @param iteration the pre-copy pass (1 for the first full pass)
 * @param memoryTotalBytes the guest memory to move
 * @param memoryTransferredBytes bytes sent so far
 * @param memoryRemainingBytes bytes still to send
 * @param dirtyRateBytesPerSecond how fast the guest dirties memory
 * @param throughputBytesPerSecond how fast the stream moves
 */
public record MigrationProgress(
        MigrationPhase phase,
        Duration elapsed,
        long iteration,
        long memoryTotalBytes,
        long memoryTransferredBytes,
        long memoryRemainingBytes,
        long dirtyRateBytesPerSecond,
        long throughputBytesPerSecond) {

    public MigrationProgress {
        Objects.requireNonNull(phase, "phase is null");
        Objects.requireNonNull(elapsed, "elapsed is null");
    }
}
