package io.livcloud.engine;

import io.livcloud.engine.journal.Journal;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.spi.tunnel.TunnelState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A migration's way forward: PREFLIGHT, CHANNEL, PREPARE, TRANSFER, SWITCH_OVER, VERIFY and CLEANUP, each journaled
 * before it acts, and the decision on what VERIFY found. Where the way forward ends short of the destination, the
 * {@link Recovery} makes sure the VM runs exactly once.
 */
final class ForwardPath {

    /** The client-side watch stops by itself this long after the migration's own deadline. */
    private static final Duration CLIENT_WATCH_SLACK = Duration.ofMinutes(2);

    private final JournaledMigration migration;
    private final Recovery recovery;
    private final SiteHypervisors hypervisor;
    private final TunnelService tunnels;
    private final Journal journal;
    private final Clock clock;
    private final Preflight preflight;
    private final ClientContinuity continuity;
    private final String id;
    private final String vmName;
    private final String from;
    private final String to;
    private final EnginePolicy policy;

    ForwardPath(JournaledMigration migration, EngineServices services, Recovery recovery) {
        this.migration = migration;
        this.recovery = recovery;
        this.hypervisor = services.hypervisor();
        this.tunnels = services.tunnels();
        this.journal = services.journal();
        this.clock = services.clock();
        this.preflight = services.preflight();
        this.continuity = migration.continuity();
        this.id = migration.id();
        this.vmName = migration.vmName();
        this.from = migration.from();
        this.to = migration.to();
        this.policy = migration.policy();
    }

    /** From PREFLIGHT to the migration's end. */
    MigrationResult run() {
        migration.enter(Phase.PREFLIGHT, "checking " + vmName + " against " + to);
        Preflight.Result checked = preflight.run(vmName, from, to, policy);
        for (MigrationReport.Check check : checked.checks()) {
            journal.recordCheck(id, check);
            migration.event("check", Phase.PREFLIGHT, (check.passed() ? "ok    " : "FAIL  ") + check.name() + ": "
                    + check.detail() + (check.passed() ? "" : " — fix: " + check.remedy()),
                    Map.of("check", check.name(), "passed", Boolean.toString(check.passed())));
        }
        if (!checked.passed()) {
            return migration.end(Phase.FAILED, "preflight refused, nothing was changed: " + checked.failures(), from);
        }
        Route route = checked.route().orElseThrow();
        VmInfo vm = checked.vm().orElseThrow();
        Instant deadline = clock.instant().plus(policy.completionTimeout(vm.memoryBytes()));
        journal.putContext(id, Map.of(MigrationEngine.Context.SOURCE_URI, route.sourceHost().hypervisorUri(),
                MigrationEngine.Context.DESTINATION_URI, route.destinationHost().hypervisorUri(),
                MigrationEngine.Context.PEER_URI, route.peerUri(), MigrationEngine.Context.DATA_URI, route.dataUri(),
                MigrationEngine.Context.DEADLINE, deadline.toString(), MigrationEngine.Context.PATH,
                route.path().label(), MigrationEngine.Context.PATH_REASON, route.reason()));
        if (migration.abortRequested()) {
            return migration.end(Phase.ABORTED, "aborted before anything changed; " + vmName + " runs at " + from,
                    from);
        }
        Optional<MigrationResult> noChannel = channel(route);
        if (noChannel.isPresent()) {
            return noChannel.get();
        }

        migration.enter(Phase.PREPARE, "destination " + route.destinationHost().name());
        try (HypervisorConnection destination = hypervisor.connect(to, route.destinationHost().hypervisorUri())) {
            MigrationReport.Check free = Preflight.destinationFree(destination.findVm(vmName), vm,
                    route.destinationHost());
            if (!free.passed()) {
                return migration.end(Phase.FAILED, free.detail() + " since the preflight; nothing was moved", from);
            }
            // A rollback removes only what this migration put there, never a definition that was there before.
            journal.putContext(id, Map.of(MigrationEngine.Context.DESTINATION_HAD_DEFINITION,
                    Boolean.toString(destination.findVm(vmName).isPresent())));
        }
        if (migration.abortRequested()) {
            return migration.end(Phase.ABORTED, "aborted before the transfer; " + vmName + " runs at " + from, from);
        }
        return transfer(route, vm, deadline);
    }

    /** CHANNEL: brings the route's tunnel up; the migration's end when it does not carry traffic. */
    private Optional<MigrationResult> channel(Route route) {
        migration.enter(Phase.CHANNEL, route.usesTunnel() ? "bringing tunnel " + route.tunnelId() + " up"
                : route.encrypted() ? "no tunnel: the data goes under TLS, the control connection in plaintext"
                        + " (allowed)" : "no tunnel: plaintext allowed");
        if (!route.usesTunnel()) {
            return Optional.empty();
        }
        try {
            var tunnel = tunnels.ensureUp(from, to, policy.stretchSegment());
            migration.event("channel", Phase.CHANNEL, "tunnel " + tunnel.id() + ": " + tunnel.status().state() + ", "
                    + tunnel.status().dataPath() + "; " + tunnel.status().detail(), Map.of());
            continuity.channel(tunnel);
            if (tunnel.status().state() != TunnelState.UP) {
                return Optional.of(migration.end(Phase.FAILED, "the tunnel " + tunnel.id() + " does not carry"
                        + " traffic (" + tunnel.status().detail() + "); " + vmName + " runs at " + from, from));
            }
        } catch (RuntimeException e) {
            return Optional.of(migration.end(Phase.FAILED, "the tunnel between " + from + " and " + to + " did not"
                    + " come up: " + e.getMessage() + "; " + vmName + " runs at " + from, from));
        }
        return Optional.empty();
    }

    /** TRANSFER, and after it the switch-over's verification or the roll back. */
    private MigrationResult transfer(Route route, VmInfo vm, Instant deadline) {
        continuity.beforeTransfer(vm, policy.completionTimeout(vm.memoryBytes()).plus(CLIENT_WATCH_SLACK));
        migration.enter(Phase.TRANSFER, "copying " + (vm.memoryBytes() >> 20) + " MiB " + route.describe());
        Transfer transfer = new Transfer(id, vm, route, policy, deadline, journal, clock, hypervisor,
                migration::abortRequested, migration::enter, migration::event, figures -> migration.emit(
                        new EngineEvent(clock.instant(), id, "progress", Phase.TRANSFER, "attempt "
                                + figures.attempt() + ", pass " + figures.iteration() + ": sent "
                                + (figures.sentBytes() >> 20) + " MiB, " + (figures.remainingBytes() >> 20)
                                + " MiB left", Map.of(), Optional.of(figures))));
        Transfer.Ending ending = transfer.run();
        migration.transferEnded(ending.outcome());
        return switch (ending.kind()) {
            case COMPLETED -> switchedOver(route, "moved " + vmName + " from " + Places.of(route.from(),
                    route.sourceHost()) + " to " + Places.of(route.to(), route.destinationHost())
                    + ending.outcome().map(ForwardPath::figures).orElse(""));
            case ABORTED -> recovery.rollBack(route, Phase.ABORTED, "aborted during the transfer: "
                    + ending.reason());
            case GAVE_UP, FAILED -> recovery.rollBack(route, Phase.FAILED, ending.reason());
        };
    }

    /**
     * The transfer's figures for the summary, from the hypervisor's outcome rather than its detail: the detail names
     * the hosts as the hypervisor knows them (its URIs, this machine's hostname), not as the user configured them.
     */
    private static String figures(MigrationOutcome outcome) {
        return ": " + (outcome.bytesTransferred() >> 20) + " MiB in " + String.format(Locale.ROOT, "%.1f s",
                outcome.totalTime().toMillis() / 1000.0) + outcome.downtime().map(downtime -> ", paused "
                        + downtime.toMillis() + " ms").orElse("");
    }

    /** After the hypervisor reported the migration complete: check the VM runs at the destination only. */
    private MigrationResult switchedOver(Route route, String summary) {
        Optional<MigrationOutcome> outcome = migration.transferOutcome();
        outcome.flatMap(MigrationOutcome::downtime).ifPresent(downtime -> journal.putContext(id, Map.of(
                MigrationEngine.Context.DOWNTIME_MS, Long.toString(downtime.toMillis()))));
        outcome.ifPresent(ended -> journal.putContext(id, Map.of(MigrationEngine.Context.BYTES,
                Long.toString(ended.bytesTransferred()), MigrationEngine.Context.TRANSFER_MS,
                Long.toString(ended.totalTime().toMillis()))));
        if (migration.phase() != Phase.SWITCH_OVER) {
            migration.enter(Phase.SWITCH_OVER, "the hypervisor switched over" + outcome
                    .flatMap(MigrationOutcome::downtime)
                    .map(downtime -> " with a pause of " + downtime.toMillis() + " ms").orElse(""));
        }
        return verifyAndClean(route.sourceHost().hypervisorUri(), route.destinationHost().hypervisorUri(), summary);
    }

    /**
     * VERIFY, then CLEANUP or the policy's decision on an unreachable VM; also where a {@link Recovery} that finds
     * the VM at the destination goes on.
     *
     * @param summary the migration's detail when it ends at the destination
     */
    MigrationResult verifyAndClean(String sourceUri, String destinationUri, String summary) {
        migration.enter(Phase.VERIFY, "checking that " + vmName + " runs at " + to + " and only there"
                + (continuity.probing() ? " and answers from " + continuity.vantageSite() : ""));
        try (HypervisorConnection source = hypervisor.connect(from, sourceUri);
                HypervisorConnection destination = hypervisor.connect(to, destinationUri)) {
            Optional<VmInfo> there = destination.findVm(vmName);
            Optional<VmInfo> here = source.findVm(vmName);
            if (there.map(vm -> vm.state() != VmState.RUNNING).orElse(true)) {
                return migration.end(Phase.FAILED, vmName + " does not run at " + to + " after the switch-over ("
                        + there.map(vm -> vm.state().name()).orElse("absent") + ") and is "
                        + here.map(vm -> vm.state().name()).orElse("absent") + " at " + from
                        + "; inspect both hosts", to);
            }
            if (here.map(vm -> vm.state() == VmState.RUNNING).orElse(false)) {
                // Two copies must never run: the destination's is the one the hypervisor completed.
                source.stop(vmName);
                migration.event("verify", Phase.VERIFY, "stopped a second running copy at " + from, Map.of());
            }
        }
        Optional<String> unreachable = continuity.verify();
        if (unreachable.isPresent()) {
            return unreachable(unreachable.get(), sourceUri, destinationUri);
        }
        migration.enter(Phase.CLEANUP, "keeping the stopped definition at " + from + " for "
                + policy.rollbackWindow().toMinutes() + " min");
        journal.putContext(id, Map.of(MigrationEngine.Context.SOURCE_KEPT_UNTIL,
                clock.instant().plus(policy.rollbackWindow()).toString()));
        return migration.end(Phase.DONE, summary + continuity.clientGap()
                .map(gap -> "; clients saw a gap of " + gap.toMillis() + " ms").orElse(""), to);
    }

    /** The VM runs at the destination but does not answer its clients: the policy decides. */
    private MigrationResult unreachable(String detail, String sourceUri, String destinationUri) {
        String why = vmName + " runs at " + to + " but does not answer from " + continuity.vantageSite() + " ("
                + detail + ")";
        if (policy.reachability().onUnreachable() == EnginePolicy.OnUnreachable.KEEP) {
            return migration.end(Phase.FAILED, why + "; kept at " + to + " as the policy says (on-unreachable ="
                    + " keep): check that the VM's network reaches " + to, to);
        }
        return recovery.moveBack(sourceUri, destinationUri, why);
    }
}
