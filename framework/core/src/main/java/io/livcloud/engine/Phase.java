package io.livcloud.engine;

/**
 * Where a migration is in the engine's state machine. The happy path runs PLAN → PREFLIGHT → CHANNEL → PREPARE →
 * TRANSFER → SWITCH_OVER → VERIFY → CLEANUP → DONE; ROLLBACK leads to ABORTED (stopped on purpose, the VM runs on the
 * source) or FAILED (something broke; the VM still runs exactly once, and the journal says where).
 */
public enum Phase {
    /** The steps and checks are worked out; nothing has changed. */
    PLAN,
    /** Compatibility, capacity, probe verdict, path encryption, storage: nothing changes if one fails. */
    PREFLIGHT,
    /** The tunnel between the sites is up and carries traffic. */
    CHANNEL,
    /** The destination is ready to receive. */
    PREPARE,
    /** Memory is copied while the VM runs on the source (pre-copy, with the convergence ladder). */
    TRANSFER,
    /** The VM pauses on the source and resumes on the destination (or runs there in post-copy). */
    SWITCH_OVER,
    /** The VM runs on the destination, and only there. */
    VERIFY,
    /** The source definition is kept stopped for the rollback window; temporary resources go. */
    CLEANUP,
    /** Finished: the VM runs on the destination. */
    DONE,
    /** Undoing: the VM is (made) running on the source only, the destination is cleaned. */
    ROLLBACK,
    /** Stopped on request; the VM runs on the source. */
    ABORTED,
    /** Stopped by a failure; the VM runs on exactly one side, which the journal names. */
    FAILED;

    /** Whether the migration has ended in this phase. */
    public boolean terminal() {
        return this == DONE || this == ABORTED || this == FAILED;
    }
}
