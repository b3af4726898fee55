package io.livcloud.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.engine.journal.Journal;
import io.livcloud.engine.journal.MigrationRecord;
import io.livcloud.spi.hypervisor.Compatibility;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.provider.ReachabilityWatch;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber;
import io.livcloud.spi.tunnel.StretchStatus;
import io.livcloud.spi.tunnel.TrafficCounters;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.spi.tunnel.TunnelStatus;
import io.livcloud.testing.FakeHostAccess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state machine against hand-written fake sites, hypervisor and tunnel, with the real SQLite journal. */
class MigrationEngineTest {

    private static final String A = "qemu:///a";
    private static final String B = "qemu:///b";

    @TempDir
    Path directory;

    private final MovableClock clock = new MovableClock();
    private final FakeHypervisor hypervisor = new FakeHypervisor(clock);
    private final List<MigrationReport> reports = new CopyOnWriteArrayList<>();
    private final List<EngineEvent> events = new CopyOnWriteArrayList<>();
    private final FakeProber prober = new FakeProber();
    private int probingsOpen;
    private boolean tunnelSelected = true;
    private boolean stretchedSegment;
    private Optional<String> announcedAt = Optional.empty();
    /** The sites whose host offers TLS migration ({@code migration-tls = true}). */
    private final java.util.Set<String> tlsSites = new java.util.HashSet<>();
    private boolean tunnelUp = true;
    private final List<String> tunnelCalls = new ArrayList<>();
    private Journal journal;
    private MigrationEngine engine;
    private final Set<String> sitesWithHostAccess = new HashSet<>();

    @BeforeEach
    void start() {
        journal = Journal.open(directory.resolve("journal.db"), clock);
        engine = engine(journal);
        hypervisor.vm(A, "guest", VmState.RUNNING);
        hypervisor.peerUris.put(wanPeer("a"), A);
        hypervisor.peerUris.put(wanPeer("b"), B);
    }

    /** How a site's hypervisor is reached across the WAN (the tunnel's peer URI is the site's own here). */
    private static String wanPeer(String site) {
        return "qemu+tcp://10.99.0." + (site.equals("a") ? 2 : 3) + "/system";
    }

    private MigrationEngine engine(Journal journalToUse) {
        ReportWriter writer = (report, reportsDirectory) -> {
            reports.add(report);
            return new ReportWriter.Written(reportsDirectory.resolve(report.migrationId() + ".json"),
                    reportsDirectory.resolve(report.migrationId() + ".html"));
        };
        return new MigrationEngine(new TwoSites(), hypervisor, new FakeTunnels(), journalToUse, writer,
                directory.resolve("reports"), clock);
    }

    @AfterEach
    void stop() {
        journal.close();
    }

    @Test
    void everyHypervisorIsReachedThroughItsHostsAccessWhenTheProviderGivesOne() {
        sitesWithHostAccess.addAll(List.of("a", "b"));
        hypervisor.attempts.add(List.of(200L, 20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(hypervisor.connections).isNotEmpty()
                .allSatisfy(connection -> assertThat(connection).matches(".* through fake ssh [ab]"))
                .anyMatch(connection -> connection.equals(A + " through fake ssh a"))
                .anyMatch(connection -> connection.equals(B + " through fake ssh b"));
    }

    @Test
    void withoutHostAccessTheHypervisorIsReachedByItsUri() {
        hypervisor.attempts.add(List.of(200L, 20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(hypervisor.connections).isNotEmpty().allSatisfy(connection -> assertThat(connection)
                .doesNotContain("through"));
    }

    @Test
    void aConvergingMigrationGoesThroughEveryPhaseThroughTheTunnelAndKeepsTheSourceStopped() {
        hypervisor.attempts.add(List.of(200L, 120L, 60L, 20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(result.runsOn()).isEqualTo("b");
        assertThat(result.downtime()).contains(Duration.ofMillis(40));
        assertThat(journal.phases(result.migrationId())).extracting(MigrationReport.PhaseMark::phase).containsExactly(
                Phase.PLAN, Phase.PREFLIGHT, Phase.CHANNEL, Phase.PREPARE, Phase.TRANSFER, Phase.SWITCH_OVER,
                Phase.VERIFY, Phase.CLEANUP, Phase.DONE);
        assertThat(tunnelCalls).containsExactly("up a-b");
        assertThat(hypervisor.requests.get(0).destinationUri()).as("through the tunnel").isEqualTo(B);
        assertThat(hypervisor.requests.get(0).dataUri()).isEqualTo("tcp://10.99.12.1:49152");
        assertThat(hypervisor.requests.get(0).keepSourceDefinition()).isTrue();
        assertThat(hypervisor.requests.get(0).policy().features()).containsExactly(MigrationFeature.MULTIFD);
        assertThat(hypervisor.state(B, "guest")).contains(VmState.RUNNING);
        assertThat(hypervisor.state(A, "guest")).as("kept for the rollback window").contains(VmState.SHUT_OFF);
        MigrationRecord record = journal.find(result.migrationId()).orElseThrow();
        assertThat(record.context()).containsKey("source-kept-until");
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).finalPhase()).isEqualTo(Phase.DONE);
        assertThat(reports.get(0).phases().get(0).at()).as("no phase before the start")
                .isAfterOrEqualTo(reports.get(0).startedAt());
        assertThat(reports.get(0).samples()).isNotEmpty();
        assertThat(reports.get(0).checks()).allMatch(MigrationReport.Check::passed);
        assertThat(reports.get(0).pause()).map(MigrationReport.Pause::downtime).contains(Duration.ofMillis(40));
        assertThat(events).extracting(EngineEvent::type).contains("phase", "check", "progress", "outcome", "report");
    }

    @Test
    void theOutcomeAndTheChecksNameTheSitesAndHostsAsConfiguredNotAsTheHypervisorKnowsThem() {
        hypervisor.attempts.add(List.of(200L, 20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        // The fake hypervisor calls its hosts host-qemu:///a and host-qemu:///b; the provider calls them lc-a, lc-b.
        assertThat(result.detail()).startsWith("moved guest from site a (host lc-a) to site b (host lc-b): 200 MiB"
                + " in 2.0 s, paused 40 ms").doesNotContain("host-", "qemu:");
        assertThat(journal.find(result.migrationId()).orElseThrow().detail()).as("what status and history show")
                .isEqualTo(result.detail());
        assertThat(reports.get(0).detail()).isEqualTo(result.detail());
        assertThat(journal.checks(result.migrationId())).filteredOn(check -> check.name().equals("accelerator"))
                .singleElement().satisfies(check -> assertThat(check.detail())
                        .startsWith("site b (host lc-b) runs VMs with [TCG]"));
        assertThat(hypervisor.compatibilityAskedFor).as("the hypervisor's own problems name the host so too")
                .containsExactly("lc-b");
    }

    private static EnginePolicy probing(EnginePolicy.OnUnreachable onUnreachable) {
        return EnginePolicy.defaults().withReachability(new EnginePolicy.Reachability(
                Optional.of(ReachabilityTarget.parse("tcp:10.99.100.10:7")), "a", Duration.ofSeconds(5),
                Duration.ofMillis(10), onUnreachable));
    }

    @Test
    void aReachabilityCheckProbesBeforeWatchesDuringAndVerifiesAfterTheMoveAndReportsTheClientsGap() {
        hypervisor.attempts.add(List.of(200L, 60L, 20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.ROLL_BACK), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(prober.probes).containsExactly("a -> tcp:10.99.100.10:7 at a",
                "watch from a icmp:10.99.100.10 every 10 ms", "a -> tcp:10.99.100.10:7 at b");
        assertThat(result.clientInterruption()).contains(Duration.ofMillis(210));
        assertThat(result.detail()).contains("clients saw a gap of 210 ms");
        assertThat(reports.get(0).clientInterruption()).contains(Duration.ofMillis(210));
        assertThat(reports.get(0).checks()).extracting(MigrationReport.Check::name)
                .contains("reachability", "reachability-after-move");
        assertThat(prober.watchesRunning).isZero();
        assertThat(probingsOpen).as("every provider closed again").isZero();
        assertThat(tunnelCalls).containsExactly("up a-b");
    }

    @Test
    void aVmUnreachableAfterTheMoveIsMovedBackWhenThePolicySaysRollBack() {
        hypervisor.attempts.add(List.of(60L, 20L));
        prober.reachableAt.remove("b");

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.ROLL_BACK), events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.runsOn()).isEqualTo("a");
        assertThat(result.detail()).contains("does not answer from a", "moved it back to a", "answers again");
        assertThat(hypervisor.requests).hasSize(2);
        assertThat(hypervisor.requests.get(1).dataUri()).as("back through the tunnel").isEqualTo(
                "tcp://10.99.11.1:49152");
        assertThat(hypervisor.state(A, "guest")).contains(VmState.RUNNING);
        assertThat(hypervisor.state(B, "guest")).as("the incoming copy this migration made is gone").isEmpty();
        assertThat(journal.phases(result.migrationId())).extracting(MigrationReport.PhaseMark::phase)
                .containsSubsequence(Phase.SWITCH_OVER, Phase.VERIFY, Phase.ROLLBACK, Phase.FAILED)
                .doesNotContain(Phase.CLEANUP);
        assertThat(reports.get(0).checks()).filteredOn(check -> !check.passed())
                .extracting(MigrationReport.Check::name).containsExactly("reachability-after-move");
        assertThat(prober.watchesRunning).isZero();
    }

    @Test
    void aVmUnreachableAfterTheMoveStaysAtTheDestinationWhenThePolicySaysKeep() {
        hypervisor.attempts.add(List.of(60L, 20L));
        prober.reachableAt.remove("b");

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.KEEP), events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.runsOn()).isEqualTo("b");
        assertThat(result.detail()).contains("kept at b", "on-unreachable = keep");
        assertThat(hypervisor.requests).hasSize(1);
        assertThat(hypervisor.state(B, "guest")).contains(VmState.RUNNING);
        assertThat(hypervisor.state(A, "guest")).as("only one copy runs").contains(VmState.SHUT_OFF);
    }

    @Test
    void aVmThatDoesNotAnswerBeforeTheMoveIsNotMoved() {
        prober.reachableAt.clear();

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.ROLL_BACK), events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.detail()).contains("preflight refused", "reachability");
        assertThat(hypervisor.requests).isEmpty();
        assertThat(prober.probes).hasSize(1);
        assertThat(probingsOpen).isZero();
    }

    @Test
    void overAStretchedSegmentVerifyChecksThatTheDestinationAnnouncedTheVm() {
        hypervisor.attempts.add(List.of(20L));
        stretchedSegment = true;
        announcedAt = Optional.of("b");

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(tunnelCalls).containsExactly("up a-b", "where is 52:54:00:63:64:0a");
        assertThat(reports.get(0).checks()).filteredOn(check -> check.name().equals("announcement"))
                .singleElement().satisfies(check -> assertThat(check.passed()).isTrue());
    }

    @Test
    void anAnnouncementThatNeverArrivesIsAFailedCheckButTheReachabilityProbeDecides() {
        hypervisor.attempts.add(List.of(20L));
        stretchedSegment = true;
        announcedAt = Optional.of("a");

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                probing(EnginePolicy.OnUnreachable.ROLL_BACK), events::add);

        assertThat(result.succeeded()).as("the VM answers: " + result.detail()).isTrue();
        assertThat(tunnelCalls).filteredOn(call -> call.startsWith("where is")).hasSize(20);
        assertThat(reports.get(0).checks()).filteredOn(check -> check.name().equals("announcement"))
                .singleElement().satisfies(check -> {
                    assertThat(check.passed()).isFalse();
                    assertThat(check.detail()).contains("has not learned 52:54:00:63:64:0a at b");
                });
    }

    @Test
    void theChannelStretchesTheSegmentUnlessThePolicySaysNot() {
        hypervisor.attempts.add(List.of(20L));

        engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults().withStretchSegment(false), events::add);

        assertThat(tunnelCalls).containsExactly("up a-b without stretch");
    }

    @Test
    void progressNeverRunsBackwardsEvenAcrossARestartedAttempt() {
        // 250 MiB left every pass: more than even the largest pause (2 s at 100 MiB/s) can carry.
        hypervisor.attempts.add(List.of(250L));
        hypervisor.attempts.add(List.of(150L, 100L, 30L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        List<Long> sent = events.stream().flatMap(event -> event.progress().stream())
                .map(EngineEvent.Progress::sentBytes).toList();
        assertThat(sent).isSortedAccordingTo(Long::compare);
        assertThat(journal.ladder(result.migrationId())).extracting(MigrationReport.LadderStep::step).containsExactly(
                "pause limit -> 600 ms", "pause limit -> 1200 ms", "pause limit -> 2000 ms",
                "restart as attempt 2: pre-copy, xbzrle");
        assertThat(hypervisor.requests).hasSize(2);
        assertThat(hypervisor.requests.get(1).policy().features()).containsExactly(MigrationFeature.XBZRLE);
        assertThat(hypervisor.requests.get(1).policy().downtimeTarget()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theSourcesDefinitionGoesWhenTheRollbackWindowHasPassedAndTheVmRunsAtTheDestination() {
        hypervisor.attempts.add(List.of(20L));
        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);
        assertThat(hypervisor.state(A, "guest")).contains(VmState.SHUT_OFF);

        engine.resume(events::add);
        assertThat(hypervisor.state(A, "guest")).as("within the window").contains(VmState.SHUT_OFF);

        clock.advance(Duration.ofMinutes(61));
        engine.resume(events::add);

        assertThat(hypervisor.state(A, "guest")).isEmpty();
        assertThat(hypervisor.state(B, "guest")).contains(VmState.RUNNING);
        assertThat(journal.find(result.migrationId()).orElseThrow().context()).containsEntry("source-removed",
                "removed");
        engine.resume(events::add);
        assertThat(hypervisor.operations).filteredOn(operation -> operation.startsWith("undefine")).hasSize(1);
    }

    @Test
    void aFailedPreflightChangesNothing() {
        hypervisor.problems.add(new Compatibility.Problem("architecture", "a 64-bit guest on an i686-only host",
                "choose a 64-bit host"));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.detail()).startsWith("preflight refused, nothing was changed: architecture: a 64-bit guest");
        assertThat(hypervisor.requests).isEmpty();
        assertThat(tunnelCalls).isEmpty();
        assertThat(hypervisor.state(A, "guest")).contains(VmState.RUNNING);
        assertThat(journal.checks(result.migrationId())).filteredOn(check -> !check.passed())
                .extracting(MigrationReport.Check::remedy).containsExactly("choose a 64-bit host");
    }

    @Test
    void withoutATunnelThePlaintextPathIsRefusedUnlessAllowed() {
        tunnelSelected = false;
        hypervisor.attempts.add(List.of(20L));

        MigrationResult refused = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);
        assertThat(refused.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(refused.detail()).contains("encrypted-path: the migration would cross sites in plaintext");

        MigrationResult allowed = engine.migrate("guest", Optional.of("a"), "b",
                EnginePolicy.defaults().withAllowPlaintext(true), events::add);
        assertThat(allowed.succeeded()).as(allowed.detail()).isTrue();
        assertThat(hypervisor.requests.get(0).dataUri()).isEqualTo("tcp://10.99.0.3:49152");
    }

    @Test
    void autoTakesTlsWhenBothHostsOfferItWithTheControlConnectionThroughTheTunnel() {
        tlsSites.addAll(List.of("a", "b"));
        hypervisor.attempts.add(List.of(200L, 120L, 60L, 20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(hypervisor.requests).singleElement().satisfies(request -> {
            assertThat(request.dataUri()).as("the WAN address, not the tunnel's").isEqualTo("tcp://10.99.0.3:49152");
            assertThat(request.destinationUri()).as("the control connection through the tunnel").isEqualTo(B);
            assertThat(request.policy().features()).containsExactlyInAnyOrder(MigrationFeature.MULTIFD,
                    MigrationFeature.TLS);
        });
        assertThat(tunnelCalls).as("the tunnel carries the control connection").containsExactly("up a-b");
        assertThat(journal.find(result.migrationId()).orElseThrow().context()).containsEntry("path", "tls")
                .hasEntrySatisfying("path-reason", reason -> assertThat(reason).contains("both hosts offer it"));
        assertThat(reports.get(0).checks()).filteredOn(check -> check.name().equals("encrypted-path")).singleElement()
                .satisfies(check -> assertThat(check.detail()).startsWith("under the hypervisor's TLS across the WAN"
                        + " to tcp://10.99.0.3:49152 (encrypted-path = auto and both hosts offer it"));
        assertThat(reports.get(0).checks()).extracting(MigrationReport.Check::name).contains("control-path", "tunnel");
        assertThat(reports.get(0).policy()).containsEntry("encrypted-path", "auto");
    }

    @Test
    void autoTakesTheTunnelWhenOneHostDoesNotOfferTlsAndSaysWhy() {
        tlsSites.add("b");
        hypervisor.attempts.add(List.of(20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(hypervisor.requests.get(0).dataUri()).isEqualTo("tcp://10.99.12.1:49152");
        assertThat(hypervisor.requests.get(0).policy().features()).doesNotContain(MigrationFeature.TLS);
        assertThat(journal.find(result.migrationId()).orElseThrow().context()).containsEntry("path", "tunnel");
        assertThat(reports.get(0).checks()).filteredOn(check -> check.name().equals("encrypted-path")).singleElement()
                .satisfies(check -> assertThat(check.detail()).isEqualTo("through the tunnel a-b to"
                        + " tcp://10.99.12.1:49152 (encrypted-path = auto and site a's host lc-a does not offer TLS"
                        + " migration)"));
    }

    @Test
    void encryptedPathTlsIsRefusedBeforeAnythingChangesWhenAHostDoesNotOfferIt() {
        tlsSites.add("a");
        hypervisor.attempts.add(List.of(20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                EnginePolicy.defaults().withEncryptedPath(EnginePolicy.EncryptedPath.TLS), events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.detail()).contains("preflight refused, nothing was changed", "encrypted-path: encrypted-path"
                + " = tls, but site b's host lc-b does not offer TLS migration");
        assertThat(hypervisor.requests).as("never another path instead").isEmpty();
        assertThat(tunnelCalls).isEmpty();
        assertThat(hypervisor.state(A, "guest")).contains(VmState.RUNNING);
    }

    @Test
    void encryptedPathTunnelKeepsTheTunnelEvenWhenBothHostsOfferTls() {
        tlsSites.addAll(List.of("a", "b"));
        hypervisor.attempts.add(List.of(20L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b",
                EnginePolicy.defaults().withEncryptedPath(EnginePolicy.EncryptedPath.TUNNEL), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(hypervisor.requests.get(0).dataUri()).isEqualTo("tcp://10.99.12.1:49152");
        assertThat(hypervisor.requests.get(0).policy().features()).doesNotContain(MigrationFeature.TLS);
    }

    @Test
    void tlsWithoutATunnelNeedsAllowPlaintextForTheControlConnection() {
        tunnelSelected = false;
        tlsSites.addAll(List.of("a", "b"));
        hypervisor.attempts.add(List.of(20L));

        MigrationResult refused = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);
        assertThat(refused.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(refused.detail()).contains("control-path: the hypervisors' control connection (the VM's definition"
                + " and the migration's handshake, not its memory) would cross the WAN in plaintext");
        assertThat(hypervisor.requests).isEmpty();

        MigrationPlan plan = engine.plan("guest", Optional.of("a"), "b",
                EnginePolicy.defaults().withAllowPlaintext(true));
        assertThat(plan.path()).isEqualTo("under the hypervisor's TLS across the WAN to tcp://10.99.0.3:49152"
                + " (hypervisor " + wanPeer("b") + ")");
        assertThat(plan.steps()).anyMatch(step -> step.startsWith("CHANNEL    none: the data goes under the"
                + " hypervisor's TLS, the control connection in plaintext"));
        assertThat(plan.warnings()).containsExactly("the hypervisors' control connection (the VM's definition, not its"
                + " memory) would cross the WAN unencrypted");

        MigrationResult allowed = engine.migrate("guest", Optional.of("a"), "b",
                EnginePolicy.defaults().withAllowPlaintext(true), events::add);
        assertThat(allowed.succeeded()).as(allowed.detail()).isTrue();
        assertThat(hypervisor.requests.get(0).destinationUri()).isEqualTo(wanPeer("b"));
        assertThat(hypervisor.requests.get(0).policy().features()).contains(MigrationFeature.TLS);
        assertThat(tunnelCalls).isEmpty();
    }

    @Test
    void everyAttemptOfTheLadderKeepsTlsOnTheTlsPath() {
        tlsSites.addAll(List.of("a", "b"));
        hypervisor.attempts.add(List.of(250L));
        hypervisor.attempts.add(List.of(150L, 100L, 30L));

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.succeeded()).as(result.detail()).isTrue();
        assertThat(hypervisor.requests).hasSize(2);
        assertThat(hypervisor.requests.get(1).policy().features()).containsExactlyInAnyOrder(MigrationFeature.XBZRLE,
                MigrationFeature.TLS);
    }

    @Test
    void thePlanOfATlsRouteSaysWhichPathAndWhy() {
        tlsSites.addAll(List.of("a", "b"));

        MigrationPlan plan = engine.plan("guest", Optional.of("a"), "b", EnginePolicy.defaults());

        assertThat(plan.path()).isEqualTo("under the hypervisor's TLS across the WAN to tcp://10.99.0.3:49152"
                + " (hypervisor " + B + " through tunnel a-b)");
        assertThat(plan.steps()).contains("CHANNEL    bring tunnel a-b up and check that traffic crosses it (it"
                + " carries the hypervisors' control connection; the data goes under TLS across the WAN)");
        assertThat(plan.checks()).allMatch(MigrationReport.Check::passed);
        assertThat(plan.warnings()).isEmpty();
        assertThat(plan.policy()).containsEntry("encrypted-path", "auto");
    }

    @Test
    void aTunnelThatDoesNotComeUpStopsBeforeTheTransfer() {
        tunnelUp = false;

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(), events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.detail()).contains("the tunnel between a and b did not come up: peer unreachable")
                .endsWith("guest runs at a");
        assertThat(hypervisor.requests).isEmpty();
    }

    @Test
    void anAbortFromAnotherProcessDuringTheTransferKeepsTheSourceRunning() {
        hypervisor.attempts.add(List.of(200L, 190L, 180L, 170L, 160L, 150L, 140L, 130L, 120L, 110L, 100L));
        try (Journal otherProcess = Journal.open(directory.resolve("journal.db"), clock)) {
            MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", EnginePolicy.defaults(),
                    event -> {
                        if (event.type().equals("progress") && event.progress().orElseThrow().iteration() == 3) {
                            otherProcess.requestAbort(event.migrationId());
                        }
                    });

            assertThat(result.finalPhase()).isEqualTo(Phase.ABORTED);
            assertThat(result.detail()).contains("an abort was requested").endsWith("guest runs at a");
            assertThat(hypervisor.operations).contains("abort");
            assertThat(hypervisor.state(A, "guest")).contains(VmState.RUNNING);
            assertThat(hypervisor.state(B, "guest")).isEmpty();
            assertThat(journal.phases(result.migrationId())).extracting(MigrationReport.PhaseMark::phase)
                    .endsWith(Phase.TRANSFER, Phase.ROLLBACK, Phase.ABORTED);
        }
    }

    @Test
    void aTransferThatNeverConvergesIsGivenUpAtTheDeadlineWithTheSourceRunning() {
        hypervisor.attempts.add(List.of(250L));
        EnginePolicy patient = new EnginePolicy(Duration.ofMillis(300), Duration.ofMillis(300), 0, 1, List.of(), 1000,
                Duration.ofMinutes(2), Duration.ofMinutes(1), false, false, EnginePolicy.EncryptedPath.AUTO,
                Duration.ofHours(1), Duration.ofSeconds(1), true, EnginePolicy.Reachability.NONE);

        MigrationResult result = engine.migrate("guest", Optional.of("a"), "b", patient, events::add);

        assertThat(result.finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(result.detail()).contains("did not finish within the completion timeout of 60 s");
        assertThat(hypervisor.state(A, "guest")).contains(VmState.RUNNING);
    }

    @Test
    void planShowsTheStepsAndChecksAndChangesNothing() {
        MigrationPlan plan = engine.plan("guest", Optional.empty(), "b", EnginePolicy.defaults());

        assertThat(plan.fromSite()).isEqualTo("a");
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.path()).contains("through tunnel a-b to tcp://10.99.12.1:49152");
        assertThat(plan.steps()).anyMatch(step -> step.startsWith("TRANSFER   pre-copy, multifd x2"));
        assertThat(plan.steps()).contains("VERIFY     the VM runs at b and only there");
        assertThat(engine.plan("guest", Optional.empty(), "b", probing(EnginePolicy.OnUnreachable.KEEP)).steps())
                .contains("VERIFY     the VM runs at b and only there; tcp:10.99.100.10:7 answers from a, else keep");
        assertThat(journal.history(10)).isEmpty();
        assertThat(hypervisor.requests).isEmpty();
        assertThat(tunnelCalls).isEmpty();
        assertThat(engine.plan("guest", Optional.of("a"), "b", EnginePolicy.defaults().withAllowPostCopy(true))
                .warnings()).isEmpty();
    }

    @Test
    void aMigrationWhoseOrchestratorDiedAfterTheSwitchOverIsFinished() throws Exception {
        String id = orphan(Phase.TRANSFER);
        hypervisor.hosts.get(A).put("guest", VmState.SHUT_OFF);
        hypervisor.vm(B, "guest", VmState.RUNNING);

        List<MigrationResult> resumed = engine.resume(events::add);

        assertThat(resumed).extracting(MigrationResult::migrationId).containsExactly(id);
        assertThat(resumed.get(0).finalPhase()).isEqualTo(Phase.DONE);
        assertThat(resumed.get(0).detail()).contains("the orchestrator stopped in TRANSFER");
        assertThat(journal.unfinished()).isEmpty();
    }

    @Test
    void aMigrationFinishedFromTheHypervisorsStateNamesTheHostsTheJournalKeptAsConfigured() throws Exception {
        orphan(Phase.SWITCH_OVER);
        hypervisor.hosts.get(A).put("guest", VmState.SHUT_OFF);
        hypervisor.vm(B, "guest", VmState.RUNNING);

        MigrationResult resumed = engine.resume(events::add).get(0);

        assertThat(resumed.detail()).startsWith("moved guest from site a (host lc-a) to site b (host lc-b) (the"
                + " orchestrator stopped in SWITCH_OVER; finished from the hypervisors' state)");
    }

    @Test
    void aMigrationWhoseOrchestratorDiedBeforeTheSwitchOverIsRolledBackToExactlyOneCopy() throws Exception {
        String id = orphan(Phase.TRANSFER);
        hypervisor.vm(B, "guest", VmState.PAUSED); // an incoming copy the dead orchestrator left

        List<MigrationResult> resumed = engine.resume(events::add);

        assertThat(resumed.get(0).migrationId()).isEqualTo(id);
        assertThat(resumed.get(0).finalPhase()).isEqualTo(Phase.FAILED);
        assertThat(resumed.get(0).detail()).contains("rolled back").endsWith("guest runs at a");
        assertThat(hypervisor.state(A, "guest")).contains(VmState.RUNNING);
        assertThat(hypervisor.state(B, "guest")).isEmpty();
    }

    @Test
    void aMigrationOfALiveOrchestratorIsLeftToIt() {
        journal.create("m-live", "guest", "a", "b", Map.of("source-uri", A, "destination-uri", B));

        assertThat(engine.resume(events::add)).isEmpty();
        assertThat(journal.unfinished()).hasSize(1);
    }

    /** A migration in the journal whose orchestrator process has ended. */
    private String orphan(Phase phase) throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String id = "m-orphan";
        journal.create(id, "guest", "a", "b", Map.of("source-uri", A, "destination-uri", B,
                "deadline", clock.instant().plusSeconds(60).toString(), "destination-had-definition", "false"));
        journal.enter(id, phase, "copying");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + directory.resolve("journal.db"));
                var statement = connection.prepareStatement("UPDATE migrations SET owner_pid = ? WHERE id = ?")) {
            statement.setLong(1, gone.pid());
            statement.setString(2, id);
            statement.executeUpdate();
        }
        return id;
    }

    private final class TwoSites implements SiteDirectory {
        @Override
        public List<String> names() {
            return List.of("a", "b");
        }

        @Override
        public Site site(String name) {
            int index = name.equals("a") ? 1 : 2;
            String uri = name.equals("a") ? A : B;
            Host host = new Host("lc-" + name, java.util.Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR),
                    "10.99.0." + (index + 1), "10.99.1" + index + ".1", uri, Map.of())
                    .withMigration(new MigrationEndpoints(uri, "tcp://10.99.1" + index + ".1:49152", wanPeer(name),
                            "tcp://10.99.0." + (index + 1) + ":49152", tlsSites.contains(name)));
            if (!name.equals("a") && !name.equals("b")) {
                throw new LivCloudException("no site " + name, "");
            }
            return new Site(name, "fake", "", host, List.of(host), "10.99.1" + index + ".0/24", Map.of());
        }

        @Override
        public Optional<io.livcloud.spi.host.HostAccess> hostAccess(String siteName, String hypervisorUri) {
            return sitesWithHostAccess.contains(siteName) && site(siteName).gateway().hypervisorUri()
                    .equals(hypervisorUri) ? Optional.of(new FakeHostAccess("fake ssh " + siteName)) : Optional.empty();
        }

        @Override
        public Optional<SiteProbing> probing(String name) {
            Site site = site(name);
            return Optional.of(SiteProbing.of(site, prober, () -> probingsOpen--)).map(probing -> {
                probingsOpen++;
                return probing;
            });
        }
    }

    /**
     * Answers a probe from a site when the VM runs where that site's clients can reach it: at a site in
     * {@link #reachableAt}, as the fake hypervisor says now.
     */
    private final class FakeProber implements SiteProber {
        final List<String> probes = new ArrayList<>();
        final List<String> reachableAt = new ArrayList<>(List.of("a", "b"));
        int watchesRunning;

        @Override
        public ProbeAnswer probe(Site from, ReachabilityTarget target, Duration timeout) {
            String runsAt = hypervisor.state(A, "guest").filter(VmState.RUNNING::equals).isPresent() ? "a"
                    : hypervisor.state(B, "guest").filter(VmState.RUNNING::equals).isPresent() ? "b" : "nowhere";
            probes.add(from.name() + " -> " + target + " at " + runsAt);
            boolean answered = reachableAt.contains(runsAt);
            return new ProbeAnswer(answered, target + (answered ? " answered" : " did not answer"));
        }

        @Override
        public ReachabilityWatch watch(Site from, ReachabilityTarget target, Duration interval, Duration limit) {
            probes.add("watch from " + from.name() + " " + target + " every " + interval.toMillis() + " ms");
            watchesRunning++;
            return new ReachabilityWatch() {
                private boolean stopped;

                @Override
                public Result stop() {
                    close();
                    return new Result(500, 480, Duration.ofMillis(210), interval);
                }

                @Override
                public void close() {
                    if (!stopped) {
                        stopped = true;
                        watchesRunning--;
                    }
                }
            };
        }
    }

    private final class FakeTunnels implements TunnelService {
        @Override
        public boolean selected() {
            return tunnelSelected;
        }

        @Override
        public TunnelInfo ensureUp(String fromSite, String toSite, boolean stretchSegment) {
            tunnelCalls.add("up " + fromSite + "-" + toSite + (stretchSegment ? "" : " without stretch"));
            if (!tunnelUp) {
                throw new LivCloudException("peer unreachable", "");
            }
            TunnelEndpoint end = new TunnelEndpoint(fromSite, "lc-" + fromSite, "10.99.0.2", "10.99.11.0/24", "",
                    Optional.empty(), Optional.empty(), Map.of());
            return new TunnelInfo(fromSite + "-" + toSite, new TunnelSpec(fromSite + "-" + toSite, end, end,
                    TunnelAuthentication.PRE_SHARED_KEY, Map.of()), new TunnelStatus(TunnelState.UP, Optional.empty(),
                    TrafficCounters.ZERO, "userspace-libipsec", "up"), stretchedSegment
                            ? List.of(new StretchStatus(true, "segment lab: vxlan")) : List.of());
        }

        @Override
        public Optional<String> siteOf(String fromSite, String toSite, String mac) {
            tunnelCalls.add("where is " + mac);
            return announcedAt;
        }
    }
}
