package io.livcloud.engine;

import io.livcloud.engine.journal.Journal;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationProgress;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.hypervisor.VmInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The TRANSFER phase: runs the hypervisor's migration attempt by attempt as the {@link ConvergenceLadder} decides,
 * samples its progress into the journal and to the listener, and stops it on an abort request or at the completion
 * deadline. Until the hypervisor switches over, stopping leaves the VM running at the source.
 */
final class Transfer {

    /** How the transfer ended. */
    enum Kind {
        COMPLETED, ABORTED, GAVE_UP, FAILED
    }

    /**
     * @param kind how it ended
     * @param reason why, for people
     * @param outcome the hypervisor's last outcome
     */
    record Ending(Kind kind, String reason, Optional<MigrationOutcome> outcome) {
    }

    /** Journals a phase and reports it. */
    interface PhaseEntry {
        void enter(Phase phase, String note);
    }

    /** Reports an event. */
    interface EventSink {
        void event(String type, Phase phase, String message, Map<String, String> attributes);
    }

    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final String id;
    private final VmInfo vm;
    private final Route route;
    private final EnginePolicy policy;
    private final Instant deadline;
    private final Journal journal;
    private final Clock clock;
    private final BooleanSupplier abortRequested;
    private final PhaseEntry phases;
    private final EventSink events;
    private final ProgressListener progress;
    private final SiteHypervisors hypervisor;
    private final Consumer<EngineEvent.Progress> progressSink;

    Transfer(String id, VmInfo vm, Route route, EnginePolicy policy, Instant deadline, Journal journal, Clock clock,
            SiteHypervisors hypervisor, BooleanSupplier abortRequested, PhaseEntry phases, EventSink events,
            Consumer<EngineEvent.Progress> progressSink) {
        this.id = id;
        this.hypervisor = hypervisor;
        this.progressSink = progressSink;
        this.vm = vm;
        this.route = route;
        this.policy = policy;
        this.deadline = deadline;
        this.journal = journal;
        this.clock = clock;
        this.abortRequested = abortRequested;
        this.phases = phases;
        this.events = events;
        this.progress = new ProgressListener();
    }

    /** Progress events go through the same sink, with figures. */
    private final class ProgressListener {
        private long sentBefore;
        private long sentMaximum;

        void report(ConvergenceLadder.Attempt attempt, MigrationProgress reading, Instant transferStart) {
            long sent = Math.max(sentMaximum, sentBefore + reading.memoryTransferredBytes());
            sentMaximum = sent;
            EngineEvent.Progress figures = new EngineEvent.Progress(attempt.number(), attempt.label(),
                    reading.iteration(), Duration.between(transferStart, clock.instant()), sent,
                    reading.memoryRemainingBytes(), vm.memoryBytes(), reading.dirtyRateBytesPerSecond(),
                    reading.throughputBytesPerSecond());
            progressSink.accept(figures);
        }

        void attemptEnded(long sentInAttempt) {
            sentBefore += sentInAttempt;
            sentMaximum = Math.max(sentMaximum, sentBefore);
        }
    }

    Ending run() {
        ConvergenceLadder ladder = new ConvergenceLadder(policy);
        Instant transferStart = clock.instant();
        try (HypervisorConnection source = hypervisor.connect(route.from().name(), route.sourceHost().hypervisorUri())) {
            while (true) {
                ConvergenceLadder.Attempt attempt = ladder.attempt();
                journal.putContext(id, Map.of(MigrationEngine.Context.ATTEMPT, attempt.number() + ": "
                        + attempt.label()));
                events.event("attempt", Phase.TRANSFER, "attempt " + attempt.number() + ": " + attempt.label()
                        + ", pause limit " + attempt.downtimeLimit().toMillis() + " ms", Map.of());
                Duration left = Duration.between(clock.instant(), deadline);
                MigrationJob job = source.migrate(new MigrationRequest(vm.name(), route.peerUri(), route.dataUri(),
                        new MigrationPolicy(attempt.downtimeLimit(), policy.bandwidthBytesPerSecond(),
                                features(attempt), attempt.channels(), "none",
                                // The hypervisor's own watchdog backs ours, a little later.
                                left.plus(SETTLE)), true));
                Ending ending = watch(job, attempt, ladder, transferStart);
                if (ending != null) {
                    return ending;
                }
            }
        }
    }

    /** The attempt's techniques, and on the TLS path the hypervisor's TLS on every attempt's streams. */
    private Set<MigrationFeature> features(ConvergenceLadder.Attempt attempt) {
        Set<MigrationFeature> features = EnumSet.noneOf(MigrationFeature.class);
        features.addAll(attempt.features());
        if (route.path() == Route.DataPath.TLS) {
            features.add(MigrationFeature.TLS);
        }
        return features;
    }

    /** Follows one attempt; null when the ladder restarts with the next attempt. */
    private Ending watch(MigrationJob job, ConvergenceLadder.Attempt attempt, ConvergenceLadder ladder,
            Instant transferStart) {
        Kind stopping = null;
        String stopReason = "";
        boolean restarting = false;
        boolean switchedOver = false;
        MigrationProgress last = null;
        while (true) {
            Optional<MigrationOutcome> end = job.awaitCompletion(policy.pollInterval());
            if (end.isPresent()) {
                MigrationOutcome outcome = end.get();
                progress.attemptEnded(last == null ? 0 : last.memoryTransferredBytes());
                if (outcome.phase() == MigrationPhase.COMPLETED) {
                    return new Ending(Kind.COMPLETED, outcome.detail(), end);
                }
                if (restarting && stopping == null) {
                    return null;
                }
                if (stopping != null) {
                    return new Ending(stopping, stopReason, end);
                }
                return new Ending(Kind.FAILED, "the hypervisor's migration failed: " + outcome.detail(), end);
            }
            MigrationProgress reading = job.progress();
            last = reading;
            journal.recordSample(id, new MigrationReport.Sample(clock.instant(), reading.iteration(),
                    reading.memoryTransferredBytes(), reading.memoryRemainingBytes(),
                    reading.dirtyRateBytesPerSecond(), reading.throughputBytesPerSecond()));
            progress.report(attempt, reading, transferStart);
            if (!switchedOver && (reading.phase() == MigrationPhase.SWITCH_OVER
                    || reading.phase() == MigrationPhase.POST_COPY)) {
                switchedOver = true;
                journal.putContext(id, Map.of(MigrationEngine.Context.PAUSE_AT, clock.instant().toString()));
                phases.enter(Phase.SWITCH_OVER, "the hypervisor is switching over ("
                        + reading.phase().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            if (stopping != null || restarting || switchedOver) {
                continue; // waiting for the job to end
            }
            if (abortRequested.getAsBoolean()) {
                stopping = Kind.ABORTED;
                stopReason = "an abort was requested";
                job.abort();
                continue;
            }
            if (clock.instant().isAfter(deadline)) {
                stopping = Kind.GAVE_UP;
                stopReason = "did not finish within the completion timeout of "
                        + policy.completionTimeout(vm.memoryBytes()).toSeconds() + " s";
                job.abort();
                continue;
            }
            ConvergenceLadder.Decision decision = ladder.observe(reading);
            if (decision instanceof ConvergenceLadder.Decision.RaiseDowntime raise) {
                step("pause limit -> " + raise.limit().toMillis() + " ms", raise.reason());
                job.setDowntimeLimit(raise.limit());
            } else if (decision instanceof ConvergenceLadder.Decision.Restart restart) {
                step("restart as attempt " + restart.next().number() + ": " + restart.next().label(),
                        restart.reason());
                restarting = true;
                job.abort();
            } else if (decision instanceof ConvergenceLadder.Decision.SwitchToPostCopy postCopy) {
                step("switch to post-copy", postCopy.reason());
                // Journaled before acting: from here the VM's memory is split between the hosts.
                phases.enter(Phase.SWITCH_OVER, "switching to post-copy");
                switchedOver = true;
                job.startPostCopy();
            } else if (decision instanceof ConvergenceLadder.Decision.GiveUp giveUp) {
                step("give up", giveUp.reason());
                stopping = Kind.GAVE_UP;
                stopReason = giveUp.reason();
                job.abort();
            }
        }
    }

    private void step(String step, String reason) {
        journal.recordLadderStep(id, new MigrationReport.LadderStep(clock.instant(), step, reason));
        events.event("ladder", Phase.TRANSFER, step + " (" + reason + ")", Map.of("step", step));
    }
}
