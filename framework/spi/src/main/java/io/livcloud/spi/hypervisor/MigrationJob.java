package io.livcloud.spi.hypervisor;

import java.time.Duration;
import java.util.Optional;

/**
 * A live migration in progress, started by {@link HypervisorConnection#migrate}. The engine polls
 * {@link #progress()}, tunes the job when pre-copy does not converge and decides when to give up. Thread-safe:
 * {@link #abort()} may be called from another thread (Ctrl-C) while one waits in {@link #awaitCompletion}.
 */
public interface MigrationJob {

    /** The VM being moved. */
    String vmName();

    /** The current figures. */
    MigrationProgress progress();

    /** Changes the pause the hypervisor may take at switch-over; effective from the next pass. */
    void setDowntimeLimit(Duration downtimeLimit);

    /** Changes the stream's bandwidth cap; 0 for none. */
    void setBandwidth(long bytesPerSecond);

    /** Turns on auto-converge (vCPU throttling) if it is not on yet. */
    void enableAutoConverge();

    /**
     * Switches to post-copy.
     *
     * @throws IllegalStateException if the job was not started with {@link MigrationFeature#POST_COPY}
     */
    void startPostCopy();

    /**
     * Cancels the migration if it has not switched over; the VM keeps running on the source and the destination is
     * cleaned up. Does nothing if the job already ended.
     */
    void abort();

    /**
     * Waits for the end.
     *
     * @return the outcome, or empty if the job is still running after {@code timeout}
     */
    Optional<MigrationOutcome> awaitCompletion(Duration timeout);
}
