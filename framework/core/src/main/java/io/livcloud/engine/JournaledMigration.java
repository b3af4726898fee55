package io.livcloud.engine;

import io.livcloud.engine.journal.Journal;
import io.livcloud.engine.journal.MigrationRecord;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One migration as this process drives it: what moves where under which policy, the phase it is in, and how each step
 * reaches the journal, the listener and, at its end, the report. The {@link ForwardPath} and the {@link Recovery}
 * both act through it, so that a migration is journaled and ended the same way whichever of them ends it.
 */
final class JournaledMigration {

    private final EngineServices services;
    private final Journal journal;
    private final Clock clock;
    private final String id;
    private final String vmName;
    private final String from;
    private final String to;
    private final EnginePolicy policy;
    private final Consumer<EngineEvent> listener;
    private final Instant startedAt;
    private final Set<String> abortedHere;
    private final ClientContinuity continuity;
    private Phase phase = Phase.PLAN;
    private Optional<MigrationOutcome> transferOutcome = Optional.empty();

    /**
     * @param abortedHere the ids of migrations this process was asked to abort (the journal has the others' requests)
     */
    JournaledMigration(EngineServices services, String id, String vmName, String from, String to,
            EnginePolicy policy, Consumer<EngineEvent> listener, Instant startedAt, Set<String> abortedHere) {
        this.services = services;
        this.journal = services.journal();
        this.clock = services.clock();
        this.id = id;
        this.vmName = vmName;
        this.from = from;
        this.to = to;
        this.policy = policy;
        this.listener = listener;
        this.startedAt = startedAt;
        this.abortedHere = abortedHere;
        this.continuity = new ClientContinuity(id, from, to, policy.reachability(), services.sites(),
                services.tunnels(), journal, this::event);
    }

    String id() {
        return id;
    }

    String vmName() {
        return vmName;
    }

    /** The source site's name. */
    String from() {
        return from;
    }

    /** The destination site's name. */
    String to() {
        return to;
    }

    EnginePolicy policy() {
        return policy;
    }

    /** The phase last entered. */
    Phase phase() {
        return phase;
    }

    /** The care for the VM's clients, which ends with the migration. */
    ClientContinuity continuity() {
        return continuity;
    }

    /** The hypervisor's outcome of the forward transfer, once it ended. */
    Optional<MigrationOutcome> transferOutcome() {
        return transferOutcome;
    }

    void transferEnded(Optional<MigrationOutcome> outcome) {
        transferOutcome = outcome;
    }

    /** Whether an abort was asked for, here or from another process through the journal. */
    boolean abortRequested() {
        return abortedHere.contains(id) || journal.abortRequested(id);
    }

    /** Journals the phase, then tells the listener. */
    void enter(Phase next, String note) {
        journal.enter(id, next, note);
        phase = next;
        event("phase", next, next + ": " + note, Map.of());
    }

    void event(String type, Phase eventPhase, String message, Map<String, String> attributes) {
        emit(new EngineEvent(clock.instant(), id, type, eventPhase, message, attributes, Optional.empty()));
    }

    void emit(EngineEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            // A listener's failure (a closed terminal) must not stop a migration half-way.
        }
    }

    /**
     * Journals the final phase, writes the report and tells the listener the outcome.
     *
     * @param runsOn the site the VM runs on now
     */
    MigrationResult end(Phase finalPhase, String detail, String runsOn) {
        continuity.close(); // a watch still running (an abort, a failure) stops with the migration
        journal.enter(id, finalPhase, detail);
        phase = finalPhase;
        Duration total = Duration.between(startedAt, clock.instant());
        Optional<Duration> downtime = finalPhase == Phase.DONE
                ? transferOutcome.flatMap(MigrationOutcome::downtime)
                        .or(() -> journal.find(id).map(MigrationRecord::context)
                                .map(context -> context.get(MigrationEngine.Context.DOWNTIME_MS))
                                .map(Long::parseLong).map(Duration::ofMillis))
                : Optional.empty();
        Optional<Duration> clientGap = continuity.clientGap();
        Optional<ReportWriter.Written> written = writeReport(finalPhase, detail, downtime, clientGap);
        event("outcome", finalPhase, finalPhase + ": " + detail, Map.of("runs-on", runsOn));
        written.ifPresent(files -> event("report", finalPhase, "report: " + files.html(), Map.of("html",
                files.html().toString(), "json", files.json().toString())));
        return new MigrationResult(id, finalPhase, detail, runsOn, downtime, total, written, clientGap);
    }

    private Optional<ReportWriter.Written> writeReport(Phase finalPhase, String detail, Optional<Duration> downtime,
            Optional<Duration> clientGap) {
        try {
            MigrationRecord record = journal.find(id).orElseThrow();
            Map<String, String> context = record.context();
            Optional<MigrationReport.Pause> pause = downtime.map(value -> new MigrationReport.Pause(
                    Optional.ofNullable(context.get(MigrationEngine.Context.PAUSE_AT)).map(Instant::parse)
                            .orElse(record.endedAt().orElse(clock.instant())), value));
            MigrationReport report = new MigrationReport(id, vmName, from, to, policy.describe(), startedAt,
                    record.endedAt().orElse(clock.instant()), finalPhase, detail, journal.phases(id),
                    journal.samples(id), journal.ladder(id), journal.checks(id), pause,
                    Optional.ofNullable(context.get(MigrationEngine.Context.TRANSFER_MS)).map(Long::parseLong)
                            .map(Duration::ofMillis),
                    Optional.ofNullable(context.get(MigrationEngine.Context.BYTES)).map(Long::parseLong).orElse(0L),
                    clientGap);
            ReportWriter.Written written = services.reports().write(report, services.reportsDirectory());
            journal.putContext(id, Map.of(MigrationEngine.Context.REPORT, written.html().toString()));
            return Optional.of(written);
        } catch (RuntimeException e) {
            event("report", finalPhase, "the report could not be written: " + e.getMessage(), Map.of());
            return Optional.empty();
        }
    }
}
