package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.host.HostChannel;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link HostChannel} the lab's host access hands out: two streams, and what closing them does (once), which is
 * given the channel so that an owner can forget it. Equal only to itself, so that open channels can be kept in a set.
 */
final class LabChannel implements HostChannel {

    private final InputStream input;
    private final OutputStream output;
    private final String description;
    private final Consumer<LabChannel> closing;
    private final AtomicBoolean closed = new AtomicBoolean();

    LabChannel(InputStream input, OutputStream output, String description, Consumer<LabChannel> closing) {
        this.input = requireNonNull(input, "input is null");
        this.output = requireNonNull(output, "output is null");
        this.description = requireNonNull(description, "description is null");
        this.closing = requireNonNull(closing, "closing is null");
    }

    /**
     * A connected socket as a channel. Its streams call the socket themselves: the JDK's {@code Channels} streams take
     * one lock for reading and writing, so a reader blocked waiting for the far end would hold up every write.
     * Closing the output half-closes: the far end reads end of stream and can still answer.
     */
    static LabChannel of(SocketChannel socket, String description, Consumer<LabChannel> closing) {
        InputStream input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                return length == 0 ? 0 : socket.read(ByteBuffer.wrap(bytes, offset, length)); // blocking: -1 or more
            }
        };
        OutputStream output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
                while (buffer.hasRemaining()) {
                    socket.write(buffer);
                }
            }

            @Override
            public void close() throws IOException {
                if (socket.isOpen()) {
                    socket.shutdownOutput();
                }
            }
        };
        return new LabChannel(input, output, description, channel -> {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing a socket only fails when it is gone already.
            }
            closing.accept(channel);
        });
    }

    /**
     * A stream that sends each write at once. A process's stdin is buffered by the JDK; a protocol client that writes
     * a request and then waits for the answer must not need to know that.
     */
    static OutputStream flushingEachWrite(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
                out.flush();
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                out.flush();
            }
        };
    }

    @Override
    public InputStream input() {
        return input;
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
        if (closed.compareAndSet(false, true)) {
            closing.accept(this);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
