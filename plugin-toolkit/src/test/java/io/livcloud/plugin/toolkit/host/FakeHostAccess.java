package io.livcloud.plugin.toolkit.host;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host in memory, for the toolkit's tests of what works over any {@link HostAccess}: files to read, Unix sockets
 * that echo what they are sent (until end of stream, then close), and failures to throw, one per call, in order.
 */
public final class FakeHostAccess implements HostAccess {

    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Set<String> echoSockets = ConcurrentHashMap.newKeySet();
    private final Queue<ExtensionException> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean closed;

    /** Puts a file on the host. */
    public FakeHostAccess file(String path, byte[] content) {
        files.put(path, content.clone());
        return this;
    }

    /** Removes a file from the host. */
    public FakeHostAccess noFile(String path) {
        files.remove(path);
        return this;
    }

    /** Makes an echoing Unix socket at {@code path}. */
    public FakeHostAccess echoSocket(String path) {
        echoSockets.add(path);
        return this;
    }

    /** The next call throws this (after the ones queued before). */
    public FakeHostAccess failNext(ExtensionException failure) {
        failures.add(failure);
        return this;
    }

    /** How many calls were made. */
    public int calls() {
        return calls.get();
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public String target() {
        return "fake host";
    }

    @Override
    public CommandResult run(HostCommand command) {
        call();
        throw new UnsupportedOperationException("the fake host runs no commands: " + command);
    }

    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) {
        call();
        return Optional.ofNullable(files.get(path)).map(content -> Arrays.copyOf(content,
                Math.min(content.length, maxBytes)));
    }

    @Override
    public HostChannel openUnixSocket(String path) {
        call();
        if (!echoSockets.contains(path)) {
            throw new ExtensionException(TestErrorCode.NO_SUCH_SOCKET, "nothing listens on " + path, "start it");
        }
        return new EchoChannel(path);
    }

    @Override
    public HostChannel openTcp(String address, int port) {
        call();
        throw new UnsupportedOperationException("the fake host has no TCP ports");
    }

    @Override
    public void close() {
        closed = true;
    }

    private void call() {
        calls.incrementAndGet();
        ExtensionException failure = failures.poll();
        if (failure != null) {
            throw failure;
        }
    }

    /** The error code of the fake's own refusals. */
    enum TestErrorCode implements io.livcloud.spi.ErrorCode {
        NO_SUCH_SOCKET;

        @Override
        public String code() {
            return name();
        }
    }

    /** A stream whose far end echoes: pipes both ways and a thread between them. */
    private static final class EchoChannel implements HostChannel {
        private final String path;
        private final PipedInputStream fromServer = new PipedInputStream(64 * 1024);
        private final PipedOutputStream toServer = new PipedOutputStream();

        EchoChannel(String path) {
            this.path = path;
            try {
                PipedInputStream serverIn = new PipedInputStream(toServer, 64 * 1024);
                PipedOutputStream serverOut = new PipedOutputStream(fromServer);
                Thread echo = new Thread(() -> {
                    try (serverIn; serverOut) {
                        serverIn.transferTo(serverOut);
                    } catch (IOException closedEarly) {
                        // The client ended the stream: nothing to echo to.
                    }
                }, "fake echo " + path);
                echo.setDaemon(true);
                echo.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public InputStream input() {
            return fromServer;
        }

        @Override
        public OutputStream output() {
            return toServer;
        }

        @Override
        public String description() {
            return path + " on fake host";
        }

        @Override
        public void close() {
            try {
                toServer.close();
                fromServer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
