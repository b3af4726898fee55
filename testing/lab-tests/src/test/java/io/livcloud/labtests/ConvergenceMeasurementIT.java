package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloud;
import io.livcloud.TunnelInfo;
import io.livcloud.lab.guest.HeartbeatLog;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not a test: the measurement behind the engine's default convergence ladder. Each technique the kvm extension offers on
 * this machine's libvirt 9.0 and QEMU 10 moves a 256 MiB lab guest through the strongSwan tunnel while its workload
 * dirties 0, 10 and 50 MiB/s of a 64 MiB working set, with a 60 s watchdog per move, and the figures go to a table
 * (stdout and {@code target/convergence-ladder.md}), as medians of {@code livcloud.measure.repeats} (3) moves each. The
 * guest goes back and forth between a and b; a move the watchdog aborts leaves it where it was.
 *
 * <p>Takes minutes, so the suite leaves it out (it is not discovered there, so nothing is skipped); it runs only with
 * the profile: {@code mvn -B -ntp -pl testing/lab-tests -am verify -Pmeasure-convergence}.
 *
 * <p>Left out because this stack refuses them: multifd compression (libvirt 9.0; 9.4 can), MULTIFD with XBZRLE and
 * MULTIFD with POST_COPY (QEMU 10); auto-converge can only be chosen at the start, so it is its own row.
 */
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class ConvergenceMeasurementIT {

    private static final int[] DIRTY_RATES_MIBPS = {0, 10, 50};
    private static final int MEMORY_MIB = 256;
    private static final int WORKING_SET_MIB = 64;
    private static final Duration WATCHDOG = Duration.ofSeconds(60);
    private static final Duration DOWNTIME_TARGET = Duration.ofMillis(300);
    /** The guest must show this many new heartbeats on the destination to count as alive after a move. */
    private static final int HEARTBEATS_AFTER = 10;
    /** Moves per technique and rate; the table shows medians. */
    private static final int REPEATS = Integer.getInteger("livcloud.measure.repeats", 3);

    /** One way of moving the guest: a policy, and for post-copy the switch after the first full pass. */
    private record Technique(String name, Set<MigrationFeature> features, int channels, boolean switchToPostCopy) {
        MigrationPolicy policy() {
            return new MigrationPolicy(DOWNTIME_TARGET, 0, features, channels, "zstd", WATCHDOG);
        }
    }

    private static final List<Technique> TECHNIQUES = List.of(
            new Technique("single stream (defaults)", EnumSet.noneOf(MigrationFeature.class), 1, false),
            new Technique("MULTIFD 2 channels", EnumSet.of(MigrationFeature.MULTIFD), 2, false),
            new Technique("MULTIFD 4 channels", EnumSet.of(MigrationFeature.MULTIFD), 4, false),
            new Technique("XBZRLE", EnumSet.of(MigrationFeature.XBZRLE), 1, false),
            new Technique("AUTO_CONVERGE", EnumSet.of(MigrationFeature.AUTO_CONVERGE), 1, false),
            new Technique("POST_COPY after pass 1", EnumSet.of(MigrationFeature.POST_COPY), 1, true));

    /** One move's figures. */
    private record Row(int rate, String technique, MigrationOutcome outcome, long hostSilenceMillis, long passes,
            boolean guestAlive) {
        boolean completed() {
            return outcome.phase() == MigrationPhase.COMPLETED;
        }

        String markdown() {
            return "| %d | %s | %s | %.1f | %s | %s | %d | %d |".formatted(rate, technique,
                    completed() ? (guestAlive ? "yes" : "yes, guest dead") : "no (" + outcome.phase() + ")",
                    outcome.totalTime().toMillis() / 1000.0,
                    outcome.downtime().map(d -> Long.toString(d.toMillis())).orElse("-"),
                    completed() ? Long.toString(hostSilenceMillis) : "-", outcome.bytesTransferred() >> 20, passes);
        }
    }

    /** A technique's moves at one rate, as medians: one run on this shared 2-core machine is too noisy to rank on. */
    private static String summary(List<Row> runs) {
        Row first = runs.get(0);
        List<Row> completed = runs.stream().filter(Row::completed).toList();
        String converged = completed.size() + "/" + runs.size()
                + (runs.stream().allMatch(Row::guestAlive) ? "" : ", guest dead after a move");
        return "| %d | %s | %s | %.1f | %s | %s | %d | %d |".formatted(first.rate(), first.technique(), converged,
                median(runs, row -> row.outcome().totalTime().toMillis()) / 1000.0,
                completed.isEmpty() ? "-" : Long.toString(median(completed,
                        row -> row.outcome().downtime().orElseThrow().toMillis())),
                completed.isEmpty() ? "-" : Long.toString(median(completed, Row::hostSilenceMillis)),
                median(runs, row -> row.outcome().bytesTransferred()) >> 20, median(runs, Row::passes));
    }

    private static long median(List<Row> rows, ToLongFunction<Row> figure) {
        long[] values = rows.stream().mapToLong(figure).sorted().toArray();
        return values[values.length / 2];
    }

    @Test
    void measureTheLadderThroughTheTunnel() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "lcmeasure");
        Path state = Files.createTempDirectory("livcloud-state");
        TwoSiteLab lab = TwoSiteLab.start(directory, state);
        List<List<Row>> rows = new ArrayList<>();
        try {
            TunnelInfo tunnel = lab.livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of());
            assertThat(tunnel.status().state()).as(tunnel.status().detail()).isEqualTo(TunnelState.UP);
            for (int rate : DIRTY_RATES_MIBPS) {
                String vm = "ladder" + rate;
                String at = "a";
                lab.startGuest(at, vm, LabGuest.X86_64, rate, WORKING_SET_MIB);
                if (rate == DIRTY_RATES_MIBPS[0]) {
                    // Not counted: b's libvirtd probes QEMU (seconds) the first time a guest arrives.
                    Row warmUp = move(lab, vm, at, "b", rate, TECHNIQUES.get(0));
                    System.out.println("warm-up " + warmUp.markdown());
                    at = warmUp.completed() ? "b" : at;
                }
                for (Technique technique : TECHNIQUES) {
                    List<Row> runs = new ArrayList<>();
                    for (int run = 0; run < REPEATS; run++) {
                        String to = at.equals("a") ? "b" : "a";
                        Row row = move(lab, vm, at, to, rate, technique);
                        runs.add(row);
                        System.out.println(row.markdown() + "   " + row.outcome().detail());
                        if (row.completed()) {
                            at = to;
                        }
                        if (!row.guestAlive()) {
                            lab.removeAllGuests(); // a dead guest would spoil the next rows: start a fresh one
                            at = "a";
                            lab.startGuest(at, vm, LabGuest.X86_64, rate, WORKING_SET_MIB);
                        }
                    }
                    rows.add(runs);
                }
                lab.removeAllGuests();
            }
        } finally {
            try {
                lab.livCloud.tunnelDown(LivCloud.tunnelId("a", "b"));
            } finally {
                lab.close();
            }
            StringBuilder table = new StringBuilder("| dirty MiB/s | technique | converged | total s | downtime ms"
                    + " (QEMU) | longest silence ms (host) | MiB sent | passes |\n| --- | --- | --- | --- | --- | --- |"
                    + " --- | --- |\n");
            rows.forEach(runs -> table.append(summary(runs)).append('\n'));
            table.append("\nMedians of ").append(REPEATS).append(" moves each; watchdog ").append(WATCHDOG.toSeconds())
                    .append(" s; downtime target ").append(DOWNTIME_TARGET.toMillis())
                    .append(" ms; bandwidth not set (libvirt's default).\n");
            System.out.println(table);
            Files.writeString(Path.of("target", "convergence-ladder.md"), table.toString(), StandardCharsets.UTF_8);
        }
    }

    private static Row move(TwoSiteLab lab, String vm, String from, String to, int rate, Technique technique)
            throws Exception {
        HeartbeatLog source = HeartbeatLog.of(lab.serialLog(from, vm));
        source.waitForSequence(source.lastSequence() + HEARTBEATS_AFTER, Duration.ofSeconds(60));
        Files.deleteIfExists(lab.serialLog(to, vm)); // the destination's log from an earlier visit
        try (HeartbeatClock clock = new HeartbeatClock(List.of(lab.serialLog(from, vm), lab.serialLog(to, vm)))) {
            MigrationJob job = lab.startMigration(vm, from, to, technique.policy(), TwoSiteLab.Route.TUNNEL);
            long passes = 0;
            long deadline = System.nanoTime() + WATCHDOG.toNanos();
            boolean switched = false;
            MigrationOutcome outcome = null;
            while (outcome == null) {
                outcome = job.awaitCompletion(Duration.ofMillis(200)).orElse(null);
                if (outcome != null) {
                    break;
                }
                passes = Math.max(passes, job.progress().iteration());
                // Post-copy: once the first full pass is sent, the rest is fetched by the running destination.
                if (technique.switchToPostCopy() && !switched && passes >= 2) {
                    job.startPostCopy();
                    switched = true;
                }
                if (System.nanoTime() > deadline) {
                    job.abort();
                    outcome = job.awaitCompletion(Duration.ofSeconds(30)).orElseThrow(() ->
                            new AssertionError("the migration of " + vm + " did not end after abort"));
                }
            }
            boolean alive;
            String runsOn = outcome.phase() == MigrationPhase.COMPLETED ? to : from;
            long last = source.lastSequence();
            try {
                HeartbeatLog.of(lab.serialLog(runsOn, vm)).waitForSequence(last + HEARTBEATS_AFTER,
                        Duration.ofSeconds(30));
                alive = !HeartbeatLog.of(lab.serialLog(runsOn, vm)).hasReset();
            } catch (TimeoutException e) {
                alive = false;
            }
            return new Row(rate, technique.name(), outcome, clock.maxGapMillis(), passes, alive);
        }
    }
}
