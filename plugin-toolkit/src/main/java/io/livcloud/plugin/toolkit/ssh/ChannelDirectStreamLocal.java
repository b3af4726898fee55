package io.livcloud.plugin.toolkit.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.client.channel.AsyncCapableClientChannel;
import org.apache.sshd.client.future.DefaultOpenFuture;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.channel.LocalWindow;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * A stream to a Unix socket on the SSH server's host: OpenSSH's {@code direct-streamlocal@openssh.com} channel (section
 * 2.4 of openssh-portable's PROTOCOL file), what {@code ssh -L local:/remote/socket} uses. MINA SSHD has the TCP
 * equivalent ({@code ChannelDirectTcpip}) but no client side of this one. The channel-open request carries, after the
 * common fields, the socket path and two reserved fields (an empty string and a zero); the rest (windows, streams,
 * close) is MINA's.
 *
 * <p>Made by {@link SshHost#openUnixSocket}; register it with the session's connection service before {@link #open()}.
 * The server refuses it (the open future fails) when nothing listens at the path or its {@code
 * AllowStreamLocalForwarding} is {@code no}.
 */
final class ChannelDirectStreamLocal extends AsyncCapableClientChannel {

    static final String TYPE = "direct-streamlocal@openssh.com";

    private final String socketPath;

    ChannelDirectStreamLocal(String socketPath) {
        super(TYPE, false);
        this.socketPath = socketPath;
    }

    String socketPath() {
        return socketPath;
    }

    @Override
    public synchronized OpenFuture open() throws IOException {
        if (closeFuture.isClosed()) {
            throw new SshException("the session is closed; cannot open a stream to " + socketPath);
        }
        openFuture = new DefaultOpenFuture(socketPath, futureLock);
        LocalWindow window = getLocalWindow();
        byte[] path = socketPath.getBytes(StandardCharsets.UTF_8);
        Buffer request = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_OPEN, TYPE.length() + path.length + 64);
        request.putString(TYPE);
        request.putUInt(getChannelId());
        request.putUInt(window.getSize());
        request.putUInt(window.getPacketSize());
        request.putBytes(path);
        request.putString(""); // reserved
        request.putUInt(0); // reserved
        writePacket(request);
        return openFuture;
    }
}
