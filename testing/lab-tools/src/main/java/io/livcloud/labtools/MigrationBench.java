package io.livcloud.labtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.engine.MigrationResult;
import io.livcloud.engine.ReportWriter;
import io.livcloud.labtools.bench.BenchResults.MigrationRun;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.MigrationEndpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The migration part of the bench: at each dirty rate, {@code runs} times, the baseline and then each LivCloud variant
 * move the guest from one site to the other through the tunnel. Between runs the guest goes back idle (with the
 * engine, unmeasured) and gets its rate again, so every run starts from the same site in the same state. Every
 * variant gets the same watchdog: a LivCloud migration still running at the limit is aborted through the engine and
 * counted as not converged, like the baseline.
 */
final class MigrationBench {

    /**
     * A way LivCloud migrates: a name and the engine policy it runs.
     *
     * @param name as in the table
     * @param policy the policy
     */
    record EngineVariant(String name, EnginePolicy policy) {
    }

    static final String BASELINE = "libvirt defaults";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LivCloud livCloud;
    private final BenchGuest guest;
    private final String from;
    private final String to;
    private final Duration watchdog;
    private final PrintWriter progress;

    MigrationBench(LivCloud livCloud, BenchGuest guest, String from, String to, Duration watchdog,
            PrintWriter progress) {
        this.livCloud = livCloud;
        this.guest = guest;
        this.from = from;
        this.to = to;
        this.watchdog = watchdog;
        this.progress = progress;
    }

    List<MigrationRun> run(List<Integer> rates, int runs, List<EngineVariant> variants) throws Exception {
        List<MigrationRun> results = new ArrayList<>();
        for (int rate : rates) {
            for (int run = 1; run <= runs; run++) {
                startFromTheSource(rate);
                results.add(say(baseline(rate, run)));
                for (EngineVariant variant : variants) {
                    startFromTheSource(rate);
                    results.add(say(engine(variant, rate, run)));
                }
            }
        }
        startFromTheSource(0);
        return results;
    }

    /**
     * One move there and back, idle and not counted: the first guest to arrive at a site makes its libvirtd probe
     * QEMU, seconds that belong to no variant.
     */
    void warmUp() throws Exception {
        guest.setDirtyRate(0);
        guest.prepareArrival(to);
        MigrationResult there = livCloud.migrations().migrate(guest.name(), Optional.of(from), to,
                livCloud.migrationPolicy(), event -> { });
        guest.movedTo(there.runsOn());
        startFromTheSource(0);
    }

    private MigrationRun say(MigrationRun run) {
        progress.printf("bench: %d MiB/s, %s, run %d: %s in %.1f s%s; %s%n", run.dirtyRateMiBps(), run.variant(),
                run.run(), run.converged() ? "converged" : "did NOT converge", run.totalSeconds(),
                run.pauseMillis().isPresent() ? String.format(Locale.ROOT, ", pause %.0f ms",
                        run.pauseMillis().getAsDouble()) : "", run.detail());
        progress.flush();
        return run;
    }

    private MigrationRun baseline(int rate, int run) throws Exception {
        Host destination = guest.site(to).hypervisorHosts().get(0);
        long before = guest.lastSequence();
        guest.prepareArrival(to);
        BaselineMigration.Outcome outcome = BaselineMigration.run(guest.virsh(from), guest.name(),
                throughTunnel(destination).tunnelPeerUri(), throughTunnel(destination).tunnelMigrationUri(),
                watchdog);
        String detail = outcome.detail();
        if (outcome.converged()) {
            guest.movedTo(to);
        } else {
            String state = guest.virsh(from).run("domstate", guest.name()).output().strip();
            detail += state.equals("running") ? "; the source kept running" : "; the source is " + state + " (!)";
        }
        boolean alive = guest.beatsOnAfter(before);
        return new MigrationRun(BASELINE, rate, run, outcome.converged(), outcome.wallSeconds(),
                outcome.elapsedMillis(), outcome.downtimeMillis(), OptionalDouble.empty(),
                outcome.bytesTransferred(), alive, aliveDetail(detail, alive));
    }

    private MigrationRun engine(EngineVariant variant, int rate, int run) throws Exception {
        long before = guest.lastSequence();
        guest.prepareArrival(to);
        AtomicReference<Long> lastSent = new AtomicReference<>();
        // Probing the guest on its segment measures the gap its clients see (and VERIFY checks it answers).
        MigrationResult result = migrateWithWatchdog(SegmentGuests.probing(variant.policy(), guest.nic()), to,
                lastSent);
        guest.movedTo(result.runsOn());
        boolean alive = guest.beatsOnAfter(before);
        Optional<JsonNode> report = result.report().map(ReportWriter.Written::json).map(MigrationBench::read);
        return new MigrationRun(variant.name(), rate, run, result.succeeded(),
                result.totalTime().toMillis() / 1000.0,
                report.map(json -> optional(json.path("totalTransferTimeMillis"))).orElse(OptionalDouble.empty()),
                result.downtime().map(pause -> OptionalDouble.of(pause.toMillis())).orElse(OptionalDouble.empty()),
                report.map(json -> optional(json.path("clientInterruptionMillis"))).orElse(OptionalDouble.empty()),
                bytes(result, report, lastSent.get()), alive,
                aliveDetail(result.finalPhase() + ", runs at " + result.runsOn() + (report.isPresent() ? ""
                        : "; no report was written, so no transfer figures"), alive));
    }

    /** An engine migration, aborted through the engine if it runs past the bench's watchdog. */
    private MigrationResult migrateWithWatchdog(EnginePolicy policy, String destination,
            AtomicReference<Long> lastSent) {
        AtomicReference<String> migrationId = new AtomicReference<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        try {
            timer.schedule(() -> Optional.ofNullable(migrationId.get()).ifPresent(livCloud.migrations()::abort),
                    watchdog.toMillis(), TimeUnit.MILLISECONDS);
            String source = destination.equals(to) ? from : to;
            return livCloud.migrations().migrate(guest.name(), Optional.of(source), destination, policy,
                    event -> {
                        migrationId.compareAndSet(null, event.migrationId());
                        event.progress().ifPresent(figures -> lastSent.set(figures.sentBytes()));
                    });
        } finally {
            timer.shutdownNow();
        }
    }

    /**
     * Brings the guest back to the source idle if it is not there (idle, so the way back always converges fast),
     * then sets the rate. If it cannot come back, or stopped beating, a fresh guest is booted at the source.
     */
    private void startFromTheSource(int rate) throws Exception {
        if (!guest.runsAt().equals(from)) {
            guest.setDirtyRate(0);
            long before = guest.lastSequence();
            guest.prepareArrival(from);
            MigrationResult back = livCloud.migrations().migrate(guest.name(), Optional.of(to), from,
                    livCloud.migrationPolicy(), event -> { });
            guest.movedTo(back.runsOn());
            if (!back.succeeded() || !guest.beatsOnAfter(before)) {
                progress.printf("bench: the guest did not come back to %s (%s): booting a fresh one there%n", from,
                        back.detail());
                guest.boot(from);
            }
        }
        try {
            guest.setDirtyRate(rate);
        } catch (TimeoutException e) {
            progress.printf("bench: %s: booting a fresh guest%n", e.getMessage());
            guest.boot(from);
            guest.setDirtyRate(rate);
        }
    }

    /**
     * The report's byte count once the transfer ended; for a migration stopped before, the report has none, and the
     * last progress figure is what had been sent.
     */
    private static OptionalDouble bytes(MigrationResult result, Optional<JsonNode> report, Long lastSent) {
        if (result.succeeded() && report.isPresent() && report.get().path("bytesTransferred").asLong() > 0) {
            return OptionalDouble.of(report.get().path("bytesTransferred").asDouble());
        }
        return lastSent == null ? OptionalDouble.empty() : OptionalDouble.of(lastSent);
    }

    private static String aliveDetail(String detail, boolean alive) {
        return alive ? detail : detail + "; the guest's heartbeat STOPPED";
    }

    private static MigrationEndpoints throughTunnel(Host host) {
        return host.migration().filter(MigrationEndpoints::throughTunnel).orElseThrow(() -> new LivCloudException(
                "host " + host.name() + " has no migration endpoints inside the tunnel, so the baseline cannot use"
                        + " the tunnel", "the bench runs on lab sites with the tunnel up"));
    }

    private static JsonNode read(java.nio.file.Path json) {
        try {
            return JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new LivCloudException("cannot read the migration report " + json + ": " + e.getMessage(), "");
        }
    }

    private static OptionalDouble optional(JsonNode value) {
        return value.isNumber() ? OptionalDouble.of(value.asDouble()) : OptionalDouble.empty();
    }
}
