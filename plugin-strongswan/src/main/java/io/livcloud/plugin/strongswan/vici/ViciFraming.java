package io.livcloud.plugin.strongswan.vici;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * The VICI transport layer: each segment is a 32-bit big-endian length, then that many bytes. charon accepts at most
 * 512 KiB per segment; a larger length from a peer is refused before anything is allocated for it.
 */
public final class ViciFraming {

    /** The largest segment charon sends or accepts. */
    public static final int MAX_SEGMENT = 512 * 1024;

    private ViciFraming() {
    }

    /**
     * Reads the next segment.
     *
     * @return the segment, or empty at a clean end of stream (between segments)
     * @throws ViciException {@link ViciException.Reason#PROTOCOL} for a length over {@link #MAX_SEGMENT} or zero,
     *     {@link ViciException.Reason#CLOSED} when the stream ends inside a segment
     * @throws IOException if reading fails
     */
    public static Optional<byte[]> read(InputStream in) throws IOException {
        byte[] header = new byte[4];
        int first = in.read();
        if (first < 0) {
            return Optional.empty();
        }
        header[0] = (byte) first;
        readFully(in, header, 1, 3, "a segment's length");
        long length = (header[0] & 0xffL) << 24 | (header[1] & 0xff) << 16 | (header[2] & 0xff) << 8
                | header[3] & 0xff;
        if (length == 0) {
            throw new ViciException(ViciException.Reason.PROTOCOL, "VICI segment of length 0 (a packet has at least"
                    + " its type byte)");
        }
        if (length > MAX_SEGMENT) {
            throw new ViciException(ViciException.Reason.PROTOCOL, "VICI segment of " + length
                    + " bytes, over the protocol's limit of " + MAX_SEGMENT + ": not a VICI peer, or a corrupt stream");
        }
        byte[] segment = new byte[(int) length];
        readFully(in, segment, 0, segment.length, "a segment of " + length + " bytes");
        return Optional.of(segment);
    }

    private static void readFully(InputStream in, byte[] buffer, int offset, int length, String what)
            throws IOException {
        int done = 0;
        while (done < length) {
            int read = in.read(buffer, offset + done, length - done);
            if (read < 0) {
                throw new ViciException(ViciException.Reason.CLOSED, "the VICI stream ended inside " + what
                        + " (" + done + " of " + length + " bytes came)", new EOFException());
            }
            done += read;
        }
    }

    /** Writes one segment: its length, then its bytes. */
    public static void write(OutputStream out, byte[] segment) throws IOException {
        if (segment.length > MAX_SEGMENT) {
            throw new ViciException(ViciException.Reason.PROTOCOL, "a VICI packet of " + segment.length
                    + " bytes is over the protocol's limit of " + MAX_SEGMENT);
        }
        byte[] framed = new byte[4 + segment.length];
        framed[0] = (byte) (segment.length >>> 24);
        framed[1] = (byte) (segment.length >>> 16);
        framed[2] = (byte) (segment.length >>> 8);
        framed[3] = (byte) segment.length;
        System.arraycopy(segment, 0, framed, 4, segment.length);
        out.write(framed);
        out.flush();
    }
}
