package io.livcloud.plugin.lab;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of strongSwan's VICI protocol ({@code src/libcharon/plugins/vici/README.md}) to ask a charon whether it
 * answers: a {@code version} command request, and whether a command response comes back. The tunnel extension has
 * the real client; the lab only needs to know that the charon it started for a site is up.
 *
 * <p>A packet is a 4-byte big-endian length of what follows, a type byte, and for a command request the command's
 * name after a 1-byte length; {@code version} has an empty message.
 */
final class LabVici {

    static final int CMD_REQUEST = 0;
    static final int CMD_RESPONSE = 1;
    /** A charon's version answer is a few dozen bytes; more than this is not one. */
    private static final int LONGEST_ANSWER = 64 * 1024;

    private LabVici() {
    }

    /** The {@code version} command request. */
    static byte[] versionRequest() {
        byte[] name = "version".getBytes(StandardCharsets.US_ASCII);
        byte[] packet = new byte[4 + 2 + name.length];
        int length = 2 + name.length;
        packet[0] = (byte) (length >>> 24);
        packet[1] = (byte) (length >>> 16);
        packet[2] = (byte) (length >>> 8);
        packet[3] = (byte) length;
        packet[4] = CMD_REQUEST;
        packet[5] = (byte) name.length;
        System.arraycopy(name, 0, packet, 6, name.length);
        return packet;
    }

    /**
     * Sends {@code version} and reads one packet back.
     *
     * @return whether it is a command response (an unknown command would be answered with {@code CMD_UNKNOWN})
     * @throws IOException when the stream fails or ends before a whole packet came
     */
    static boolean answersVersion(InputStream in, OutputStream out) throws IOException {
        out.write(versionRequest());
        out.flush();
        DataInputStream packets = new DataInputStream(in);
        int length = packets.readInt();
        if (length < 1 || length > LONGEST_ANSWER) {
            return false;
        }
        byte[] packet = packets.readNBytes(length);
        if (packet.length < length) {
            throw new EOFException("the answer ended after " + packet.length + " of " + length + " bytes");
        }
        return packet[0] == CMD_RESPONSE;
    }
}
