package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Secret;
import io.livcloud.spi.provider.VmSegment;
import io.livcloud.spi.tunnel.Stretch;
import io.livcloud.spi.tunnel.StretchSpec;
import io.livcloud.spi.tunnel.Tunnel;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.spi.tunnel.TunnelStatus;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.TestingExtensionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real charons in two network namespaces, started by the test as the lab starts them and driven by the strongswan
 * extension only through each gateway's host access: tunnels up and down, traffic through them seen as ESP on the
 * wire, and the failures users meet (a wrong key, a dead charon, an unreachable peer).
 */
class StrongSwanDriverIT {

    private static final Path CHARON = TestConfigs.CHARON;
    /** A guest on b's segment bridge in the stretch test; only that test makes it. */
    private static final String VM_NAMESPACE = "lcst-vm";

    @TempDir
    Path directory;

    private GatewayPair network;
    private TestingExtensionContext context;
    private StrongSwanTunnelDriver driver;

    @BeforeAll
    static void prerequisites() {
        Prerequisites.requireRoot();
        Prerequisites.require(Files.isExecutable(CHARON), "charon is missing: apt-get install strongswan-charon"
                + " libcharon-extra-plugins strongswan-swanctl");
        Prerequisites.requireCommand("swanctl", "strongswan-swanctl");
        Prerequisites.requireCommand("tcpdump", "tcpdump");
        Prerequisites.requireCommand("ping", "iputils-ping");
    }

    @BeforeEach
    void createGateways() {
        network = GatewayPair.create();
        context = network.context(directory);
        driver = driver(PreSharedKeys.stored(context.secrets()));
    }

    private StrongSwanTunnelDriver driver(PreSharedKeys keys) {
        return new StrongSwanTunnelDriver(TestConfigs.config(), context, keys);
    }

    @AfterEach
    void removeGateways() {
        try {
            driver.list().forEach(Tunnel::tearDown);
        } finally {
            network.close();
        }
    }

    @Test
    void aTunnelCarriesTrafficBetweenTheSubnetsAsEspOnTheWireAndItsCountersGrow() throws Exception {
        Tunnel tunnel = driver.establish(network.spec("a-b"));

        TunnelStatus up = tunnel.status();
        assertThat(up.state()).isEqualTo(TunnelState.UP);
        assertThat(up.establishedSince()).isPresent();
        assertThat(up.detail()).contains("AES_GCM_16-256", "10.99.201.0/24 <-> 10.99.202.0/24");
        assertThat(up.dataPath()).isEqualTo(network.dataPath().label());

        Path capture = directory.resolve("wan0.txt");
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", GatewayPair.A, "tcpdump", "-i", "wan0", "-n", "-l",
                "udp or icmp or esp").redirectOutput(capture.toFile()).redirectError(directory.resolve("tcpdump.err")
                .toFile()).start();
        try {
            waitForFileToMention(directory.resolve("tcpdump.err"), "listening on");
            GatewayPair.Ran ping = GatewayPair.in(GatewayPair.A, "ping", "-n", "-c", "5", "-i", "0.2", "-W", "2",
                    "-I", "10.99.201.1", "10.99.202.1");
            assertThat(ping.succeeded()).as(ping.output()).isTrue();
            assertThat(ping.output()).contains("5 received");
            Thread.sleep(300);
        } finally {
            tcpdump.destroy();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        }
        List<String> wire = Files.readAllLines(capture, StandardCharsets.UTF_8);
        List<String> esp = wire.stream().filter(line -> line.contains("ESP(spi=")).toList();
        assertThat(esp).as("what crossed wan0:\n" + String.join("\n", wire)).hasSizeGreaterThanOrEqualTo(10);
        assertThat(wire).as("no plain ICMP between the subnets on the wire")
                .noneMatch(line -> line.contains("ICMP") || line.contains("10.99.201.1 > 10.99.202.1"));

        TunnelStatus after = tunnel.status();
        assertThat(after.traffic().packetsOut()).isGreaterThanOrEqualTo(up.traffic().packetsOut() + 5);
        assertThat(after.traffic().packetsIn()).isGreaterThanOrEqualTo(up.traffic().packetsIn() + 5);
        assertThat(after.traffic().bytesOut()).isGreaterThan(up.traffic().bytesOut());

        Path socket = network.charon(GatewayPair.A).socket();
        GatewayPair.Ran swanctl = GatewayPair.run(List.of("swanctl", "--list-sas", "--uri", "unix://" + socket));
        assertThat(swanctl.output()).contains("livcloud-a-b", "ESTABLISHED", "IKEv2", "INSTALLED",
                "10.99.201.0/24", "10.99.202.0/24");
        if (network.dataPath() == DataPath.USERSPACE_LIBIPSEC) {
            assertThat(swanctl.output()).contains("TUNNEL-in-UDP");
        }

        TunnelStatus checked = tunnel.check();
        assertThat(checked.state()).as(checked.detail()).isEqualTo(TunnelState.UP);
        assertThat(checked.detail()).contains("traffic check: 10.99.201.1 -> 10.99.202.1 answered through the tunnel");
        assertThat(network.host(GatewayPair.A).commandLines()).as("the check ran at a, through its host access")
                .contains("ping -n -q -c 3 -i 0.02 -W 2 -I 10.99.201.1 10.99.202.1");

        try (ViciClient a = network.vici(GatewayPair.A)) {
            assertThat(a.version().version()).matches("\\d+\\.\\d+\\.\\d+.*");
            assertThat(a.connectionNames()).containsExactly("livcloud-a-b");
            var connection = a.listConnections().get(0);
            assertThat(connection.name()).isEqualTo("livcloud-a-b");
            assertThat(connection.localAddresses()).containsExactly("10.99.200.1");
            assertThat(connection.remoteAddresses()).containsExactly("10.99.200.2");
            assertThat(connection.children()).containsExactly("livcloud-a-b-net");
            assertThat(a.stats().ikeSas()).isEqualTo(1);
            assertThat(a.sharedSecretIds()).containsExactly("livcloud-a-b-psk");
        }
    }

    /** The spec with both ends on the VM segment {@code t} (bridge {@code seg0}). */
    private TunnelSpec onSegment(String id) {
        TunnelSpec plain = network.spec(id);
        return new TunnelSpec(id, segmentEnd(plain.local()), segmentEnd(plain.remote()), plain.authentication(),
                plain.options());
    }

    private static TunnelEndpoint segmentEnd(TunnelEndpoint end) {
        return new TunnelEndpoint(end.siteName(), end.gatewayName(), end.gatewayAddress(), end.subnet(),
                end.insideAddress(), end.control(), Optional.of(new VmSegment("t", "seg0", 1350, "", "")),
                end.attributes());
    }

    @Test
    void aSegmentStretchedOverTheTunnelJoinsBothBridgesAndIsRemovedWithIt() throws Exception {
        Tunnel tunnel = driver.establish(onSegment("a-b"));
        StretchSpec segment = new StretchSpec("t", StretchSpec.networkIdOf("t"), 1350);
        String device = "lcvx" + segment.networkId();
        GatewayPair.must("ip", "-n", GatewayPair.A, "link", "add", "seg0", "type", "bridge");
        GatewayPair.must("ip", "-n", GatewayPair.A, "addr", "add", "10.99.210.1/24", "dev", "seg0");
        GatewayPair.must("ip", "-n", GatewayPair.A, "link", "set", "seg0", "up");

        assertThatThrownBy(() -> tunnel.stretch(segment)).isInstanceOfSatisfying(ExtensionException.class,
                e -> assertThat(e.getMessage()).contains("site b has no bridge seg0"));
        assertThat(GatewayPair.run(List.of("ip", "-n", GatewayPair.A, "link", "show", device)).succeeded())
                .as("nothing half made at a").isFalse();
        assertThat(tunnel.stretches()).isEmpty();

        GatewayPair.must("ip", "-n", GatewayPair.B, "link", "add", "seg0", "type", "bridge");
        GatewayPair.must("ip", "-n", GatewayPair.B, "addr", "add", "10.99.210.2/24", "dev", "seg0");
        GatewayPair.must("ip", "-n", GatewayPair.B, "link", "set", "seg0", "up");
        Stretch stretch = tunnel.stretch(segment);

        assertThat(stretch.status().joined()).as(stretch.status().detail()).isTrue();
        assertThat(network.host(GatewayPair.B).commandLines()).as("made at b through its host access")
                .contains("ip link add " + device + " type vxlan id " + segment.networkId() + " local 10.99.202.1"
                        + " remote 10.99.201.1 dstport 4789");
        assertThat(stretch.status().detail()).contains("vxlan " + segment.networkId(), "10.99.201.1 <-> 10.99.202.1");
        long before = tunnel.status().traffic().packetsOut();
        // The two bridges' addresses share a subnet that no route joins: only the stretched layer 2 can.
        GatewayPair.Ran ping = GatewayPair.in(GatewayPair.A, "ping", "-n", "-c", "3", "-i", "0.2", "-W", "2",
                "10.99.210.2");
        assertThat(ping.succeeded()).as(ping.output()).isTrue();
        assertThat(tunnel.status().traffic().packetsOut()).as("the frames crossed the tunnel")
                .isGreaterThanOrEqualTo(before + 3);
        String vmMac = "52:54:00:10:20:30";
        try {
            // A "VM" on b's bridge: its own namespace, a veth port on seg0, a MAC of its own.
            GatewayPair.must("ip", "netns", "add", VM_NAMESPACE);
            GatewayPair.must("ip", "-n", GatewayPair.B, "link", "add", "vm0", "type", "veth", "peer", "name", "eth0",
                    "netns", VM_NAMESPACE);
            GatewayPair.must("ip", "-n", GatewayPair.B, "link", "set", "vm0", "master", "seg0", "up");
            GatewayPair.must("ip", "-n", VM_NAMESPACE, "link", "set", "eth0", "address", vmMac, "up");
            GatewayPair.must("ip", "-n", VM_NAMESPACE, "addr", "add", "10.99.210.20/24", "dev", "eth0");
            GatewayPair.Ran fromVm = GatewayPair.in(VM_NAMESPACE, "ping", "-n", "-c", "2", "-i", "0.2", "-W", "2",
                    "10.99.210.1");
            assertThat(fromVm.succeeded()).as(fromVm.output()).isTrue();

            assertThat(stretch.siteOf(vmMac)).as("learned on b's port, across the stretch at a").contains("b");
            assertThat(stretch.siteOf("52:54:00:ff:ff:ff")).isEmpty();
        } finally {
            GatewayPair.run(List.of("ip", "netns", "delete", VM_NAMESPACE));
        }
        assertThat(tunnel.stretches()).extracting(found -> found.spec().segment()).containsExactly("t");
        assertThat(tunnel.stretch(segment).status().joined()).as("stretching again finds it").isTrue();

        tunnel.tearDown();

        for (String namespace : List.of(GatewayPair.A, GatewayPair.B)) {
            assertThat(GatewayPair.run(List.of("ip", "-n", namespace, "link", "show", device)).succeeded())
                    .as("the stretch went with the tunnel at %s", namespace).isFalse();
        }
    }

    @Test
    void aTunnelAuthenticatedWithCertificatesOfItsOwnAuthorityCarriesTraffic() throws IOException {
        TunnelSpec spec = new TunnelSpec("a-b", network.endpointA(), network.endpointB(),
                io.livcloud.spi.tunnel.TunnelAuthentication.CERTIFICATE, Map.of());

        Tunnel tunnel = driver.establish(spec);

        TunnelStatus checked = tunnel.check();
        assertThat(checked.state()).as(checked.detail()).isEqualTo(TunnelState.UP);
        Path socket = network.charon(GatewayPair.B).socket();
        GatewayPair.Ran swanctl = GatewayPair.run(List.of("swanctl", "--list-sas", "--uri", "unix://" + socket));
        assertThat(swanctl.output()).contains("livcloud-a-b", "ESTABLISHED", "remote '10.99.200.1'");
        String key = context.secrets().get("tunnel.a-b.a.key").orElseThrow().reveal();
        assertThat(Files.readString(directory.resolve("work/certs/a-b/a.pem"))).startsWith("-----BEGIN CERTIFICATE");

        tunnel.tearDown();

        assertThat(context.secrets().get("tunnel.a-b.a.key")).isEmpty();
        assertThat(directory.resolve("work/certs/a-b")).doesNotExist();
        assertThat(key).isNotEmpty();
        network.assertNothingLoaded(GatewayPair.A);
        network.assertNothingLoaded(GatewayPair.B);
    }

    @Test
    void theKeyIsGeneratedOnceKeptPrivateAndNeverWrittenElsewhere() throws IOException {
        driver.establish(network.spec("a-b"));

        Path keyFile;
        try (var files = Files.list(directory.resolve("secrets"))) {
            keyFile = files.filter(file -> file.getFileName().toString().contains("tunnel.a-b.psk")).findFirst()
                    .orElseThrow();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        String key = context.secrets().get("tunnel.a-b.psk").orElseThrow().reveal();
        assertThat(java.util.Base64.getDecoder().decode(key)).hasSize(32);
        try (var files = Files.walk(context.workDirectory())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(key);
            }
        }
        assertThat(context.emitted().toString()).doesNotContain(key);
    }

    @Test
    void aTunnelComesDownCleanlyAndCanComeUpAgain() {
        Tunnel tunnel = driver.establish(network.spec("a-b"));

        tunnel.tearDown();

        assertThat(tunnel.status().state()).isEqualTo(TunnelState.DOWN);
        assertThat(driver.list()).isEmpty();
        // The gateways' charons are theirs: the driver unloads what it loaded and leaves them running.
        network.assertNothingLoaded(GatewayPair.A);
        network.assertNothingLoaded(GatewayPair.B);
        assertThat(GatewayPair.processesIn(GatewayPair.A)).as("only a's charon runs there").hasSize(1);
        assertThat(context.secrets().get("tunnel.a-b.psk")).isEmpty();
        tunnel.tearDown(); // idempotent

        assertThat(driver.establish(network.spec("a-b")).check().state()).isEqualTo(TunnelState.UP);
    }

    @Test
    void aRekeyGivesTheDataNewKeysAndTrafficGoesOn() throws Exception {
        Tunnel tunnel = driver.establish(network.spec("a-b"));
        try (ViciClient a = network.vici(GatewayPair.A)) {
            String before = installedSpi(a);

            a.rekeyChild("livcloud-a-b-net");

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            String after = installedSpi(a);
            while (after.equals(before) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                after = installedSpi(a);
            }
            assertThat(after).as("a new inbound SPI after the rekey").isNotEqualTo(before);
        }
        // Right after a rekey charon may list the old and new SAs in passing states; the tunnel must settle UP.
        long settled = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        TunnelStatus checked = tunnel.check();
        while (checked.state() != TunnelState.UP && System.nanoTime() < settled) {
            Thread.sleep(100);
            checked = tunnel.check();
        }
        assertThat(checked.state()).as(checked.detail()).isEqualTo(TunnelState.UP);
    }

    private static String installedSpi(ViciClient client) {
        return client.listSas("livcloud-a-b").stream().flatMap(sa -> sa.children().stream())
                .filter(io.livcloud.plugin.strongswan.vici.ChildSa::installed)
                .map(io.livcloud.plugin.strongswan.vici.ChildSa::spiIn).findFirst().orElse("");
    }

    @Test
    void aWrongKeyAtThePeerIsNamedAndNothingIsLeftLoaded() {
        PreSharedKeys mismatched = new PreSharedKeys() {
            @Override
            public Secret forEnd(String tunnelId, String siteName) {
                return Secret.of(siteName.equals("b") ? "the key b was configured with by hand" : "LivCloud's key");
            }

            @Override
            public void forget(String tunnelId) {
            }
        };
        StrongSwanTunnelDriver withWrongKey = driver(mismatched);

        assertThatThrownBy(() -> withWrongKey.establish(network.spec("a-b")))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("tunnel a-b: the gateways of a and b do not accept each other's authentication:"
                        + " their pre-shared keys differ")
                .hasMessageNotContaining("LivCloud's key").hasMessageNotContaining("configured with by hand")
                .satisfies(e -> assertThat(((ExtensionException) e).errorCode())
                        .isEqualTo(StrongSwanErrorCode.AUTHENTICATION_FAILED));

        assertThat(withWrongKey.list()).isEmpty();
        network.assertNothingLoaded(GatewayPair.A);
        network.assertNothingLoaded(GatewayPair.B);
    }

    @Test
    void aKilledCharonShowsAsDownIsRefusedUntilItsGatewayRestartsItAndTheTunnelComesBack() throws Exception {
        Tunnel tunnel = driver.establish(network.spec("a-b"));
        long pid = network.charon(GatewayPair.A).pid();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        ProcessHandle.of(pid).ifPresent(process -> process.onExit().join());

        TunnelStatus down = tunnel.status();
        assertThat(down.state()).isEqualTo(TunnelState.DOWN);
        assertThat(down.detail()).contains("the charon of site a's gateway is not running");
        assertThatThrownBy(() -> driver.establish(network.spec("a-b")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StrongSwanErrorCode.CHARON_NOT_RUNNING);
                    assertThat(e.getMessage()).contains("the charon of site a's gateway does not answer",
                            network.charon(GatewayPair.A).socket() + " on test namespace " + GatewayPair.A);
                });

        network.charon(GatewayPair.A).start(); // as the lab, or the host's service manager, would
        List<io.livcloud.plugin.strongswan.vici.SaUpDown> ikeEvents = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<io.livcloud.plugin.strongswan.vici.SaUpDown> childEvents =
                new java.util.concurrent.CopyOnWriteArrayList<>();
        Tunnel again;
        try (ViciClient b = network.vici(GatewayPair.B); var ike = b.onIkeUpDown(ikeEvents::add);
                var child = b.onChildUpDown(childEvents::add)) {
            again = driver.establish(network.spec("a-b"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (childEvents.stream().noneMatch(event -> event.up()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertThat(ikeEvents).as("b saw the new IKE SA come up").anyMatch(event -> event.up()
                && event.sa().name().equals("livcloud-a-b") && event.sa().established());
        assertThat(childEvents).as("and its CHILD SA").anyMatch(event -> event.up()
                && event.sa().children().stream().anyMatch(io.livcloud.plugin.strongswan.vici.ChildSa::installed));
        TunnelStatus checked = again.check();
        assertThat(checked.state()).as(checked.detail()).isEqualTo(TunnelState.UP);
        try (ViciClient b = network.vici(GatewayPair.B)) {
            assertThat(b.listSas("livcloud-a-b")).as("b replaced the SA of the dead charon").hasSize(1);
        }
    }

    /**
     * A peer configured with other proposals (as a gateway set up by hand would be): the real charon's refusal is
     * diagnosed as a proposal mismatch. The peer's connection is replaced over VICI, since LivCloud itself always gives
     * both ends the same proposals.
     */
    @Test
    void aPeerWithOtherProposalsIsDiagnosedAsAProposalMismatch() {
        Tunnel tunnel = driver.establish(network.spec("a-b"));
        ConnectionDefinition definition = new ConnectionDefinition("a-b", TestConfigs.config().negotiation(Map.of(
                "ike-proposals", "aes128-sha256-modp3072")), DataPath.USERSPACE_LIBIPSEC,
                io.livcloud.spi.tunnel.TunnelAuthentication.PRE_SHARED_KEY);
        CharonGateway a = driver.gateway(network.endpointA());
        CharonGateway b = driver.gateway(network.endpointB());
        try (ViciClient peer = b.connect(); ViciClient initiator = a.connect()) {
            peer.loadConnection(definition.ikeName(), definition.forEnd(network.endpointB(), network.endpointA(), false,
                    java.util.Optional.empty()));
            initiator.terminate(definition.ikeName(), Duration.ofSeconds(5));

            io.livcloud.plugin.strongswan.vici.CommandOutcome outcome = initiator.initiate(definition.ikeName(),
                    definition.childName(), Duration.ofSeconds(10));

            assertThat(outcome.succeeded()).isFalse();
            ExtensionException diagnosis = FailureDiagnosis.of(outcome, "a-b", "a", "b", "10.99.200.2");
            assertThat(diagnosis.errorCode()).as(diagnosis.getMessage())
                    .isEqualTo(StrongSwanErrorCode.PROPOSAL_MISMATCH);
        }
        tunnel.tearDown();
    }

    @Test
    void anUnreachablePeerIsNamedWithItsAddress() {
        TunnelSpec toNowhere = new TunnelSpec("a-b", network.endpointA(),
                new io.livcloud.spi.tunnel.TunnelEndpoint("b", network.endpointB().gatewayName(), "10.99.200.99",
                        "10.99.202.0/24", "10.99.202.1", network.endpointB().control(), Optional.empty(),
                        network.endpointB().attributes()),
                io.livcloud.spi.tunnel.TunnelAuthentication.PRE_SHARED_KEY, Map.of());

        assertThatThrownBy(() -> driver.establish(toNowhere))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("the gateway of b at 10.99.200.99 never answered IKE")
                .satisfies(e -> assertThat(((ExtensionException) e).errorCode())
                        .isEqualTo(StrongSwanErrorCode.PEER_UNREACHABLE));
        assertThat(driver.list()).isEmpty();
        network.assertNothingLoaded(GatewayPair.A);
        network.assertNothingLoaded(GatewayPair.B);
    }

    private static void waitForFileToMention(Path file, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(file + " never mentioned '" + text + "'");
    }
}
