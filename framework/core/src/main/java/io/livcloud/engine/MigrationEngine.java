package io.livcloud.engine;

import io.livcloud.LivCloudException;
import io.livcloud.engine.journal.Journal;
import io.livcloud.engine.journal.MigrationRecord;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
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
 * <p>The engine starts migrations and wires each one; the phases forward are {@code ForwardPath}'s, bringing a
 * migration that cannot go forward to one running copy is {@code Recovery}'s, and both journal through the same
 * {@code JournaledMigration}.
 *
 * <p>Used by the CLI and by embedding applications through {@link io.livcloud.LivCloud#migrations()}; one engine per
 * {@code LivCloud}. {@link #migrate} runs on the caller's thread until the migration ends; {@link #abort} may be
 * called from any thread or, through the journal, from another process.
 */
public final class MigrationEngine {

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final EngineServices services;
    private final SiteHypervisors hypervisor;
    private final Journal journal;
    private final Clock clock;
    private final Preflight preflight;

    private final Set<String> abortedHere = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();

    public MigrationEngine(SiteDirectory sites, Hypervisor hypervisor, TunnelService tunnels, Journal journal,
            ReportWriter reports, Path reportsDirectory, Clock clock) {
        this.hypervisor = new SiteHypervisors(hypervisor, sites);
        this.journal = journal;
        this.clock = clock;
        this.preflight = new Preflight(sites, this.hypervisor, tunnels);
        this.services = new EngineServices(sites, this.hypervisor, tunnels, journal, reports, reportsDirectory, clock,
                preflight);
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
        JournaledMigration migration = new JournaledMigration(services, id, vmName, from, toSite, policy, listener,
                created.startedAt(), abortedHere);
        migration.event("phase", Phase.PLAN, "migration " + id + ": " + vmName + " from " + from + " to " + toSite,
                Map.of());
        Recovery recovery = new Recovery(migration, services);
        ForwardPath forward = new ForwardPath(migration, services, recovery);
        try {
            return forward.run();
        } catch (RuntimeException e) {
            // Whatever broke, the VM must end up running exactly once: reconcile from what the hypervisors say.
            return recovery.recover(e, forward::verifyAndClean);
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
            if (!Recovery.orphaned(record)) {
                continue; // its orchestrator still runs it
            }
            journal.claim(record.id());
            JournaledMigration migration = new JournaledMigration(services, record.id(), record.vmName(),
                    record.fromSite(), record.toSite(), EnginePolicy.defaults(), listener, record.startedAt(),
                    abortedHere);
            Recovery recovery = new Recovery(migration, services);
            ForwardPath forward = new ForwardPath(migration, services, recovery);
            results.add(recovery.reconcile(record, "the orchestrator stopped in " + record.phase(),
                    forward::verifyAndClean));
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
            try (HypervisorConnection source = hypervisor.connect(record.fromSite(),
                    record.require(Context.SOURCE_URI));
                    HypervisorConnection destination = hypervisor.connect(record.toSite(),
                            record.require(Context.DESTINATION_URI))) {
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
}
