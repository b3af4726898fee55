package io.livcloud.testing;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A host in memory, for tests of what plugins do over a {@link HostAccess} (Trino's hand-written fakes are the
 * model): programs that answer as the test says (each command run is recorded), files to read, Unix sockets that echo
 * what they are sent or that the test serves, and failures to throw, one per call, in order. A program the test did
 * not give answers as a shell would: exit code 127, "not found".
 */
public final class FakeHostAccess implements HostAccess {

    private final String target;
    private final Map<String, Function<HostCommand, CommandResult>> programs = new ConcurrentHashMap<>();
    private final List<HostCommand> commands = new CopyOnWriteArrayList<>();
    private final Map<String, Supplier<HostChannel>> sockets = new ConcurrentHashMap<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Queue<ExtensionException> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean closed;

    public FakeHostAccess() {
        this("fake host");
    }

    /** @param target what {@link #target()} says, e.g. {@code fake ssh root@203.0.113.10} */
    public FakeHostAccess(String target) {
        this.target = target;
    }

    /** How the program named {@code name} (the first word of a command, without folders) answers. */
    public FakeHostAccess program(String name, Function<HostCommand, CommandResult> answer) {
        programs.put(name, answer);
        return this;
    }

    /** The program {@code name} always succeeds with this standard output. */
    public FakeHostAccess program(String name, String stdout) {
        return program(name, command -> new CommandResult(0, stdout, ""));
    }

    /** Every command run so far, in order. */
    public List<HostCommand> commands() {
        return List.copyOf(commands);
    }

    /** The commands run so far as readable lines ({@link HostCommand#display()}), in order. */
    public List<String> commandLines() {
        return commands.stream().map(HostCommand::display).toList();
    }

    /** A Unix socket at {@code path} whose every connection is what {@code server} gives. */
    public FakeHostAccess socket(String path, Supplier<HostChannel> server) {
        sockets.put(path, server);
        return this;
    }

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
        return socket(path, () -> new EchoChannel(path));
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
        return target;
    }

    @Override
    public CommandResult run(HostCommand command) {
        call();
        commands.add(command);
        Function<HostCommand, CommandResult> answer = programs.get(command.program());
        return answer == null ? new CommandResult(127, "", command.program() + ": not found") : answer.apply(command);
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
        Supplier<HostChannel> server = sockets.get(path);
        if (server == null) {
            throw new ExtensionException(TestErrorCode.NO_SUCH_SOCKET, "nothing listens on " + path + " at "
                    + target, "start it");
        }
        return server.get();
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
    public enum TestErrorCode implements io.livcloud.spi.ErrorCode {
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
