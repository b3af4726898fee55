package io.livcloud.plugin.toolkit.host;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Unix socket on this machine that leads to a Unix socket on a host, for programs that must be given a socket path
 * rather than a Java stream (libvirt's C library takes a URI such as {@code qemu+unix:///system?socket=<path>}). Every
 * connection made to {@link #path()} gets its own {@link HostAccess#openUnixSocket} stream, and bytes are pumped both
 * ways until both sides have ended; one side's end of stream is passed on as a half-close, so request/response
 * protocols that shut down their sending side still get their answer.
 *
 * <p>Only this machine's user may connect: the folder is made 0700 and the socket 0600, because whoever reaches the
 * socket speaks to the remote daemon with the rights the host access logs in with.
 *
 * <p>Opened by a plugin that hands such a program a path (e.g. the hypervisor plugin for a remote host's libvirt);
 * closed by it. Failures of one connection (the host unreachable, the remote socket gone) are logged and end that
 * connection only; they are never thrown. Thread-safe; the pumps are daemon threads.
 */
public final class LocalSocketRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSocketRelay.class);
    /** Linux's limit for a socket path ({@code sun_path}), less its terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final HostAccess host;
    private final String remoteSocket;
    private final Path path;
    private final ServerSocketChannel server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean open = new AtomicBoolean(true);

    private LocalSocketRelay(HostAccess host, String remoteSocket, Path path, ServerSocketChannel server) {
        this.host = host;
        this.remoteSocket = remoteSocket;
        this.path = path;
        this.server = server;
    }

    /**
     * Starts listening on a socket in {@code folder} (named like the remote socket) that relays to {@code
     * remoteSocket} on the host. A stale socket file of that name is replaced. The host access stays the caller's.
     *
     * @throws ExtensionException {@link RelayErrorCode#RELAY_SOCKET_UNUSABLE} when the folder or socket cannot be made
     */
    public static LocalSocketRelay open(HostAccess host, String remoteSocket, Path folder) {
        requireNonNull(host, "host is null");
        requireNonNull(remoteSocket, "remoteSocket is null");
        requireNonNull(folder, "folder is null");
        Path name = Path.of(remoteSocket).getFileName();
        Path path = folder.toAbsolutePath().resolve(name == null ? "relay.sock" : name.toString());
        if (path.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new ExtensionException(RelayErrorCode.RELAY_SOCKET_UNUSABLE, "the relay socket " + path + " is longer"
                    + " than the " + MAX_SOCKET_PATH_BYTES + " bytes a Unix socket path may have", "give the relay"
                    + " a shorter folder, e.g. under /run or /tmp");
        }
        ServerSocketChannel server = null;
        try {
            Files.createDirectories(folder);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            Files.deleteIfExists(path);
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            closeQuietly(server);
            throw new ExtensionException(RelayErrorCode.RELAY_SOCKET_UNUSABLE, "cannot listen on " + path + " to"
                    + " relay to " + remoteSocket + " on " + host.target() + ": " + e, "check that " + folder
                    + " is writable by LivCloud", e);
        }
        LocalSocketRelay relay = new LocalSocketRelay(host, remoteSocket, path, server);
        daemon(relay::acceptAll, "relay " + path).start();
        LOG.debug("relaying {} to {} on {}", path, remoteSocket, host.target());
        return relay;
    }

    /** The local socket to give the program. */
    public Path path() {
        return path;
    }

    private void acceptAll() {
        while (open.get()) {
            SocketChannel local;
            try {
                local = server.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                if (open.get()) {
                    LOG.warn("relay {}: accepting a connection failed: {}", path, e.toString());
                }
                continue;
            }
            Connection connection = new Connection(local);
            connections.add(connection);
            daemon(connection::start, "relay " + path + " connection").start();
        }
    }

    /** Stops listening, removes the socket and ends every connection; never throws. */
    @Override
    public void close() {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        closeQuietly(server);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.warn("relay {}: cannot remove the socket: {}", path, e.toString());
        }
        connections.forEach(Connection::end);
    }

    @Override
    public String toString() {
        return path + " -> " + remoteSocket + " on " + host.target();
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {}: {}", closeable, e.toString());
        }
    }

    /** One accepted connection and its remote stream. */
    private final class Connection {
        private final SocketChannel local;
        private final AtomicInteger directionsRunning = new AtomicInteger(2);
        private volatile HostChannel remote;

        Connection(SocketChannel local) {
            this.local = local;
        }

        /** Opens the remote stream (on this thread: a slow host must not hold up other connections), then pumps. */
        void start() {
            try {
                remote = host.openUnixSocket(remoteSocket);
            } catch (RuntimeException e) {
                LOG.warn("relay {}: cannot open {} on {}: {}", path, remoteSocket, host.target(), e.getMessage());
                end();
                return;
            }
            if (!open.get()) {
                end();
                return;
            }
            daemon(this::toRemote, "relay " + path + " to remote").start();
            fromRemote();
        }

        private void toRemote() {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            try {
                while (local.read(buffer) >= 0) {
                    remote.output().write(buffer.array(), 0, buffer.position());
                    buffer.clear();
                }
                remote.output().close();
                directionDone();
            } catch (IOException | RuntimeException e) {
                failed("to the remote socket", e);
            }
        }

        private void fromRemote() {
            byte[] bytes = new byte[BUFFER_BYTES];
            try {
                int read;
                while ((read = remote.input().read(bytes)) >= 0) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, read);
                    while (buffer.hasRemaining()) {
                        local.write(buffer);
                    }
                }
                local.shutdownOutput();
                directionDone();
            } catch (IOException | RuntimeException e) {
                failed("from the remote socket", e);
            }
        }

        private void directionDone() {
            if (directionsRunning.decrementAndGet() == 0) {
                end();
            }
        }

        private void failed(String direction, Exception e) {
            if (open.get() && connections.contains(this)) {
                LOG.warn("relay {}: copying {} {} on {} failed: {}", path, direction, remoteSocket, host.target(),
                        e.toString());
            }
            end();
        }

        /** Ends both sides; the pumps stop on their closed streams. */
        void end() {
            connections.remove(this);
            closeQuietly(local);
            closeQuietly(remote);
        }
    }
}
