package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.engine.EngineEvent;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationResult;
import io.livcloud.engine.Phase;
import io.livcloud.lab.guest.HeartbeatLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The migration engine against the real lab: a journaled migration verified from the guest's heartbeat, an abort in
 * TRANSFER, and an orchestrator process SIGKILLed in each phase and then resumed, which must end with exactly one
 * running copy and a heartbeat that went on.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EngineIT {

    private TwoSiteLab lab;
    private Path state;

    @BeforeAll
    void bringTheLabUp() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "lcengine");
        state = Files.createTempDirectory("livcloud-engine-state");
        lab = TwoSiteLab.start(directory, state);
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

    /**
     * Plaintext allowed, a capped stream, and the tunnel path (which the tunnel's presence makes the route): what these
     * tests were written for. The lab's sites also offer TLS, which the default (auto) would prefer; TlsMigrationIT
     * covers that path.
     */
    private static EnginePolicy plaintext(long bandwidthMiBps) {
        return tunnel().withAllowPlaintext(true).withBandwidth(bandwidthMiBps << 20);
    }

    private static EnginePolicy tunnel() {
        return EnginePolicy.defaults().withEncryptedPath(EnginePolicy.EncryptedPath.TUNNEL);
    }

    /** Through the tunnel: the policy does not allow plaintext, and the tunnel's counters carry the memory. */
    @Test
    void aJournaledMigrationThroughTheTunnelIsVerifiedReportedAndTheGuestKeepsItsHeartbeat() throws Exception {
        lab.startGuest("a", "engine", "x86_64", 10, 32);
        HeartbeatLog source = HeartbeatLog.of(lab.serialLog("a", "engine"));
        source.waitForSequence(20, Duration.ofSeconds(60));
        List<EngineEvent> events = new CopyOnWriteArrayList<>();

        MigrationResult result = lab.livCloud.migrations().migrate("engine", Optional.of("a"), "b",
                tunnel(), events::add);

        System.out.println("engine a->b: " + result.finalPhase() + " " + result.detail());
        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(lab.livCloud.journal().find(result.migrationId()).orElseThrow().context())
                .containsEntry("data-uri", "tcp://10.99.12.1:49152");
        var tunnel = lab.livCloud.tunnels(false).get(0);
        long sent = Long.parseLong(lab.livCloud.journal().find(result.migrationId()).orElseThrow().context()
                .get("bytes"));
        // QEMU skips zero pages, so what it sent (not the 256 MiB) is what must have crossed the tunnel.
        assertThat(tunnel.status().traffic().bytesOut() + tunnel.status().traffic().bytesIn())
                .as("the %d bytes QEMU sent crossed the tunnel", sent).isGreaterThanOrEqualTo(sent);
        long last = source.lastSequence();
        HeartbeatLog destination = HeartbeatLog.of(lab.serialLog("b", "engine"));
        destination.waitForSequence(last + 10, Duration.ofSeconds(30));
        assertThat(destination.hasReset()).isFalse();
        assertThat(lab.state("b", "engine")).isEqualTo("running");
        assertThat(lab.state("a", "engine")).as("kept for the rollback window").isEqualTo("shut off");
        assertThat(lab.livCloud.journal().phases(result.migrationId())).extracting(MigrationReport.PhaseMark::phase)
                .containsExactly(Phase.PLAN, Phase.PREFLIGHT, Phase.CHANNEL, Phase.PREPARE, Phase.TRANSFER,
                        Phase.SWITCH_OVER, Phase.VERIFY, Phase.CLEANUP, Phase.DONE);
        Path json = result.report().orElseThrow().json();
        assertThat(new ObjectMapper().readTree(json.toFile()).path("finalPhase").asText()).isEqualTo("DONE");
        assertThat(Files.readString(result.htmlReport().orElseThrow())).contains("<svg");

        MigrationResult back = lab.livCloud.migrations().migrate("engine", Optional.of("b"), "a",
                tunnel(), events::add);
        assertThat(back.succeeded()).as("back to a, over its kept definition: " + back.detail()).isTrue();
        assertThat(lab.state("a", "engine")).isEqualTo("running");
    }

    @Test
    void anAbortDuringTheTransferKeepsTheGuestRunningAtTheSource() throws Exception {
        lab.startGuest("a", "stays", "x86_64", 10, 32);
        HeartbeatLog source = HeartbeatLog.of(lab.serialLog("a", "stays"));
        source.waitForSequence(10, Duration.ofSeconds(60));

        MigrationResult result = lab.livCloud.migrations().migrate("stays", Optional.of("a"), "b", plaintext(8),
                event -> {
                    if (event.type().equals("progress") && event.progress().orElseThrow().elapsed()
                            .compareTo(Duration.ofSeconds(2)) > 0) {
                        lab.livCloud.journal().requestAbort(event.migrationId());
                    }
                });

        assertThat(result.finalPhase()).as(result.detail()).isEqualTo(Phase.ABORTED);
        assertThat(lab.state("a", "stays")).isEqualTo("running");
        assertThat(lab.state("b", "stays")).isEqualTo("absent");
        long last = source.lastSequence();
        source.waitForSequence(last + 10, Duration.ofSeconds(10));
        assertThat(source.hasReset()).isFalse();
    }

    /**
     * The orchestrator is killed right after it journaled a phase (or while the hypervisor copies, for
     * {@code progress}); {@code resume} then finishes or rolls back from what the hypervisors say.
     */
    @ParameterizedTest
    @ValueSource(strings = {"PREFLIGHT", "CHANNEL", "PREPARE", "TRANSFER", "progress", "SWITCH_OVER", "VERIFY",
            "CLEANUP"})
    void anOrchestratorKilledInAnyPhaseIsResumedToExactlyOneRunningCopy(String phase) throws Exception {
        String vm = "k" + phase.toLowerCase().replace("_", "");
        lab.startGuest("a", vm, "x86_64", 2, 16);
        HeartbeatLog source = HeartbeatLog.of(lab.serialLog("a", vm));
        source.waitForSequence(10, Duration.ofSeconds(60));

        Process orchestrator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OrchestratorMain.class.getName(),
                lab.directory.toString(), state.toString(), TwoSiteLab.pluginsDirectory().toString(), vm, "a", "b",
                "24", phase).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(orchestrator.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("PAUSED ")) {
                    break;
                }
            }
        }
        assertThat(output).as("the orchestrator reached %s: %s", phase, output).anyMatch(l -> l.startsWith("PAUSED"));
        if (phase.equals("progress")) {
            Thread.sleep(1000); // let the hypervisor copy for a while with nobody watching
        }
        orchestrator.destroyForcibly();
        assertThat(orchestrator.waitFor(10, TimeUnit.SECONDS)).isTrue();

        List<MigrationResult> resumed = lab.livCloud.migrations().resume(event -> { });

        assertThat(resumed).as("%s: %s", phase, output).hasSize(1);
        MigrationResult result = resumed.get(0);
        System.out.println("killed in " + phase + ": resumed to " + result.finalPhase() + ", " + result.detail());
        String runsAt = result.succeeded() ? "b" : "a";
        String other = result.succeeded() ? "a" : "b";
        assertThat(result.runsOn()).isEqualTo(runsAt);
        assertThat(lab.state(runsAt, vm)).as("%s after a kill in %s", vm, phase).isEqualTo("running");
        assertThat(lab.state(other, vm)).as("never a second running copy").isNotEqualTo("running");
        HeartbeatLog running = HeartbeatLog.of(lab.serialLog(runsAt, vm));
        long before = Math.max(source.lastSequence(), running.lastSequence());
        running.waitForSequence(before + 10, Duration.ofSeconds(30));
        assertThat(running.hasReset()).as("the guest restarted").isFalse();
        assertThat(lab.livCloud.journal().unfinished()).isEmpty();
        if (List.of("SWITCH_OVER", "VERIFY", "CLEANUP").contains(phase)) {
            assertThat(result.succeeded()).as("killed after the switch-over, it is finished").isTrue();
        }
        if (List.of("PREFLIGHT", "CHANNEL", "PREPARE", "TRANSFER").contains(phase)) {
            assertThat(result.succeeded()).as("killed before the transfer began, it is rolled back").isFalse();
        }
    }
}
