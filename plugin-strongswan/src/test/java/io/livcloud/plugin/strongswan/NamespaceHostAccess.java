package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.testing.FakeHostAccess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A gateway host that is a network namespace on this machine, as the lab's namespace mode reaches its hosts: commands
 * run with {@code ip netns exec}, and files and Unix sockets are this machine's (a namespace shares the file system).
 * Records the commands it ran, so that tests see what the driver did at the gateway.
 */
final class NamespaceHostAccess implements HostAccess {

    private static final ProcessRunner PROCESSES = new ProcessRunner();

    private final String namespace;
    private final List<HostCommand> commands = new CopyOnWriteArrayList<>();

    NamespaceHostAccess(String namespace) {
        this.namespace = namespace;
    }

    /** The commands run so far, as the driver gave them (without {@code ip netns exec}). */
    List<String> commandLines() {
        return commands.stream().map(HostCommand::display).toList();
    }

    @Override
    public String target() {
        return "namespace " + namespace;
    }

    @Override
    public CommandResult run(HostCommand command) {
        commands.add(command);
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        argv.addAll(command.argv());
        return PROCESSES.run(new HostCommand(argv, command.stdin(), command.timeout()));
    }

    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) {
        try {
            byte[] content = Files.readAllBytes(Path.of(path));
            return Optional.of(Arrays.copyOf(content, Math.min(content.length, maxBytes)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public HostChannel openUnixSocket(String path) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(path));
            return new SocketStream(channel, path + " on " + target());
        } catch (IOException e) {
            closeQuietly(channel);
            throw new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET, "cannot connect to " + path
                    + " in " + target() + ": " + e.getMessage(), "start what listens there");
        }
    }

    @Override
    public HostChannel openTcp(String address, int port) {
        throw new UnsupportedOperationException("the tests' namespace hosts open no TCP streams");
    }

    @Override
    public void close() {
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // Gone either way.
        }
    }

    /**
     * A stream over a local socket. It reads and writes the channel directly: {@code Channels.newInputStream} would
     * hold the channel's lock while a read blocks, and so block every write.
     */
    private static final class SocketStream implements HostChannel {
        private final SocketChannel channel;
        private final String description;

        SocketStream(SocketChannel channel, String description) {
            this.channel = channel;
            this.description = description;
        }

        @Override
        public InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int read;
                    do {
                        read = channel.read(ByteBuffer.wrap(buffer, offset, length));
                    } while (read == 0 && length > 0);
                    return read;
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
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    ByteBuffer bytes = ByteBuffer.wrap(buffer, offset, length);
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                }
            };
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public void close() {
            closeQuietly(channel);
        }
    }
}
