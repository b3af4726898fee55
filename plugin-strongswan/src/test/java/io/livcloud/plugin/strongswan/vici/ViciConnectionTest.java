package io.livcloud.plugin.strongswan.vici;

import static io.livcloud.plugin.strongswan.vici.ScriptedViciServer.respond;
import static io.livcloud.plugin.strongswan.vici.ScriptedViciServer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.testing.FakeHostAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The connection against a scripted peer behind a host access's socket stream: normal exchanges, and every way a
 * broken peer can misbehave.
 */
class ViciConnectionTest {

    private static final Duration SHORT = Duration.ofMillis(300);
    private static final String SOCKET = "/var/run/charon.vici";

    private final FakeHostAccess gateway = new FakeHostAccess("fake ssh root@203.0.113.10");

    private static ScriptedViciServer scripted(ScriptedViciServer.Script script) {
        return new ScriptedViciServer(script);
    }

    /** The gateway's charon socket, served by {@code server}. */
    private ViciEndpoint endpoint(ScriptedViciServer server) {
        server.on(gateway, SOCKET);
        return ViciEndpoint.on(gateway, SOCKET);
    }

    @Test
    void aCommandGetsItsResponse() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            respond(out, ViciMessage.builder().put("daemon", "charon").put("version", "5.9.8").put("sysname", "Linux")
                    .build());
            return true;
        }); ViciClient client = ViciClient.connect(endpoint(server))) {
            CharonVersion version = client.version();

            assertThat(version.daemon()).isEqualTo("charon");
            assertThat(version.version()).isEqualTo("5.9.8");
            assertThat(server.received()).extracting(ViciPacket::name).containsExactly("version");
        }
    }

    @Test
    void everyExchangeTravelsOverTheHostAccessStreamToTheGatewaysSocket() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            respond(out, ViciMessage.builder().put("version", "5.9.8").build());
            return true;
        }); ViciClient client = ViciClient.connect(endpoint(server))) {
            client.version();
            client.version();

            assertThat(server.connections()).as("one stream for the connection").isEqualTo(1);
            assertThat(gateway.calls()).isEqualTo(1);
            assertThat(client.connection().endpoint()).hasToString(SOCKET + " on fake ssh root@203.0.113.10");
        }
    }

    @Test
    void aCharonListeningOnTcpIsReachedThereThroughTheHostAccess() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            respond(out, ViciMessage.builder().put("daemon", "charon").put("version", "6.0.1").build());
            return true;
        }); ViciClient client = ViciClient.connect(ViciEndpoint.on(tcpOnly("127.0.0.1", 4502, server),
                "tcp://127.0.0.1:4502"))) {
            assertThat(client.connection().endpoint().isUnix()).isFalse();
            assertThat(client.version().version()).isEqualTo("6.0.1");
        }
    }

    /** A host whose only socket is a TCP port, as charon with {@code vici.socket = tcp://...} listens. */
    private static HostAccess tcpOnly(String address, int port, ScriptedViciServer server) {
        return new HostAccess() {
            @Override
            public String target() {
                return "fake tcp host";
            }

            @Override
            public CommandResult run(HostCommand command) {
                throw new UnsupportedOperationException("run");
            }

            @Override
            public Optional<byte[]> readFile(String path, int maxBytes) {
                throw new UnsupportedOperationException("readFile");
            }

            @Override
            public HostChannel openUnixSocket(String path) {
                throw new UnsupportedOperationException("openUnixSocket");
            }

            @Override
            public HostChannel openTcp(String host, int tcpPort) {
                assertThat(host + ":" + tcpPort).isEqualTo(address + ":" + port);
                return server.connect();
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aStreamedCommandRegistersDeliversEveryEventBeforeTheResponseAndUnregisters() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            switch (packet.type()) {
                case EVENT_REGISTER, EVENT_UNREGISTER -> send(out, new ViciPacket(ViciPacket.Type.EVENT_CONFIRM, "",
                        ViciMessage.EMPTY));
                case CMD_REQUEST -> {
                    for (String name : List.of("a-b", "a-c")) {
                        ViciMessage sa = ViciMessage.builder().put("uniqueid", "1").put("state", "ESTABLISHED")
                                .put("established", "12")
                                .section("child-sas", ViciMessage.builder().section("net-3", ViciMessage.builder()
                                        .put("name", "net").put("state", "INSTALLED").put("bytes-in", "840")
                                        .put("packets-in", "10").put("encap", "yes").build()).build())
                                .build();
                        send(out, new ViciPacket(ViciPacket.Type.EVENT, "list-sa", ViciMessage.builder()
                                .section(name, sa).build()));
                    }
                    respond(out, ViciMessage.EMPTY);
                }
                default -> throw new IllegalStateException(packet.toString());
            }
            return true;
        }); ViciClient client = ViciClient.connect(endpoint(server))) {
            List<IkeSa> sas = client.listSas("");

            assertThat(sas).extracting(IkeSa::name).containsExactly("a-b", "a-c");
            assertThat(sas.get(0).established()).isTrue();
            assertThat(sas.get(0).establishedSeconds()).isEqualTo(12);
            ChildSa child = sas.get(0).children().get(0);
            assertThat(child.name()).isEqualTo("net");
            assertThat(child.installed()).isTrue();
            assertThat(child.bytesIn()).isEqualTo(840);
            assertThat(child.udpEncapsulated()).isTrue();
            assertThat(server.received()).extracting(ViciPacket::type).containsExactly(
                    ViciPacket.Type.EVENT_REGISTER, ViciPacket.Type.CMD_REQUEST, ViciPacket.Type.EVENT_UNREGISTER);
        }
    }

    @Test
    void aRefusedCommandSaysWhatCharonSaid() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            respond(out, ViciMessage.builder().put("success", "no").put("errmsg", "unknown connection 'x'").build());
            return true;
        }); ViciClient client = ViciClient.connect(endpoint(server))) {
            assertThatThrownBy(() -> client.unloadConnection("x"))
                    .isInstanceOf(ViciException.class)
                    .hasMessageContaining("could not unload the connection 'x': unknown connection 'x'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.COMMAND_FAILED));
        }
    }

    @Test
    void anUnknownCommandOrEventIsNamed() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            send(out, new ViciPacket(packet.type() == ViciPacket.Type.CMD_REQUEST ? ViciPacket.Type.CMD_UNKNOWN
                    : ViciPacket.Type.EVENT_UNKNOWN, "", ViciMessage.EMPTY));
            return true;
        }); ViciConnection connection = ViciConnection.open(endpoint(server))) {
            assertThatThrownBy(() -> connection.request("get-shared", ViciMessage.EMPTY))
                    .hasMessageContaining("does not know the command 'get-shared'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.UNKNOWN_COMMAND));
            assertThatThrownBy(() -> connection.subscribe("no-such-event", event -> { }))
                    .hasMessageContaining("has no event 'no-such-event'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.UNKNOWN_EVENT));
            assertThat(connection.isOpen()).isTrue();
        }
    }

    @Test
    void aSilentPeerTimesOutAndTheConnectionIsClosed() {
        try (ScriptedViciServer server = scripted((packet, out) -> true);
                ViciConnection connection = ViciConnection.open(endpoint(server))) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, SHORT))
                    .hasMessageContaining("did not answer command 'stats' within 300 ms; the connection was closed")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.TIMEOUT));
            assertThat(connection.isOpen()).isFalse();
            assertThatThrownBy(() -> connection.request("version", ViciMessage.EMPTY, SHORT))
                    .hasMessageContaining("cannot send command 'version'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.TIMEOUT));
        }
    }

    @Test
    void aTruncatedFrameFailsTheExchangeInFlight() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            out.write(new byte[] {0, 0, 0, 40, 1, 3, 1});
            return false;
        }); ViciConnection connection = ViciConnection.open(endpoint(server))) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("ended inside a segment of 40 bytes (3 of 40 bytes came)")
                    .hasMessageContaining("while waiting for command 'stats'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CLOSED));
        }
    }

    @Test
    void anOversizedLengthIsRefusedWithoutWaitingForTheBytes() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            out.write(new byte[] {0x7f, 0, 0, 0});
            return true;
        }); ViciConnection connection = ViciConnection.open(endpoint(server))) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("VICI segment of 2130706432 bytes, over the protocol's limit")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.PROTOCOL));
            assertThat(connection.isOpen()).isFalse();
        }
    }

    @Test
    void anUnknownPacketTypeIsAProtocolError() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            ViciFraming.write(out, new byte[] {42});
            return true;
        }); ViciConnection connection = ViciConnection.open(endpoint(server))) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("unknown VICI packet type 42")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.PROTOCOL));
        }
    }

    @Test
    void aPeerThatSendsARequestIsNotAServer() {
        try (ScriptedViciServer server = scripted((packet, out) -> {
            send(out, ViciPacket.request("version", ViciMessage.EMPTY));
            return true;
        }); ViciConnection connection = ViciConnection.open(endpoint(server))) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("sent a CMD_REQUEST packet, which only clients send");
        }
    }

    @Test
    void aCharonThatRestartsFailsTheConnectionAndANewOneWorks() {
        ScriptedViciServer first = scripted((packet, out) -> false);
        ViciConnection connection = ViciConnection.open(endpoint(first));
        assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                .hasMessageContaining("closed the connection (stopped or restarted)")
                .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CLOSED));
        first.close();
        connection.close();
        gateway.socket(SOCKET, () -> {
            throw new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET, "nothing listens on " + SOCKET,
                    "start it");
        });
        assertThatThrownBy(() -> ViciConnection.open(ViciEndpoint.on(gateway, SOCKET)))
                .hasMessageContaining("cannot connect to charon's VICI socket " + SOCKET + " on fake ssh"
                        + " root@203.0.113.10: nothing listens on " + SOCKET)
                .hasMessageContaining("is charon running")
                .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CANNOT_CONNECT));

        try (ScriptedViciServer restarted = scripted((packet, out) -> {
            respond(out, ViciMessage.builder().put("version", "5.9.8").build());
            return true;
        }); ViciClient client = ViciClient.connect(endpoint(restarted))) {
            assertThat(client.version().version()).isEqualTo("5.9.8");
        }
    }

    @Test
    void anUnreachableGatewayIsACharonLivCloudCannotConnectTo() {
        gateway.failNext(new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET, "connection refused",
                "check sshd"));

        assertThatThrownBy(() -> ViciClient.connect(ViciEndpoint.on(gateway, SOCKET)))
                .hasMessageContaining("connection refused")
                .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CANNOT_CONNECT));
    }

    @Test
    void eventsArriveWhileRegisteredEvenBetweenCommands() throws Exception {
        List<SaUpDown> events = new ArrayList<>();
        try (ScriptedViciServer server = scripted((packet, out) -> {
            if (packet.type() == ViciPacket.Type.EVENT_REGISTER || packet.type() == ViciPacket.Type.EVENT_UNREGISTER) {
                send(out, new ViciPacket(ViciPacket.Type.EVENT_CONFIRM, "", ViciMessage.EMPTY));
            } else {
                send(out, new ViciPacket(ViciPacket.Type.EVENT, "ike-updown", ViciMessage.builder().put("up", "yes")
                        .section("a-b", ViciMessage.builder().put("state", "ESTABLISHED").build()).build()));
                respond(out, ViciMessage.EMPTY);
            }
            return true;
        }); ViciClient client = ViciClient.connect(endpoint(server))) {
            try (ViciConnection.Subscription subscription = client.onIkeUpDown(events::add)) {
                client.connection().request("stats", ViciMessage.EMPTY);
            }
            assertThat(events).hasSize(1);
            assertThat(events.get(0).up()).isTrue();
            assertThat(events.get(0).sa().name()).isEqualTo("a-b");
        }
    }

    @Test
    void endpointsParseBothTransportsAndRefuseOthers() {
        assertThat(ViciEndpoint.on(gateway, "unix:///run/charon.vici").isUnix()).isTrue();
        assertThat(ViciEndpoint.on(gateway, "/run/charon.vici").isUnix()).isTrue();
        assertThat(ViciEndpoint.on(gateway, "tcp://127.0.0.1:4502").isUnix()).isFalse();
        assertThatThrownBy(() -> ViciEndpoint.on(gateway, "http://x"))
                .hasMessageContaining("write /path/to/charon.vici, unix:///path/to/charon.vici or tcp://host:port");
        assertThatThrownBy(() -> ViciEndpoint.on(gateway, "run/charon.vici"))
                .hasMessageContaining("is not a VICI endpoint");
        assertThatThrownBy(() -> ViciEndpoint.on(gateway, "/" + "x".repeat(120)))
                .hasMessageContaining("Unix socket paths hold at most 107");
    }

    private static ViciException.Reason reason(Throwable e) {
        return ((ViciException) e).reason();
    }
}
