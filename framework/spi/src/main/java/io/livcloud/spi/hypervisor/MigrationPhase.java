package io.livcloud.spi.hypervisor;

/** Where a running migration is, as the hypervisor reports it. */
public enum MigrationPhase {
    /** Connecting and preparing the destination. */
    SETUP,
    /** Copying memory while the guest runs on the source. */
    PRE_COPY,
    /** The guest is paused for the final copy. */
    SWITCH_OVER,
    /** The guest runs on the destination and fetches the rest of its memory from the source. */
    POST_COPY,
    /** Finished: the guest runs on the destination only. */
    COMPLETED,
    /** Failed: the guest runs on the source. */
    FAILED,
    /** Cancelled: the guest runs on the source. */
    CANCELLED
}
