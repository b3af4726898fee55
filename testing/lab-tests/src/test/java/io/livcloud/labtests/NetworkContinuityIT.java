package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.engine.EnginePolicy;
import io.livcloud.engine.MigrationResult;
import io.livcloud.engine.Phase;
import io.livcloud.lab.guest.GuestNic;
import io.livcloud.lab.guest.HeartbeatLog;
import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Network continuity: a guest on the lab's VM segment, stretched between the sites over the IPsec tunnel, keeps its
 * address and MAC across moves, and the lab's user (its own namespace, entering through site a's gateway) keeps
 * talking to it: UDP echo every 10 ms and one TCP connection that must survive every move. The engine's VERIFY probes
 * the guest from the source site and reports the gap its own client-side watch saw.
 *
 * <p>Moves: {@code -Dlivcloud.continuity.moves=N} (default 2, a -> b -> a); the figures printed at the end are the
 * README's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkContinuityIT {

    private static final String VM = "web";
    private static final GuestNic NIC = new GuestNic("vmseg0", "52:54:00:63:64:0a", "10.99.100.10/24", "10.99.100.1",
            1350);
    private static final ReachabilityTarget SERVICE = ReachabilityTarget.parse("tcp:10.99.100.10:7");

    private TwoSiteLab lab;

    @BeforeAll
    void bringTheLabUp() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "lcnet");
        lab = TwoSiteLab.start(directory, Files.createTempDirectory("livcloud-net-state"));
    }

    @AfterEach
    void removeTheGuests() throws Exception {
        lab.removeAllGuests();
    }

    @AfterAll
    void takeTheLabDown() {
        if (lab != null) {
            lab.close();
        }
    }

    /** The default policy, with {@code -Dlivcloud.continuity.downtime-ms} as its pause target when given. */
    private static EnginePolicy probing(EnginePolicy.OnUnreachable onUnreachable, boolean stretch) {
        EnginePolicy base = Optional.ofNullable(Long.getLong("livcloud.continuity.downtime-ms")).map(Duration::ofMillis)
                .map(EnginePolicy.defaults()::withDowntimeTarget).orElse(EnginePolicy.defaults());
        return base.withStretchSegment(stretch).withReachability(
                EnginePolicy.Reachability.NONE.withTarget(Optional.of(SERVICE)).withOnUnreachable(onUnreachable));
    }

    @Test
    void overTheStretchedSegmentTheGuestKeepsItsAddressMacAndItsClientsConnection() throws Exception {
        lab.livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of(), true);
        lab.startGuest("a", VM, "x86_64", 10, 32, Optional.of(NIC));
        HeartbeatLog.of(lab.serialLog("a", VM)).waitForSequence(20, Duration.ofSeconds(60));
        int moves = Integer.getInteger("livcloud.continuity.moves", 2);
        List<Map<String, Long>> figures = new ArrayList<>();
        try (Client client = Client.start()) {
            Map<String, Long> before = client.report();
            assertThat(before.get("udpAnswered")).as("the user reaches the guest at a before any move").isPositive();
            assertThat(before.get("tcpBroken")).isZero();
            String at = "a";
            for (int move = 1; move <= moves; move++) {
                String to = at.equals("a") ? "b" : "a";
                client.report(); // a fresh window for this move
                MigrationResult result = lab.livCloud.migrations().migrate(VM, Optional.of(at), to,
                        probing(EnginePolicy.OnUnreachable.ROLL_BACK, true), event -> { });
                Thread.sleep(500); // answers after the switch-over belong to this move's window
                Map<String, Long> seen = client.report();
                System.out.printf("move %d %s->%s: %s; QEMU pause %s ms, engine watch %s ms, user UDP gap %d ms, TCP"
                        + " gap %d ms%n", move, at, to, result.finalPhase(), result.downtime().map(Duration::toMillis)
                        .orElse(-1L), result.clientInterruption().map(Duration::toMillis).orElse(-1L),
                        seen.get("udpLongestGapMs"), seen.get("tcpLongestGapMs"));
                assertThat(result.succeeded()).as(result.detail()).isTrue();
                assertThat(result.runsOn()).isEqualTo(to);
                assertThat(result.clientInterruption()).as("the engine's client-side watch saw a plausible gap")
                        .hasValueSatisfying(gap -> assertThat(gap).isBetween(Duration.ofMillis(10),
                                Duration.ofSeconds(30)));
                assertThat(seen.get("tcpBroken")).as("the user's TCP connection survived move %d", move).isZero();
                assertThat(seen.get("udpAnswered")).as("UDP answers after move %d", move).isPositive();
                assertThat(macAt(to)).as("the guest's MAC at %s", to).isEqualTo(NIC.mac());
                assertThat(lab.livCloud.journal().checks(result.migrationId()))
                        .as("the engine checked the announcement")
                        .anyMatch(check -> check.name().equals("announcement") && check.passed())
                        .anyMatch(check -> check.name().equals("reachability-after-move") && check.passed());
                assertThat(learnedLocallyAt(to)).as("%s's bridge learned the guest's MAC on a local port (the"
                        + " announcement moved it)", to).isTrue();
                assertThat(learnedLocallyAt(at)).as("%s's bridge no longer has it on a local port", at).isFalse();
                Map<String, Long> row = new LinkedHashMap<>(seen);
                row.put("pauseMs", result.downtime().map(Duration::toMillis).orElse(-1L));
                row.put("watchMs", result.clientInterruption().map(Duration::toMillis).orElse(-1L));
                figures.add(row);
                at = to;
            }
            assertThat(neighbourMac("a")).as("the user's gateway still reaches the same MAC at the same address")
                    .isEqualTo(NIC.mac());
        }
        printSummary(figures);
    }

    @Test
    void withoutTheStretchVerifyFindsTheGuestUnreachableAndThePolicyDecides() throws Exception {
        // The tunnel without the segment: the guest's address only exists on a's bridge.
        lab.livCloud.tunnelDown(io.livcloud.LivCloud.tunnelId("a", "b"));
        lab.livCloud.tunnelDown(io.livcloud.LivCloud.tunnelId("b", "a"));
        lab.livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of(), false);
        lab.startGuest("a", VM, "x86_64", 10, 32, Optional.of(NIC));
        HeartbeatLog source = HeartbeatLog.of(lab.serialLog("a", VM));
        source.waitForSequence(20, Duration.ofSeconds(60));

        MigrationResult rolledBack = lab.livCloud.migrations().migrate(VM, Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.ROLL_BACK, false), event -> { });

        System.out.println("without stretch, roll-back: " + rolledBack.detail());
        assertThat(rolledBack.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(rolledBack.runsOn()).isEqualTo("a");
        assertThat(rolledBack.detail()).contains("does not answer from a", "moved it back to a", "answers again");
        assertThat(lab.state("a", VM)).isEqualTo("running");
        assertThat(lab.state("b", VM)).as("the copy the migration made at b is gone").isEqualTo("absent");
        long last = source.lastSequence();
        source.waitForSequence(last + 10, Duration.ofSeconds(30));
        assertThat(source.hasReset()).as("the guest went on, never restarted").isFalse();
        assertThat(lab.livCloud.journal().phases(rolledBack.migrationId())).extracting(p -> p.phase())
                .contains(Phase.VERIFY, Phase.ROLLBACK).doesNotContain(Phase.CLEANUP);

        MigrationResult kept = lab.livCloud.migrations().migrate(VM, Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.KEEP, false), event -> { });

        System.out.println("without stretch, keep: " + kept.detail());
        assertThat(kept.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(kept.runsOn()).isEqualTo("b");
        assertThat(kept.detail()).contains("kept at b");
        assertThat(lab.state("b", VM)).isEqualTo("running");
        assertThat(lab.state("a", VM)).as("one running copy").isNotEqualTo("running");
    }

    private String macAt(String site) throws Exception {
        List<String> lines = TwoSiteLab.output("virsh", "-c", TwoSiteLab.host(lab.site(site)).hypervisorUri(),
                "domiflist", VM);
        return lines.stream().filter(line -> line.contains("vmseg0")).map(line -> line.trim().split("\\s+"))
                .map(words -> words[words.length - 1]).findFirst().orElse("");
    }

    /** Whether the site's segment bridge has the guest's MAC on a port other than the stretch's VXLAN device. */
    private boolean learnedLocallyAt(String site) throws Exception {
        return TwoSiteLab.output("bridge", "-n", "lc-" + site, "fdb", "show", "br", "vmseg0").stream()
                .map(String::trim).anyMatch(line -> line.startsWith(NIC.mac() + " dev ") && !line.contains(" dev lcvx")
                        && !line.contains("permanent"));
    }

    private String neighbourMac(String site) throws Exception {
        String line = String.join(" ", TwoSiteLab.output("ip", "-n", "lc-" + site, "neigh", "show", NIC.ip()));
        int at = line.indexOf("lladdr ");
        return at < 0 ? line : line.substring(at + "lladdr ".length()).split("\\s+")[0];
    }

    private static void printSummary(List<Map<String, Long>> figures) {
        System.out.printf("%n%d moves: client-observed interruption (user, UDP every 10 ms) p50 %d ms, max %d ms;"
                + " TCP p50 %d ms, max %d ms; engine watch (ICMP every 10 ms) p50 %d ms, max %d ms; QEMU pause p50 %d"
                + " ms, max %d ms%n", figures.size(), percentile(figures, "udpLongestGapMs", 50),
                percentile(figures, "udpLongestGapMs", 100), percentile(figures, "tcpLongestGapMs", 50),
                percentile(figures, "tcpLongestGapMs", 100), percentile(figures, "watchMs", 50),
                percentile(figures, "watchMs", 100), percentile(figures, "pauseMs", 50),
                percentile(figures, "pauseMs", 100));
    }

    /** Nearest-rank percentile. */
    private static long percentile(List<Map<String, Long>> figures, String key, int percent) {
        List<Long> values = figures.stream().map(row -> row.get(key)).sorted().toList();
        int rank = Math.max(1, (int) Math.ceil(percent / 100.0 * values.size()));
        return values.get(rank - 1);
    }

    /** {@link UserClient} in the lab's user namespace. */
    private static final class Client implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;

        private Client(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Client start() throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder("ip", "netns", "exec", "lcuser", java, "-cp",
                    System.getProperty("java.class.path"), UserClient.class.getName(), NIC.ip(), "7")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Client client = new Client(process);
            String ready = client.out.readLine();
            assertThat(ready).as("the user client connected to the guest's TCP echo").isEqualTo("ready");
            Thread.sleep(1_000);
            return client;
        }

        Map<String, Long> report() throws Exception {
            in.write("report\n");
            in.flush();
            String line = out.readLine();
            assertThat(line).as("the user client's report").startsWith("report ");
            Map<String, Long> values = new LinkedHashMap<>();
            for (String pair : line.substring("report ".length()).split(" ")) {
                String[] parts = pair.split("=");
                values.put(parts[0], parts[1].equals("true") ? 1L : parts[1].equals("false") ? 0L
                        : Long.parseLong(parts[1]));
            }
            return values;
        }

        @Override
        public void close() throws Exception {
            in.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
