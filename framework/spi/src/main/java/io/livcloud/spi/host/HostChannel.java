package io.livcloud.spi.host;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A byte stream to a socket on a host, opened by {@link HostAccess}: what the socket sends arrives on {@link #input()},
 * what is written to {@link #output()} reaches it. Closing ends both directions.
 */
public interface HostChannel extends AutoCloseable {

    /** Bytes from the socket; end of stream when the far end closes. */
    InputStream input();

    /** Bytes to the socket. */
    OutputStream output();

    /** Where this stream goes, for messages, e.g. {@code /var/run/charon.vici on ssh root@203.0.113.10:22}. */
    String description();

    /** Ends the stream; never throws for one already closed. */
    @Override
    void close();
}
