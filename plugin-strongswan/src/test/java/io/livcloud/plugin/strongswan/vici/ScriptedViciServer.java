package io.livcloud.plugin.strongswan.vici;

import io.livcloud.spi.host.HostChannel;
import io.livcloud.testing.FakeHostAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written VICI peer behind a {@link HostChannel}, as a host access hands one out for a socket on a gateway: for
 * the failures a real charon will not produce on demand (silence, truncated frames, absurd lengths, unknown packet
 * types, a restart) and for charons the unit tests script. Each connection is a pair of in-memory pipes with a thread
 * of its own; each packet it receives goes to the {@link Script}, which writes raw bytes back (or nothing, or closes).
 * {@link #on(FakeHostAccess, String)} puts it on a fake host's socket path.
 */
public final class ScriptedViciServer implements AutoCloseable {

    /** What the server does with one packet from the client. */
    public interface Script {
        /** @return false to close the connection after this packet */
        boolean answer(ViciPacket received, OutputStream out) throws IOException;
    }

    private final Script script;
    private final List<ViciPacket> received = new CopyOnWriteArrayList<>();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    public ScriptedViciServer(Script script) {
        this.script = script;
    }

    /** Serves every connection to {@code path} on {@code host}; returns the host. */
    public FakeHostAccess on(FakeHostAccess host, String path) {
        return host.socket(path, this::connect);
    }

    /** A new connection, as the host access's {@code openUnixSocket} or {@code openTcp} returns it. */
    public HostChannel connect() {
        Connection connection = new Connection();
        connections.add(connection);
        Thread thread = new Thread(() -> serve(connection), "scripted-vici-server");
        thread.setDaemon(true);
        thread.start();
        return connection;
    }

    /** Every packet received on any connection, in order. */
    public List<ViciPacket> received() {
        return received;
    }

    /** How many connections were made. */
    public int connections() {
        return connections.size();
    }

    private void serve(Connection connection) {
        try {
            while (true) {
                Optional<byte[]> segment = ViciFraming.read(connection.toServer.input());
                if (segment.isEmpty()) {
                    break;
                }
                ViciPacket packet = ViciPacket.decode(segment.get());
                received.add(packet);
                if (!script.answer(packet, connection.fromServer.output())) {
                    break;
                }
            }
        } catch (IOException | ViciException e) {
            // The client went away.
        } finally {
            connection.close();
        }
    }

    /** Writes one packet as a frame. */
    public static void send(OutputStream out, ViciPacket packet) throws IOException {
        ViciFraming.write(out, packet.encode());
    }

    public static void respond(OutputStream out, ViciMessage message) throws IOException {
        send(out, new ViciPacket(ViciPacket.Type.CMD_RESPONSE, "", message));
    }

    /** Ends every connection, as a charon that stops. */
    @Override
    public void close() {
        connections.forEach(Connection::close);
    }

    /** The client's side of one connection. */
    private static final class Connection implements HostChannel {
        final Pipe toServer = new Pipe();
        final Pipe fromServer = new Pipe();

        @Override
        public InputStream input() {
            return fromServer.input();
        }

        @Override
        public OutputStream output() {
            return toServer.output();
        }

        @Override
        public String description() {
            return "scripted VICI peer";
        }

        @Override
        public void close() {
            toServer.close();
            fromServer.close();
        }
    }

    /**
     * Bytes from one thread to another. Unlike {@code PipedInputStream}, a reader blocked on it returns at once when
     * either side closes (after what was already written), whichever threads are still alive.
     */
    private static final class Pipe {
        private final ArrayDeque<Byte> bytes = new ArrayDeque<>();
        private boolean closed;

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    synchronized (Pipe.this) {
                        while (bytes.isEmpty() && !closed) {
                            try {
                                Pipe.this.wait();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IOException("interrupted", e);
                            }
                        }
                        if (bytes.isEmpty()) {
                            return -1;
                        }
                        int count = 0;
                        while (count < length && !bytes.isEmpty()) {
                            buffer[offset + count++] = bytes.poll();
                        }
                        return count;
                    }
                }
            };
        }

        OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    synchronized (Pipe.this) {
                        if (closed) {
                            throw new IOException("the stream is closed");
                        }
                        for (int i = 0; i < length; i++) {
                            bytes.add(buffer[offset + i]);
                        }
                        Pipe.this.notifyAll();
                    }
                }
            };
        }
    }
}
