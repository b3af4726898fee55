package io.livcloud.plugin.strongswan.vici;

import static io.livcloud.plugin.strongswan.vici.ScriptedViciServer.respond;
import static io.livcloud.plugin.strongswan.vici.ScriptedViciServer.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection against a scripted peer: normal exchanges, and every way a broken peer can misbehave. */
class ViciConnectionTest {

    private static final Duration SHORT = Duration.ofMillis(300);

    @TempDir
    Path directory;

    @Test
    void aCommandGetsItsResponse() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            respond(out, ViciMessage.builder().put("daemon", "charon").put("version", "5.9.8").put("sysname", "Linux")
                    .build());
            return true;
        }); ViciClient client = ViciClient.connect(server.endpoint())) {
            CharonVersion version = client.version();

            assertThat(version.daemon()).isEqualTo("charon");
            assertThat(version.version()).isEqualTo("5.9.8");
            assertThat(server.received()).extracting(ViciPacket::name).containsExactly("version");
        }
    }

    @Test
    void aCharonListeningOnTcpIsReachedThere() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer((packet, out) -> {
            respond(out, ViciMessage.builder().put("daemon", "charon").put("version", "6.0.1").build());
            return true;
        }); ViciClient client = ViciClient.connect(server.endpoint())) {
            assertThat(server.endpoint().isUnix()).isFalse();
            assertThat(client.version().version()).isEqualTo("6.0.1");
        }
    }

    @Test
    void aStreamedCommandRegistersDeliversEveryEventBeforeTheResponseAndUnregisters() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
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
        }); ViciClient client = ViciClient.connect(server.endpoint())) {
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
    void aRefusedCommandSaysWhatCharonSaid() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            respond(out, ViciMessage.builder().put("success", "no").put("errmsg", "unknown connection 'x'").build());
            return true;
        }); ViciClient client = ViciClient.connect(server.endpoint())) {
            assertThatThrownBy(() -> client.unloadConnection("x"))
                    .isInstanceOf(ViciException.class)
                    .hasMessageContaining("could not unload the connection 'x': unknown connection 'x'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.COMMAND_FAILED));
        }
    }

    @Test
    void anUnknownCommandOrEventIsNamed() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            send(out, new ViciPacket(packet.type() == ViciPacket.Type.CMD_REQUEST ? ViciPacket.Type.CMD_UNKNOWN
                    : ViciPacket.Type.EVENT_UNKNOWN, "", ViciMessage.EMPTY));
            return true;
        }); ViciConnection connection = ViciConnection.open(server.endpoint(), SHORT)) {
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
    void aSilentPeerTimesOutAndTheConnectionIsClosed() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> true);
                ViciConnection connection = ViciConnection.open(server.endpoint(), SHORT)) {
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
    void aTruncatedFrameFailsTheExchangeInFlight() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            out.write(new byte[] {0, 0, 0, 40, 1, 3, 1});
            return false;
        }); ViciConnection connection = ViciConnection.open(server.endpoint(), SHORT)) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("ended inside a segment of 40 bytes (3 of 40 bytes came)")
                    .hasMessageContaining("while waiting for command 'stats'")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CLOSED));
        }
    }

    @Test
    void anOversizedLengthIsRefusedWithoutWaitingForTheBytes() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            out.write(new byte[] {0x7f, 0, 0, 0});
            return true;
        }); ViciConnection connection = ViciConnection.open(server.endpoint(), SHORT)) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("VICI segment of 2130706432 bytes, over the protocol's limit")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.PROTOCOL));
            assertThat(connection.isOpen()).isFalse();
        }
    }

    @Test
    void anUnknownPacketTypeIsAProtocolError() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            ViciFraming.write(out, new byte[] {42});
            return true;
        }); ViciConnection connection = ViciConnection.open(server.endpoint(), SHORT)) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("unknown VICI packet type 42")
                    .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.PROTOCOL));
        }
    }

    @Test
    void aPeerThatSendsARequestIsNotAServer() throws IOException {
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            send(out, ViciPacket.request("version", ViciMessage.EMPTY));
            return true;
        }); ViciConnection connection = ViciConnection.open(server.endpoint(), SHORT)) {
            assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                    .hasMessageContaining("sent a CMD_REQUEST packet, which only clients send");
        }
    }

    @Test
    void aCharonThatRestartsFailsTheConnectionAndANewOneWorks() throws IOException {
        Path socket = directory.resolve("vici");
        ScriptedViciServer first = new ScriptedViciServer(socket, (packet, out) -> false);
        ViciConnection connection = ViciConnection.open(first.endpoint(), SHORT);
        assertThatThrownBy(() -> connection.request("stats", ViciMessage.EMPTY, Duration.ofSeconds(5)))
                .hasMessageContaining("closed the connection (stopped or restarted)")
                .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CLOSED));
        first.close();
        connection.close();
        java.nio.file.Files.delete(socket);
        assertThatThrownBy(() -> ViciConnection.open(ViciEndpoint.unix(socket), SHORT))
                .hasMessageContaining("cannot connect to charon's VICI socket unix://" + socket)
                .hasMessageContaining("is charon running")
                .satisfies(e -> assertThat(reason(e)).isEqualTo(ViciException.Reason.CANNOT_CONNECT));

        try (ScriptedViciServer restarted = new ScriptedViciServer(socket, (packet, out) -> {
            respond(out, ViciMessage.builder().put("version", "5.9.8").build());
            return true;
        }); ViciClient client = ViciClient.connect(restarted.endpoint())) {
            assertThat(client.version().version()).isEqualTo("5.9.8");
        }
    }

    @Test
    void eventsArriveWhileRegisteredEvenBetweenCommands() throws Exception {
        List<SaUpDown> events = new ArrayList<>();
        try (ScriptedViciServer server = new ScriptedViciServer(directory.resolve("vici"), (packet, out) -> {
            if (packet.type() == ViciPacket.Type.EVENT_REGISTER || packet.type() == ViciPacket.Type.EVENT_UNREGISTER) {
                send(out, new ViciPacket(ViciPacket.Type.EVENT_CONFIRM, "", ViciMessage.EMPTY));
            } else {
                send(out, new ViciPacket(ViciPacket.Type.EVENT, "ike-updown", ViciMessage.builder().put("up", "yes")
                        .section("a-b", ViciMessage.builder().put("state", "ESTABLISHED").build()).build()));
                respond(out, ViciMessage.EMPTY);
            }
            return true;
        }); ViciClient client = ViciClient.connect(server.endpoint())) {
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
        assertThat(ViciEndpoint.parse("unix:///run/charon.vici")).isEqualTo(ViciEndpoint.DEFAULT);
        ViciEndpoint tcp = ViciEndpoint.parse("tcp://127.0.0.1:4502");
        assertThat(tcp.isUnix()).isFalse();
        assertThat(tcp.port()).isEqualTo(4502);
        assertThatThrownBy(() -> ViciEndpoint.parse("http://x"))
                .hasMessageContaining("write unix:///path/to/charon.vici or tcp://host:port");
        assertThatThrownBy(() -> ViciEndpoint.unix(Path.of("/" + "x".repeat(120))))
                .hasMessageContaining("Unix socket paths hold at most 107");
    }

    private static ViciException.Reason reason(Throwable e) {
        return ((ViciException) e).reason();
    }
}
