package io.livcloud.engine;

import io.livcloud.engine.journal.Journal;
import io.livcloud.engine.journal.MigrationRecord;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a migration that cannot go forward to an end with exactly one running copy of the VM: rolls it back to the
 * source, moves it back after VERIFY found it unreachable, and reconciles from what the hypervisors say after an
 * unexpected failure or for a migration whose orchestrator died. Journals as the forward path does, through the same
 * {@link JournaledMigration}.
 */
final class Recovery {

    /** VERIFY and what follows it, where a reconcile that finds the VM at the destination goes on. */
    interface Finish {
        MigrationResult verifyAndClean(String sourceUri, String destinationUri, String summary);
    }

    private final JournaledMigration migration;
    private final SiteDirectory sites;
    private final SiteHypervisors hypervisor;
    private final Journal journal;
    private final Clock clock;
    private final Preflight preflight;
    private final String id;
    private final String vmName;
    private final String from;
    private final String to;

    Recovery(JournaledMigration migration, EngineServices services) {
        this.migration = migration;
        this.sites = services.sites();
        this.hypervisor = services.hypervisor();
        this.journal = services.journal();
        this.clock = services.clock();
        this.preflight = services.preflight();
        this.id = migration.id();
        this.vmName = migration.vmName();
        this.from = migration.from();
        this.to = migration.to();
    }

    /**
     * Whether the migration's orchestrator is gone (killed, crashed, the machine restarted), so that {@code resume}
     * may take it over; never one this process runs.
     */
    static boolean orphaned(MigrationRecord record) {
        boolean gone = record.ownerPid().map(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                .orElse(false)).map(alive -> !alive).orElse(true);
        return gone && !record.ownerPid().map(pid -> pid == ProcessHandle.current().pid()).orElse(false);
    }

    /** Makes sure the VM runs at the source only, then ends in {@code finalPhase}. */
    MigrationResult rollBack(Route route, Phase finalPhase, String reason) {
        return rollBack(route.sourceHost().hypervisorUri(), route.destinationHost().hypervisorUri(), finalPhase,
                reason);
    }

    private MigrationResult rollBack(String sourceUri, String destinationUri, Phase finalPhase, String reason) {
        migration.enter(Phase.ROLLBACK, reason);
        try (HypervisorConnection source = hypervisor.connect(from, sourceUri);
                HypervisorConnection destination = hypervisor.connect(to, destinationUri)) {
            Optional<VmInfo> here = source.findVm(vmName);
            if (here.map(vm -> vm.state() == VmState.PAUSED).orElse(false)) {
                source.resume(vmName);
                migration.event("rollback", Phase.ROLLBACK, "resumed " + vmName + " at " + from, Map.of());
            }
            boolean runsHere = source.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
            Optional<VmInfo> there = destination.findVm(vmName);
            if (runsHere && there.isPresent()) {
                // Only ever stop the destination's copy while the source's runs.
                if (there.get().state() != VmState.SHUT_OFF) {
                    destination.stop(vmName);
                }
                if (!destinationHadDefinition()) {
                    destination.undefine(vmName);
                }
                migration.event("rollback", Phase.ROLLBACK, "removed the incoming copy at " + to, Map.of());
                there = destination.findVm(vmName);
            }
            if (!runsHere) {
                return migration.end(Phase.FAILED, reason + "; and " + vmName + " does not run at " + from + " ("
                        + source.findVm(vmName).map(vm -> vm.state().name()).orElse("absent") + "), at " + to
                        + " it is " + there.map(vm -> vm.state().name()).orElse("absent")
                        + ": inspect both hosts", there.isPresent() ? to : from);
            }
        }
        return migration.end(finalPhase, reason + "; " + vmName + " runs at " + from, from);
    }

    /**
     * Called when something unexpected broke mid-way: decide from what the hypervisors say.
     *
     * @throws RuntimeException the failure itself, when the migration is not in the journal or has already ended
     */
    MigrationResult recover(RuntimeException failure, Finish finish) {
        Optional<MigrationRecord> record = journal.find(id);
        if (record.isEmpty() || migration.phase().terminal()) {
            throw failure;
        }
        return reconcile(record.get(), "it failed in " + migration.phase() + ": " + failure.getMessage(), finish);
    }

    /** Finishes or rolls back from the hypervisors' truth, after a crash or an unexpected failure. */
    MigrationResult reconcile(MigrationRecord record, String why, Finish finish) {
        String sourceUri = record.context().get(MigrationEngine.Context.SOURCE_URI);
        String destinationUri = record.context().get(MigrationEngine.Context.DESTINATION_URI);
        if (sourceUri == null || destinationUri == null) {
            return migration.end(Phase.FAILED, why + ", before anything changed; " + vmName + " runs at " + from,
                    from);
        }
        try (HypervisorConnection source = hypervisor.connect(from, sourceUri)) {
            var active = source.activeMigration(vmName);
            if (active.isPresent()) {
                Instant deadline = Optional.ofNullable(record.context().get(MigrationEngine.Context.DEADLINE))
                        .map(Instant::parse).orElse(clock.instant());
                Duration left = Duration.between(clock.instant(), deadline);
                migration.event("reconcile", record.phase(), "a transfer of " + vmName + " is still running; waiting"
                        + " up to " + Math.max(0, left.toSeconds()) + " s", Map.of());
                if (record.abortRequested() || left.isNegative() || active.get().awaitCompletion(left).isEmpty()) {
                    active.get().abort();
                    active.get().awaitCompletion(Duration.ofSeconds(30));
                }
            }
        }
        try (HypervisorConnection source = hypervisor.connect(from, sourceUri);
                HypervisorConnection destination = hypervisor.connect(to, destinationUri)) {
            boolean runsThere = destination.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
            boolean runsHere = source.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
            if (runsThere && !runsHere) {
                migration.event("reconcile", record.phase(), vmName + " runs at " + to + ": finishing", Map.of());
                return finish.verifyAndClean(sourceUri, destinationUri, moved(sourceUri, destinationUri) + " ("
                        + why + "; finished from the hypervisors' state)");
            }
            if (!runsThere && !runsHere && destination.findVm(vmName).map(vm -> vm.state() == VmState.PAUSED)
                    .orElse(false) && source.findVm(vmName).map(vm -> vm.state() != VmState.PAUSED).orElse(true)) {
                // Switched over but not resumed: the destination holds the only complete copy.
                destination.resume(vmName);
                return finish.verifyAndClean(sourceUri, destinationUri, moved(sourceUri, destinationUri) + " ("
                        + why + "; resumed at the destination)");
            }
        }
        return rollBack(sourceUri, destinationUri, record.abortRequested() ? Phase.ABORTED : Phase.FAILED,
                why + "; rolled back");
    }

    /** {@code moved guest from site a (host lc-a) to site b (host lc-b)}, with the hosts the journal names. */
    private String moved(String sourceUri, String destinationUri) {
        return "moved " + vmName + " from " + Places.of(sites, from, sourceUri) + " to " + Places.of(sites, to,
                destinationUri);
    }

    /**
     * Moves the VM back to the source after VERIFY found it unreachable at the destination: a second live migration
     * the other way, through the same channel, so that its clients get it back where they reached it. Journaled as
     * ROLLBACK; the hypervisor's own phases are only reported.
     */
    MigrationResult moveBack(String sourceUri, String destinationUri, String why) {
        migration.enter(Phase.ROLLBACK, why + "; moving it back to " + from);
        EnginePolicy back = migration.policy().withReachability(EnginePolicy.Reachability.NONE);
        Preflight.Result reverse = preflight.run(vmName, to, from, back);
        if (!reverse.passed()) {
            return migration.end(Phase.FAILED, why + "; it cannot move back (" + reverse.failures() + ") and runs at "
                    + to, to);
        }
        VmInfo vm = reverse.vm().orElseThrow();
        Transfer transfer = new Transfer(id, vm, reverse.route().orElseThrow(), back,
                clock.instant().plus(back.completionTimeout(vm.memoryBytes())), journal, clock, hypervisor,
                () -> false, (hypervisorPhase, note) -> migration.event("rollback", Phase.ROLLBACK, "moving back: "
                        + note, Map.of()), migration::event, figures -> { });
        Transfer.Ending ending = transfer.run();
        if (ending.kind() != Transfer.Kind.COMPLETED) {
            return migration.end(Phase.FAILED, why + "; moving it back failed (" + ending.reason() + "): "
                    + runningCopies(sourceUri, destinationUri), to);
        }
        removeIncomingDefinition(destinationUri);
        ClientContinuity continuity = migration.continuity();
        String answers = continuity.probing() ? "; from " + continuity.vantageSite() + " it "
                + (continuity.probeQuietly().answered() ? "answers again" : "still does not answer") : "";
        return migration.end(Phase.FAILED, why + "; moved it back to " + from + answers, from);
    }

    /** The destination keeps a stopped definition after the move back; only one this migration made goes. */
    private void removeIncomingDefinition(String destinationUri) {
        boolean hadDefinition = destinationHadDefinition();
        try (HypervisorConnection destination = hypervisor.connect(to, destinationUri)) {
            if (!hadDefinition && destination.findVm(vmName).map(vm -> vm.state() == VmState.SHUT_OFF)
                    .orElse(false)) {
                destination.undefine(vmName);
                migration.event("rollback", Phase.ROLLBACK, "removed the stopped copy at " + to, Map.of());
            }
        }
    }

    /** Whether the destination had a definition of the VM before this migration (when unknown: yes, keep it). */
    private boolean destinationHadDefinition() {
        return journal.find(id).map(record -> record.context().get(MigrationEngine.Context.DESTINATION_HAD_DEFINITION))
                .map(Boolean::parseBoolean).orElse(true);
    }

    private String runningCopies(String sourceUri, String destinationUri) {
        try (HypervisorConnection source = hypervisor.connect(from, sourceUri);
                HypervisorConnection destination = hypervisor.connect(to, destinationUri)) {
            boolean here = source.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
            boolean there = destination.findVm(vmName).map(vm -> vm.state() == VmState.RUNNING).orElse(false);
            return here == there ? vmName + " runs at " + (here ? "both sites: inspect them" : "neither site:"
                    + " inspect both hosts") : vmName + " runs at " + (here ? from : to);
        }
    }
}
