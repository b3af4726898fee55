package io.livcloud.plugin.strongswan.vici;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written VICI peer on a Unix socket, for the failures a real charon will not produce on demand: silence,
 * truncated frames, absurd lengths, unknown packet types, a restart. Each received packet goes to a {@link Script},
 * which writes raw bytes back (or nothing, or closes).
 */
final class ScriptedViciServer implements AutoCloseable {

    /** What the server does with one packet from the client. */
    interface Script {
        /** @return false to close the connection after this packet */
        boolean answer(ViciPacket received, OutputStream out) throws IOException;
    }

    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final List<ViciPacket> received = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> clients = new CopyOnWriteArrayList<>();
    private final ViciEndpoint endpoint;

    ScriptedViciServer(Path socket, Script script) throws IOException {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        endpoint = ViciEndpoint.unix(socket);
        acceptor = start(script);
    }

    /** On TCP, loopback only, as a charon with {@code charon.plugins.vici.socket = tcp://127.0.0.1:<port>}. */
    ScriptedViciServer(Script script) throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        endpoint = ViciEndpoint.parse("tcp://127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort());
        acceptor = start(script);
    }

    private Thread start(Script script) {
        Thread thread = new Thread(() -> serve(script), "scripted-vici-server");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    ViciEndpoint endpoint() {
        return endpoint;
    }

    List<ViciPacket> received() {
        return received;
    }

    private void serve(Script script) {
        try {
            while (true) {
                SocketChannel client = server.accept();
                clients.add(client);
                try (InputStream in = Channels.newInputStream(client);
                        OutputStream out = Channels.newOutputStream(client)) {
                    while (true) {
                        Optional<byte[]> segment = ViciFraming.read(in);
                        if (segment.isEmpty()) {
                            break;
                        }
                        ViciPacket packet = ViciPacket.decode(segment.get());
                        received.add(packet);
                        if (!script.answer(packet, out)) {
                            break;
                        }
                    }
                } catch (IOException | ViciException e) {
                    // The client went away; wait for the next one.
                }
            }
        } catch (IOException e) {
            // Closed.
        }
    }

    /** Writes one packet as a frame. */
    static void send(OutputStream out, ViciPacket packet) throws IOException {
        ViciFraming.write(out, packet.encode());
    }

    static void respond(OutputStream out, ViciMessage message) throws IOException {
        send(out, new ViciPacket(ViciPacket.Type.CMD_RESPONSE, "", message));
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel client : clients) {
            client.close();
        }
    }
}
