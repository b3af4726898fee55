package io.livcloud.engine.journal;

import io.livcloud.engine.Phase;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One migration as the journal holds it: enough to show it and to finish or roll it back after the orchestrator died.
 *
 * @param id the migration's id
 * @param vmName the VM
 * @param fromSite the source site
 * @param toSite the destination site
 * @param phase the phase it entered last (written before that phase acted)
 * @param startedAt when it was created
 * @param updatedAt when the journal last changed for it
 * @param endedAt when it reached a final phase
 * @param detail one line: what happened last, or why it ended
 * @param ownerPid the orchestrator process that runs it; empty once it ended
 * @param abortRequested whether {@code livcloud abort} asked it to stop
 * @param context facts needed to resume: hypervisor URIs, tunnel id, policy, report path (never secrets)
 */
public record MigrationRecord(String id, String vmName, String fromSite, String toSite, Phase phase,
        Instant startedAt, Instant updatedAt, Optional<Instant> endedAt, String detail, Optional<Long> ownerPid,
        boolean abortRequested, Map<String, String> context) {

    public MigrationRecord {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(vmName, "vmName is null");
        Objects.requireNonNull(fromSite, "fromSite is null");
        Objects.requireNonNull(toSite, "toSite is null");
        Objects.requireNonNull(phase, "phase is null");
        Objects.requireNonNull(startedAt, "startedAt is null");
        Objects.requireNonNull(updatedAt, "updatedAt is null");
        Objects.requireNonNull(endedAt, "endedAt is null");
        Objects.requireNonNull(detail, "detail is null");
        Objects.requireNonNull(ownerPid, "ownerPid is null");
        context = Map.copyOf(context);
    }

    /** A context value that must be there. */
    public String require(String key) {
        String value = context.get(key);
        if (value == null) {
            throw new IllegalStateException("migration " + id + " has no " + key + " in its journal");
        }
        return value;
    }
}
