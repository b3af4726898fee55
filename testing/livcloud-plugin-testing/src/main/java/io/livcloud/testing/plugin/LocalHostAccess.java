package io.livcloud.testing.plugin;

import io.livcloud.plugin.toolkit.process.ProcessErrorCode;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * This machine as a host reached through host access, for tests that run the remote code paths against real
 * programs, devices and daemons: commands run as local processes, inside a network namespace when one is named
 * ({@code ip netns exec}, as the lab's namespace mode does), files are read by {@code head} the same way, and Unix
 * sockets are connected directly (a path-named socket is the same in every network namespace). A program that is
 * missing answers with exit code 127, as a shell would.
 */
public final class LocalHostAccess implements HostAccess {

    private final ProcessRunner processes = new ProcessRunner();
    private final Optional<String> namespace;
    private final List<String> commandLines = new CopyOnWriteArrayList<>();
    private final List<String> socketsOpened = new CopyOnWriteArrayList<>();

    private LocalHostAccess(Optional<String> namespace) {
        this.namespace = namespace;
    }

    /** Plain local processes. */
    public static LocalHostAccess processes() {
        return new LocalHostAccess(Optional.empty());
    }

    /** Processes in the network namespace {@code name}, which the test made. */
    public static LocalHostAccess inNamespace(String name) {
        return new LocalHostAccess(Optional.of(name));
    }

    @Override
    public String target() {
        return namespace.map(name -> "test namespace " + name).orElse("test processes on this machine");
    }

    /** The commands run so far, as readable lines, in order. */
    public List<String> commandLines() {
        return List.copyOf(commandLines);
    }

    /** The sockets opened so far, in order. */
    public List<String> socketsOpened() {
        return List.copyOf(socketsOpened);
    }

    @Override
    public CommandResult run(HostCommand command) {
        commandLines.add(command.display());
        try {
            return processes.run(new HostCommand(argv(command.argv()), command.stdin(), command.timeout()));
        } catch (ExtensionException e) {
            if (e.errorCode() == ProcessErrorCode.PROGRAM_NOT_FOUND) {
                return new CommandResult(127, "", command.program() + ": not found");
            }
            throw e;
        }
    }

    private List<String> argv(List<String> argv) {
        List<String> full = new ArrayList<>();
        namespace.ifPresent(name -> full.addAll(List.of("ip", "netns", "exec", name)));
        full.addAll(argv);
        return full;
    }

    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) {
        commandLines.add("(read) " + path);
        ProcessBuilder builder = new ProcessBuilder(argv(List.of("head", "-c", Integer.toString(maxBytes), "--",
                path))).redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process head = builder.start();
            byte[] content;
            try (InputStream in = head.getInputStream()) {
                content = in.readAllBytes();
            }
            if (!head.waitFor(30, TimeUnit.SECONDS)) {
                head.destroyForcibly();
                throw new IllegalStateException("reading " + path + " took longer than 30 s");
            }
            return head.exitValue() == 0 ? Optional.of(content) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + path, e);
        }
    }

    @Override
    public HostChannel openUnixSocket(String path) {
        socketsOpened.add(path);
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new SocketStream(channel, path + " on " + target());
        } catch (IOException e) {
            throw new ExtensionException(ProcessErrorCode.START_FAILED, "cannot connect to " + path + " on "
                    + target() + ": " + e.getMessage(), "start what listens there", e);
        }
    }

    @Override
    public HostChannel openTcp(String address, int port) {
        throw new UnsupportedOperationException("the tests reach no TCP port through this host access");
    }

    @Override
    public void close() {
        // Nothing held: each command and stream is its own.
    }

    /**
     * A connected Unix socket as a stream, read and written on the channel itself: the JDK's channel streams may lock
     * one direction while the other blocks. Closing the output passes a half-close on, as the relay expects.
     */
    private record SocketStream(SocketChannel channel, String description) implements HostChannel {

        @Override
        public InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    return length == 0 ? 0 : channel.read(ByteBuffer.wrap(bytes, offset, length));
                }
            };
        }

        @Override
        public OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }

                @Override
                public void close() throws IOException {
                    channel.shutdownOutput();
                }
            };
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // Gone already.
            }
        }
    }
}
