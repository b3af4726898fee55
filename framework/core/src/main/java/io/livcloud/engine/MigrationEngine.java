package io.livcloud.engine;

import io.livcloud.LivCloudException;
import io.livcloud.engine.journal.Journal;
import io.livcloud.engine.journal.MigrationRecord;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The migration engine: runs a migration through its phases, journaling each one before acting on it, and finishes
 * or rolls back migrations whose orchestrator died, so that exactly one copy of the VM runs.
 *
 * <p>Used by the CLI and by embedding applications through {@link io.livcloud.LivCloud#migrations()}; one engine per
 * {@code LivCloud}. {@link #migrate} runs on the caller's thread until the migration ends; {@link #abort} may be
 * called from any thread or, through the journal, from another process.
 */
public final class MigrationEngine {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final SiteDirectory sites;
    private final Hypervisor hypervisor;
    private final TunnelService tunnels;
    private final Journal journal;
    private final ReportWriter reports;
    private final Path reportsDirectory;
    private final Clock clock;
    private final Preflight preflight;
    /** The client-side watch stops by itself this long after the migration's own deadline. */
    private static final Duration CLIENT_WATCH_SLACK = Duration.ofMinutes(2);

    private final Set<String> abortedHere = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    public MigrationEngine(SiteDirectory sites, Hypervisor hypervisor, TunnelService tunnels, Journal journal,
            ReportWriter reports, Path reportsDirectory, Clock clock) {
        this.sites = sites;
        this.hypervisor = hypervisor;
        this.tunnels = tunnels;
        this.journal = journal;
        this.reports = reports;
        this.reportsDirectory = reportsDirectory;
        this.clock = clock;
        this.preflight = new Preflight(sites, hypervisor, tunnels);
    }

    /** The journal, for status and history. */
    public Journal journal() {
        return journal;
    }

    /**
     * What migrating the VM would do: route, every preflight check, the steps, the warnings. Changes nothing, not
     * even the journal.
     *
     * @param fromSite the source site; empty to find the site that runs the VM
     */
    public MigrationPlan plan(String vmName, Optional<String> fromSite, String toSite, EnginePolicy policy) {
        String from = fromSite.orElseGet(() -> preflight.locate(vmName));
        Preflight.Result result = preflight.run(vmName, from, toSite, policy);
        List<String> steps = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        String path = result.route().map(Route::describe).orElse("unknown (the VM or a host was not found)");
        steps.add("PREFLIGHT  the checks below; nothing changes if one fails");
        result.route().ifPresent(route -> steps.add(channelStep(route)));
        steps.add("PREPARE    check the destination host is ready to receive");
        ConvergenceLadder ladder = new ConvergenceLadder(policy);
        steps.add("TRANSFER   " + ladder.attempt().label() + ", pause target " + policy.downtimeTarget().toMillis()
                + " ms; if it stops converging: " + String.join(" -> ", policy.ladder().stream()
                        .map(EnginePolicy.Rung::label).toList()) + "; given up after "
                + result.vm().map(vm -> policy.completionTimeout(vm.memoryBytes()).toSeconds() + " s").orElse("?")
                + " (the VM keeps running at " + from + ")");
        steps.add("SWITCH_OVER the hypervisor pauses the VM at " + from + " and resumes it at " + toSite);
        steps.add("VERIFY     the VM runs at " + toSite + " and only there" + policy.reachability().target()
                .map(target -> "; " + target + " answers from " + (policy.reachability().fromSite().isEmpty() ? from
                        : policy.reachability().fromSite()) + ", else " + policy.reachability().onUnreachable().label())
                .orElse(""));
        steps.add("CLEANUP    keep its stopped definition at " + from + " for " + policy.rollbackWindow().toMinutes()
                + " min (rollback), then remove it");
        if (policy.allowPostCopy() && policy.ladder().contains(EnginePolicy.Rung.POST_COPY)) {
            warnings.add("post-copy is allowed: once switched, the VM's memory is split between the sites, and if the"
                    + " link fails then the VM is lost on both");
        }
        result.route().filter(route -> !route.encrypted()).ifPresent(route ->
                warnings.add("the migration data would cross the WAN unencrypted"));
        result.route().filter(route -> route.path() == Route.DataPath.TLS && !route.usesTunnel()).ifPresent(route ->
                warnings.add("the hypervisors' control connection (the VM's definition, not its memory) would cross"
                        + " the WAN unencrypted"));
        return new MigrationPlan(vmName, from, toSite,
                result.route().map(route -> route.sourceHost().hypervisorUri()).orElse(""),
                result.route().map(route -> route.destinationHost().hypervisorUri()).orElse(""), path,
                policy.describe(), result.checks(), steps, warnings);
    }

    private static String channelStep(Route route) {
        if (route.usesTunnel()) {
            return "CHANNEL    bring tunnel " + route.tunnelId() + " up and check that traffic crosses it"
                    + (route.path() == Route.DataPath.TLS ? " (it carries the hypervisors' control connection; the"
                            + " data goes under TLS across the WAN)" : "");
        }
        return route.path() == Route.DataPath.TLS
                ? "CHANNEL    none: the data goes under the hypervisor's TLS, the control connection in plaintext"
                        + " (--allow-plaintext)"
                : "CHANNEL    none: the data crosses the WAN unencrypted (--allow-plaintext)";
    }

    /**
     * Migrates the VM and returns when it has ended: at the destination ({@link Phase#DONE}), or back at the source.
     * Every phase is in the journal before it acts, so a process that dies here leaves a migration that
     * {@link #resume} finishes or rolls back.
     *
     * @throws LivCloudException if the sites or the VM cannot be found before the journal has the migration
     */
    public MigrationResult migrate(String vmName, Optional<String> fromSite, String toSite, EnginePolicy policy,
            Consumer<EngineEvent> listener) {
        String from = fromSite.orElseGet(() -> preflight.locate(vmName));
        String id = "m-" + ID_TIME.format(clock.instant()) + "-" + HexFormat.of().formatHex(randomBytes());
        Map<String, String> context = new LinkedHashMap<>();
        context.put(Context.POLICY, policy.describe().toString());
        MigrationRecord created = journal.create(id, vmName, from, toSite, context);
        // The journal's creation time, so that the report's first phase never comes before its start.
        Run run = new Run(id, vmName, from, toSite, policy, listener, created.startedAt());
        run.event("phase", Phase.PLAN, "migration " + id + ": " + vmName + " from " + from + " to " + toSite,
                Map.of());
        try {
            return run.execute();
        } catch (RuntimeException e) {
            // Whatever broke, the VM must end up running exactly once: reconcile from what the hypervisors say.
            return run.recover(e);
        }
    }

    /**
     * Asks a running migration to stop: before switch-over the VM stays at the source and the destination is cleaned.
     * Works from another process too (through the journal).
     *
     * @return whether the migration was running
     */
    public boolean abort(String migrationId) {
        abortedHere.add(migrationId);
        return journal.requestAbort(migrationId);
    }

    /**
     * Finishes or rolls back every migration whose orchestrator is gone (killed, crashed, the machine restarted),
     * after asking both hypervisors what really runs, so that exactly one copy of each VM runs.
     */
    public List<MigrationResult> resume(Consumer<EngineEvent> listener) {
        expireRollbackWindows(listener);
        List<MigrationResult> results = new ArrayList<>();
        for (MigrationRecord record : journal.unfinished()) {
            boolean orphaned = record.ownerPid().map(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                    .orElse(false)).map(alive -> !alive).orElse(true);
            if (!orphaned || record.ownerPid().map(pid -> pid == ProcessHandle.current().pid()).orElse(false)) {
                continue; // its orchestrator still runs it
            }
            journal.claim(record.id());
            Run run = new Run(record.id(), record.vmName(), record.fromSite(), record.toSite(), EnginePolicy.defaults(),
                    listener, record.startedAt());
            results.add(run.reconcile(record, "the orchestrator stopped in " + record.phase()));
        }
        return results;
    }

    /**
     * Removes the stopped source definitions whose rollback window has passed — only while the VM still runs at the
     * destination, and only if the source's copy is still stopped. Called by {@link #resume} and so by every
     * {@code migrate}.
     */
    public void expireRollbackWindows(Consumer<EngineEvent> listener) {
        for (MigrationRecord record : journal.keptSources()) {
            Instant until = Instant.parse(record.require(Context.SOURCE_KEPT_UNTIL));
            if (clock.instant().isBefore(until)) {
                continue;
            }
            String outcome;
            try (HypervisorConnection source = hypervisor.connect(record.require(Context.SOURCE_URI));
                    HypervisorConnection destination = hypervisor.connect(record.require(Context.DESTINATION_URI))) {
                boolean runsThere = destination.findVm(record.vmName()).map(vm -> vm.state() == VmState.RUNNING)
                        .orElse(false);
                Optional<VmInfo> kept = source.findVm(record.vmName());
                if (kept.isEmpty()) {
                    outcome = "already gone";
                } else if (!runsThere || kept.get().state() != VmState.SHUT_OFF) {
                    outcome = "kept: the VM " + (runsThere ? "is " + kept.get().state() + " at the source"
                            : "does not run at the destination") + ", so the source's copy may be needed";
                } else {
                    source.undefine(record.vmName());
                    outcome = "removed";
                }
            } catch (RuntimeException e) {
                continue; // a host that does not answer now is asked again next time
            }
            journal.putContext(record.id(), Map.of("source-removed", outcome));
            listener.accept(new EngineEvent(clock.instant(), record.id(), "cleanup", Phase.DONE, "rollback window of "
                    + record.id() + " passed: the source's definition of " + record.vmName() + " at "
                    + record.fromSite() + " " + outcome, Map.of(), Optional.empty()));
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] randomBytes() {
        byte[] bytes = new byte[2];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The context keys the journal keeps for a migration. */
    static final class Context {
        static final String POLICY = "policy";
        static final String SOURCE_URI = "source-uri";
        static final String DESTINATION_URI = "destination-uri";
        static final String PEER_URI = "peer-uri";
        static final String DATA_URI = "data-uri";
        /** {@code tunnel}, {@code tls} or {@code plaintext}: how the data crossed between the sites. */
        static final String PATH = "path";
        static final String PATH_REASON = "path-reason";
        static final String DEADLINE = "deadline";
        static final String ATTEMPT = "attempt";
        static final String SOURCE_KEPT_UNTIL = "source-kept-until";
        static final String REPORT = "report";
        static final String DOWNTIME_MS = "downtime-ms";
        static final String BYTES = "bytes";
        static final String TRANSFER_MS = "transfer-ms";
        static final String PAUSE_AT = "pause-at";
        static final String DESTINATION_HAD_DEFINITION = "destination-had-definition";

        private Context() {
        }
    }

    /** One migration being driven by this process. */
    private final class Run {
        private final String id;
        private final String vmName;
        private final String from;
        private final String to;
        private final EnginePolicy policy;
        private final Consumer<EngineEvent> listener;
        private final Instant startedAt;
        private Phase phase = Phase.PLAN;
        private Optional<MigrationOutcome> transferOutcome = Optional.empty();
        private final ClientContinuity continuity;

        Run(String id, String vmName, String from, String to, EnginePolicy policy, Consumer<EngineEvent> listener,
                Instant startedAt) {
            this.id = id;
            this.vmName = vmName;
            this.from = from;
            this.to = to;
            this.policy = policy;
            this.listener = listener;
            this.startedAt = startedAt;
            this.continuity = new ClientContinuity(id, from, to, policy.reachability(), sites, tunnels, journal,
                    this::event);
        }

        MigrationResult execute() {
            enter(Phase.PREFLIGHT, "checking " + vmName + " against " + to);
            Preflight.Result checked = preflight.run(vmName, from, to, policy);
            for (MigrationReport.Check check : checked.checks()) {
                journal.recordCheck(id, check);
                event("check", Phase.PREFLIGHT, (check.passed() ? "ok    " : "FAIL  ") + check.name() + ": "
                        + check.detail() + (check.passed() ? "" : " — fix: " + check.remedy()),
                        Map.of("check", check.name(), "passed", Boolean.toString(check.passed())));
            }
            if (!checked.passed()) {
                return end(Phase.FAILED, "preflight refused, nothing was changed: " + checked.failures(), from);
            }
            Route route = checked.route().orElseThrow();
            VmInfo vm = checked.vm().orElseThrow();
            Instant deadline = clock.instant().plus(policy.completionTimeout(vm.memoryBytes()));
            journal.putContext(id, Map.of(Context.SOURCE_URI, route.sourceHost().hypervisorUri(),
                    Context.DESTINATION_URI, route.destinationHost().hypervisorUri(), Context.PEER_URI, route.peerUri(),
                    Context.DATA_URI, route.dataUri(), Context.DEADLINE, deadline.toString(),
                    Context.PATH, route.path().label(), Context.PATH_REASON, route.reason()));
            if (abortRequested()) {
                return end(Phase.ABORTED, "aborted before anything changed; " + vmName + " runs at " + from, from);
            }

            enter(Phase.CHANNEL, route.usesTunnel() ? "bringing tunnel " + route.tunnelId() + " up"
                    : route.encrypted() ? "no tunnel: the data goes under TLS, the control connection in plaintext"
                            + " (allowed)" : "no tunnel: plaintext allowed");
            if (route.usesTunnel()) {
                try {
                    var tunnel = tunnels.ensureUp(from, to, policy.stretchSegment());
                    event("channel", Phase.CHANNEL, "tunnel " + tunnel.id() + ": " + tunnel.status().state() + ", "
                            + tunnel.status().dataPath() + "; " + tunnel.status().detail(), Map.of());
                    continuity.channel(tunnel);
                    if (tunnel.status().state() != io.livcloud.spi.tunnel.TunnelState.UP) {
                        return end(Phase.FAILED, "the tunnel " + tunnel.id() + " does not carry traffic ("
                                + tunnel.status().detail() + "); " + vmName + " runs at " + from, from);
                    }
                } catch (RuntimeException e) {
                    return end(Phase.FAILED, "the tunnel between " + from + " and " + to + " did not come up: "
                            + e.getMessage() + "; " + vmName + " runs at " + from, from);
                }
            }

            enter(Phase.PREPARE, "destination " + route.destinationHost().name());
            try (HypervisorConnection destination = hypervisor.connect(route.destinationHost().hypervisorUri())) {
                MigrationReport.Check free = Preflight.destinationFree(destination.findVm(vmName), vm,
                        route.destinationHost());
                if (!free.passed()) {
                    return end(Phase.FAILED, free.detail() + " since the preflight; nothing was moved", from);
                }
                // A rollback removes only what this migration put there, never a definition that was there before.
                journal.putContext(id, Map.of(Context.DESTINATION_HAD_DEFINITION,
                        Boolean.toString(destination.findVm(vmName).isPresent())));
            }
            if (abortRequested()) {
                return end(Phase.ABORTED, "aborted before the transfer; " + vmName + " runs at " + from, from);
            }

            continuity.beforeTransfer(vm, policy.completionTimeout(vm.memoryBytes()).plus(CLIENT_WATCH_SLACK));
            enter(Phase.TRANSFER, "copying " + (vm.memoryBytes() >> 20) + " MiB " + route.describe());
            Transfer transfer = new Transfer(id, vm, route, policy, deadline, journal, clock, hypervisor,
                    this::abortRequested, this::enter, this::event, figures -> emit(new EngineEvent(clock.instant(), id,
                            "progress", Phase.TRANSFER, "attempt " + figures.attempt() + ", pass "
                                    + figures.iteration() + ": sent " + (figures.sentBytes() >> 20) + " MiB, "
                                    + (figures.remainingBytes() >> 20) + " MiB left", Map.of(),
                            Optional.of(figures))));
            Transfer.Ending ending = transfer.run();
            transferOutcome = ending.outcome();
            return switch (ending.kind()) {
                case COMPLETED -> finishForward(route, "moved " + vmName + " from " + from + " to " + to + ": "
                        + ending.outcome().map(MigrationOutcome::detail).orElse(""));
                case ABORTED -> rollBack(route, Phase.ABORTED, "aborted during the transfer: " + ending.reason());
                case GAVE_UP, FAILED -> rollBack(route, Phase.FAILED, ending.reason());
            };
        }

        /** After the hypervisor reported the migration complete: check the VM runs at the destination only. */
        private MigrationResult finishForward(Route route, String summary) {
            transferOutcome.flatMap(MigrationOutcome::downtime).ifPresent(downtime -> journal.putContext(id, Map.of(
                    Context.DOWNTIME_MS, Long.toString(downtime.toMillis()))));
            transferOutcome.ifPresent(outcome -> journal.putContext(id, Map.of(Context.BYTES,
                    Long.toString(outcome.bytesTransferred()), Context.TRANSFER_MS,
                    Long.toString(outcome.totalTime().toMillis()))));
            if (phase != Phase.SWITCH_OVER) {
                enter(Phase.SWITCH_OVER, "the hypervisor switched over"
                        + transferOutcome.flatMap(MigrationOutcome::downtime)
                                .map(downtime -> " with a pause of " + downtime.toMillis() + " ms").orElse(""));
            }
            return verifyAndClean(route.sourceHost().hypervisorUri(), route.destinationHost().hypervisorUri(),
                    summary);
        }

        private MigrationResult verifyAndClean(String sourceUri, String destinationUri, String summary) {
            enter(Phase.VERIFY, "checking that " + vmName + " runs at " + to + " and only there"
                    + (continuity.probing() ? " and answers from " + continuity.vantageSite() : ""));
            try (HypervisorConnection source = hypervisor.connect(sourceUri);
                    HypervisorConnection destination = hypervisor.connect(destinationUri)) {
                Optional<VmInfo> there = destination.findVm(vmName);
                Optional<VmInfo> here = source.findVm(vmName);
                if (there.map(vm -> vm.state() != VmState.RUNNING).orElse(true)) {
                    return end(Phase.FAILED, vmName + " does not run at " + to + " after the switch-over ("
                            + there.map(vm -> vm.state().name()).orElse("absent") + ") and is "
                            + here.map(vm -> vm.state().name()).orElse("absent") + " at " + from
                            + "; inspect both hosts", to);
                }
                if (here.map(vm -> vm.state() == VmState.RUNNING).orElse(false)) {
                    // Two copies must never run: the destination's is the one the hypervisor completed.
                    source.stop(vmName);
                    event("verify", Phase.VERIFY, "stopped a second running copy at " + from, Map.of());
                }
            }
            Optional<String> unreachable = continuity.verify();
            if (unreachable.isPresent()) {
                return unreachable(unreachable.get(), sourceUri, destinationUri);
            }
            enter(Phase.CLEANUP, "keeping the stopped definition at " + from + " for "
                    + policy.rollbackWindow().toMinutes() + " min");
            journal.putContext(id, Map.of(Context.SOURCE_KEPT_UNTIL,
                    clock.instant().plus(policy.rollbackWindow()).toString()));
            return end(Phase.DONE, summary + continuity.clientGap()
                    .map(gap -> "; clients saw a gap of " + gap.toMillis() + " ms").orElse(""), to);
        }

        /** The VM runs at the destination but does not answer its clients: the policy decides. */
        private MigrationResult unreachable(String detail, String sourceUri, String destinationUri) {
            String why = vmName + " runs at " + to + " but does not answer from " + continuity.vantageSite() + " ("
                    + detail + ")";
            if (policy.reachability().onUnreachable() == EnginePolicy.OnUnreachable.KEEP) {
                return end(Phase.FAILED, why + "; kept at " + to + " as the policy says (on-unreachable = keep): check"
                        + " that the VM's network reaches " + to, to);
            }
            return new MoveBack(sourceUri, destinationUri).run(why);
        }

        /** Makes sure the VM runs at the source only, then ends in {@code finalPhase}. */
        private MigrationResult rollBack(Route route, Phase finalPhase, String reason) {
            return rollBack(route.sourceHost().hypervisorUri(), route.destinationHost().hypervisorUri(), finalPhase,
                    reason);
        }

        private MigrationResult rollBack(String sourceUri, String destinationUri, Phase finalPhase, String reason) {
            enter(Phase.ROLLBACK, reason);
            try (HypervisorConnection source = hypervisor.connect(sourceUri);
                    HypervisorConnection destination = hypervisor.connect(destinationUri)) {
                Optional<VmInfo> here = source.findVm(vmName);
                if (here.map(vm -> vm.state() == VmState.PAUSED).orElse(false)) {
                    source.resume(vmName);
                    event("rollback", Phase.ROLLBACK, "resumed " + vmName + " at " + from, Map.of());
                }
                boolean runsHere = source.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
                Optional<VmInfo> there = destination.findVm(vmName);
                if (runsHere && there.isPresent()) {
                    // Only ever stop the destination's copy while the source's runs.
                    if (there.get().state() != VmState.SHUT_OFF) {
                        destination.stop(vmName);
                    }
                    boolean hadDefinition = journal.find(id).map(record -> record.context()
                            .get(Context.DESTINATION_HAD_DEFINITION)).map(Boolean::parseBoolean).orElse(true);
                    if (!hadDefinition) {
                        destination.undefine(vmName);
                    }
                    event("rollback", Phase.ROLLBACK, "removed the incoming copy at " + to, Map.of());
                    there = destination.findVm(vmName);
                }
                if (!runsHere) {
                    return end(Phase.FAILED, reason + "; and " + vmName + " does not run at " + from + " ("
                            + source.findVm(vmName).map(vm -> vm.state().name()).orElse("absent") + "), at " + to
                            + " it is " + there.map(vm -> vm.state().name()).orElse("absent")
                            + ": inspect both hosts", there.isPresent() ? to : from);
                }
            }
            return end(finalPhase, reason + "; " + vmName + " runs at " + from, from);
        }

        /** Called when something unexpected broke mid-way: decide from what the hypervisors say. */
        MigrationResult recover(RuntimeException failure) {
            Optional<MigrationRecord> record = journal.find(id);
            if (record.isEmpty() || phase.terminal()) {
                throw failure;
            }
            return reconcile(record.get(), "it failed in " + phase + ": " + failure.getMessage());
        }

        /** Finishes or rolls back from the hypervisors' truth, after a crash or an unexpected failure. */
        MigrationResult reconcile(MigrationRecord record, String why) {
            String sourceUri = record.context().get(Context.SOURCE_URI);
            String destinationUri = record.context().get(Context.DESTINATION_URI);
            if (sourceUri == null || destinationUri == null) {
                return end(Phase.FAILED, why + ", before anything changed; " + vmName + " runs at " + from, from);
            }
            try (HypervisorConnection source = hypervisor.connect(sourceUri)) {
                var active = source.activeMigration(vmName);
                if (active.isPresent()) {
                    Instant deadline = Optional.ofNullable(record.context().get(Context.DEADLINE)).map(Instant::parse)
                            .orElse(clock.instant());
                    Duration left = Duration.between(clock.instant(), deadline);
                    event("reconcile", record.phase(), "a transfer of " + vmName + " is still running; waiting up to "
                            + Math.max(0, left.toSeconds()) + " s", Map.of());
                    if (record.abortRequested() || left.isNegative()
                            || active.get().awaitCompletion(left).isEmpty()) {
                        active.get().abort();
                        active.get().awaitCompletion(Duration.ofSeconds(30));
                    }
                }
            }
            try (HypervisorConnection source = hypervisor.connect(sourceUri);
                    HypervisorConnection destination = hypervisor.connect(destinationUri)) {
                boolean runsThere = destination.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
                boolean runsHere = source.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
                if (runsThere && !runsHere) {
                    event("reconcile", record.phase(), vmName + " runs at " + to + ": finishing", Map.of());
                    return verifyAndClean(sourceUri, destinationUri, "moved " + vmName + " from " + from + " to "
                            + to + " (" + why + "; finished from the hypervisors' state)");
                }
                if (!runsThere && !runsHere && destination.findVm(vmName).map(vm -> vm.state() == VmState.PAUSED)
                        .orElse(false) && source.findVm(vmName).map(vm -> vm.state() != VmState.PAUSED).orElse(true)) {
                    // Switched over but not resumed: the destination holds the only complete copy.
                    destination.resume(vmName);
                    return verifyAndClean(sourceUri, destinationUri, "moved " + vmName + " from " + from + " to "
                            + to + " (" + why + "; resumed at the destination)");
                }
            }
            return rollBack(sourceUri, destinationUri, record.abortRequested() ? Phase.ABORTED : Phase.FAILED,
                    why + "; rolled back");
        }

        /**
         * Moves the VM back to the source after VERIFY found it unreachable at the destination: a second live
         * migration the other way, through the same channel, so that its clients get it back where they reached it.
         * Journaled as ROLLBACK; the hypervisor's own phases are only reported.
         */
        private final class MoveBack {
            private final String sourceUri;
            private final String destinationUri;

            MoveBack(String sourceUri, String destinationUri) {
                this.sourceUri = sourceUri;
                this.destinationUri = destinationUri;
            }

            MigrationResult run(String why) {
                enter(Phase.ROLLBACK, why + "; moving it back to " + from);
                EnginePolicy back = policy.withReachability(EnginePolicy.Reachability.NONE);
                Preflight.Result reverse = preflight.run(vmName, to, from, back);
                if (!reverse.passed()) {
                    return end(Phase.FAILED, why + "; it cannot move back (" + reverse.failures() + ") and runs at "
                            + to, to);
                }
                VmInfo vm = reverse.vm().orElseThrow();
                Transfer transfer = new Transfer(id, vm, reverse.route().orElseThrow(), back,
                        clock.instant().plus(back.completionTimeout(vm.memoryBytes())), journal, clock, hypervisor,
                        () -> false, (hypervisorPhase, note) -> event("rollback", Phase.ROLLBACK, "moving back: "
                                + note, Map.of()), Run.this::event, figures -> { });
                Transfer.Ending ending = transfer.run();
                if (ending.kind() != Transfer.Kind.COMPLETED) {
                    return end(Phase.FAILED, why + "; moving it back failed (" + ending.reason() + "): "
                            + runningCopies(), to);
                }
                removeIncomingDefinition();
                String answers = continuity.probing() ? "; from " + continuity.vantageSite() + " it "
                        + (continuity.probeQuietly().answered() ? "answers again" : "still does not answer") : "";
                return end(Phase.FAILED, why + "; moved it back to " + from + answers, from);
            }

            /** The destination keeps a stopped definition after the move back; only one this migration made goes. */
            private void removeIncomingDefinition() {
                boolean hadDefinition = journal.find(id).map(record -> record.context()
                        .get(Context.DESTINATION_HAD_DEFINITION)).map(Boolean::parseBoolean).orElse(true);
                try (HypervisorConnection destination = hypervisor.connect(destinationUri)) {
                    if (!hadDefinition && destination.findVm(vmName).map(vm -> vm.state() == VmState.SHUT_OFF)
                            .orElse(false)) {
                        destination.undefine(vmName);
                        event("rollback", Phase.ROLLBACK, "removed the stopped copy at " + to, Map.of());
                    }
                }
            }

            private String runningCopies() {
                try (HypervisorConnection source = hypervisor.connect(sourceUri);
                        HypervisorConnection destination = hypervisor.connect(destinationUri)) {
                    boolean here = source.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
                    boolean there = destination.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING)
                            .orElse(false);
                    return here == there ? vmName + " runs at " + (here ? "both sites: inspect them" : "neither site:"
                            + " inspect both hosts") : vmName + " runs at " + (here ? from : to);
                }
            }
        }

        private boolean abortRequested() {
            return abortedHere.contains(id) || journal.abortRequested(id);
        }

        private void enter(Phase next, String note) {
            journal.enter(id, next, note);
            phase = next;
            event("phase", next, next + ": " + note, Map.of());
        }

        private void event(String type, Phase eventPhase, String message, Map<String, String> attributes) {
            emit(new EngineEvent(clock.instant(), id, type, eventPhase, message, attributes, Optional.empty()));
        }

        private void emit(EngineEvent event) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                // A listener's failure (a closed terminal) must not stop a migration half-way.
            }
        }

        private MigrationResult end(Phase finalPhase, String detail, String runsOn) {
            continuity.close(); // a watch still running (an abort, a failure) stops with the migration
            journal.enter(id, finalPhase, detail);
            phase = finalPhase;
            Duration total = Duration.between(startedAt, clock.instant());
            Optional<Duration> downtime = finalPhase == Phase.DONE
                    ? transferOutcome.flatMap(MigrationOutcome::downtime)
                            .or(() -> journal.find(id).map(MigrationRecord::context)
                                    .map(context -> context.get(Context.DOWNTIME_MS)).map(Long::parseLong)
                                    .map(Duration::ofMillis))
                    : Optional.empty();
            Optional<Duration> clientGap = continuity.clientGap();
            Optional<ReportWriter.Written> written = writeReport(finalPhase, detail, downtime, clientGap);
            event("outcome", finalPhase, finalPhase + ": " + detail, Map.of("runs-on", runsOn));
            written.ifPresent(files -> event("report", finalPhase, "report: " + files.html(), Map.of("html",
                    files.html().toString(), "json", files.json().toString())));
            return new MigrationResult(id, finalPhase, detail, runsOn, downtime, total, written, clientGap);
        }

        private Optional<ReportWriter.Written> writeReport(Phase finalPhase, String detail,
                Optional<Duration> downtime, Optional<Duration> clientGap) {
            try {
                MigrationRecord record = journal.find(id).orElseThrow();
                Map<String, String> context = record.context();
                Optional<MigrationReport.Pause> pause = downtime.map(value -> new MigrationReport.Pause(
                        Optional.ofNullable(context.get(Context.PAUSE_AT)).map(Instant::parse)
                                .orElse(record.endedAt().orElse(clock.instant())), value));
                MigrationReport report = new MigrationReport(id, vmName, from, to, policy.describe(), startedAt,
                        record.endedAt().orElse(clock.instant()), finalPhase, detail, journal.phases(id),
                        journal.samples(id), journal.ladder(id), journal.checks(id), pause,
                        Optional.ofNullable(context.get(Context.TRANSFER_MS)).map(Long::parseLong)
                                .map(Duration::ofMillis),
                        Optional.ofNullable(context.get(Context.BYTES)).map(Long::parseLong).orElse(0L),
                        clientGap);
                ReportWriter.Written written = reports.write(report, reportsDirectory);
                journal.putContext(id, Map.of(Context.REPORT, written.html().toString()));
                return Optional.of(written);
            } catch (RuntimeException e) {
                event("report", finalPhase, "the report could not be written: " + e.getMessage(), Map.of());
                return Optional.empty();
            }
        }
    }
}
