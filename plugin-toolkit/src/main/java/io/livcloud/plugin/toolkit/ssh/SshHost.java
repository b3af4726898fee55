package io.livcloud.plugin.toolkit.ssh;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * {@link HostAccess} to one host over one SSH session, made by {@link SshConnector#open}. The session is opened by the
 * first call and shared by all (MINA's sessions take channels from several threads); when it dropped, the next call
 * opens a new one. Commands are exec channels ({@link SshCommandRun}); streams are {@code direct-streamlocal} and
 * {@code direct-tcpip} channels.
 */
final class SshHost implements HostAccess {

    private final SshConnector connector;
    private final SshTarget target;
    private ClientSession session; // guarded by this
    private boolean closed; // guarded by this

    SshHost(SshConnector connector, SshTarget target) {
        this.connector = connector;
        this.target = target;
    }

    @Override
    public String target() {
        return "ssh " + target;
    }

    @Override
    public CommandResult run(HostCommand command) {
        return SshCommandRun.start(this, command).await().result();
    }

    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
        }
        // head stops at maxBytes, so a huge or endless file (/dev/zero) costs no more than asked for.
        HostCommand head = HostCommand.of(connector.timeout(), "head", "-c", Integer.toString(maxBytes), "--", path);
        SshCommandRun.Outcome outcome = SshCommandRun.start(this, head).await();
        if (outcome.result().timedOut()) {
            throw new ExtensionException(HostAccessErrorCode.SSH_TIMEOUT, "reading " + path + " on " + target()
                    + " took longer than " + connector.timeout(), "check the host's load and its disks, or retry");
        }
        return outcome.result().succeeded() ? Optional.of(outcome.stdout()) : Optional.empty();
    }

    @Override
    public HostChannel openUnixSocket(String path) {
        ClientChannel channel = openChannel(session -> {
            ChannelDirectStreamLocal streamLocal = new ChannelDirectStreamLocal(path);
            session.getService(ConnectionService.class).registerChannel(streamLocal);
            return streamLocal;
        }, "Unix socket " + path);
        return new SshStream(channel, path + " on " + target());
    }

    @Override
    public HostChannel openTcp(String address, int port) {
        ClientChannel channel = openChannel(session -> session.createDirectTcpipChannel(
                // The originator fields are informational for sshd; naming the loopback avoids a local name lookup.
                new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(address, port)),
                "TCP " + address + ":" + port);
        return new SshStream(channel, address + ":" + port + " on " + target());
    }

    /** Makes a channel on the session and opens it; one dropped session is replaced, once, before giving up. */
    <C extends ClientChannel> C openChannel(ChannelMaker<C> maker, String what) {
        for (int attempt = 1; ; attempt++) {
            ClientSession current = session();
            C channel = null;
            try {
                channel = maker.make(current);
                channel.open().verify(connector.timeout());
                return channel;
            } catch (IOException e) {
                closeQuietly(channel);
                Optional<SshChannelOpenException> refused = refusal(e);
                if (refused.isPresent()) {
                    throw new ExtensionException(HostAccessErrorCode.SSH_CHANNEL_REFUSED, "the sshd of " + target()
                            + " refused a channel to " + what + ": " + refused.get().getMessage(), "check that it is"
                            + " there and listening on the host, and that sshd allows forwarding (AllowTcpForwarding,"
                            + " AllowStreamLocalForwarding)", e);
                }
                if (attempt == 1 && !usable(current)) {
                    // The session dropped between the check and the open (a host that rebooted): nothing ran yet.
                    continue;
                }
                throw usable(current) ? new ExtensionException(HostAccessErrorCode.SSH_TIMEOUT, "opening a channel"
                        + " to " + what + " on " + target() + " failed: " + e.getMessage(), "check the host's load,"
                        + " or retry", e) : connector.unreachable(target, e);
            }
        }
    }

    /** The server's refusal to open a channel, which MINA may wrap in the exception of the future that waited. */
    private static Optional<SshChannelOpenException> refusal(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SshChannelOpenException refused) {
                return Optional.of(refused);
            }
        }
        return Optional.empty();
    }

    /** The open session, or a new one when there is none or it dropped. */
    private synchronized ClientSession session() {
        if (closed) {
            throw new IllegalStateException(target() + " is closed");
        }
        if (session != null && usable(session)) {
            return session;
        }
        if (session != null) {
            session.close(true);
            session = null;
        }
        session = connector.connect(target);
        return session;
    }

    SshTarget sshTarget() {
        return target;
    }

    SshConnector connector() {
        return connector;
    }

    private static boolean usable(ClientSession session) {
        return session.isOpen() && !session.isClosing();
    }

    private static void closeQuietly(ClientChannel channel) {
        if (channel != null) {
            channel.close(true);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (session != null) {
            session.close(true);
            session = null;
        }
    }

    @Override
    public String toString() {
        return target();
    }

    /** Makes a channel on a session. */
    @FunctionalInterface
    interface ChannelMaker<C extends ClientChannel> {
        C make(ClientSession session) throws IOException;
    }

    /** A stream over a forwarding channel; writes go out at once, as on a socket. */
    private static final class SshStream implements HostChannel {
        private final ClientChannel channel;
        private final String description;
        private final OutputStream output;

        SshStream(ClientChannel channel, String description) {
            this.channel = channel;
            this.description = description;
            // MINA's channel stream sends only full packets until flushed; a protocol client writing a request and
            // then waiting for the reply must not need to know that.
            this.output = new OutputStream() {
                private final OutputStream channelIn = channel.getInvertedIn();

                @Override
                public void write(int b) throws IOException {
                    channelIn.write(b);
                    channelIn.flush();
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    channelIn.write(bytes, offset, length);
                    channelIn.flush();
                }

                @Override
                public void flush() throws IOException {
                    channelIn.flush();
                }

                /** Half-closes: the far end reads end of stream, and can still answer. */
                @Override
                public void close() throws IOException {
                    channelIn.close();
                }
            };
        }

        @Override
        public InputStream input() {
            return channel.getInvertedOut();
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public String description() {
            return description;
        }

        @Override
        public void close() {
            channel.close(false);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
