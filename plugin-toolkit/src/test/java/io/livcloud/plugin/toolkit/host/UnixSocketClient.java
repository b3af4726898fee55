package io.livcloud.plugin.toolkit.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A test's client of a local Unix socket, e.g. a {@link LocalSocketRelay}'s. */
public final class UnixSocketClient {

    private UnixSocketClient() {
    }

    /** Sends a message, half-closes, and reads the answer to its end. */
    public static String exchange(Path socket, String message) {
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(socket));
            client.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)));
            client.shutdownOutput();
            return readToEnd(client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and reads, sending nothing, until the far end closes. */
    public static String listen(Path socket) {
        try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            client.connect(UnixDomainSocketAddress.of(socket));
            return readToEnd(client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readToEnd(SocketChannel client) throws IOException {
        ByteBuffer answer = ByteBuffer.allocate(64 * 1024);
        while (client.read(answer) >= 0) {
            if (!answer.hasRemaining()) {
                throw new IOException("the answer is longer than " + answer.capacity() + " bytes");
            }
        }
        return new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8);
    }
}
