package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One VICI packet: a type byte, a name for the named types, and a message for the types that carry one.
 *
 * @param type the packet type
 * @param name the command or event name for named types, else empty
 * @param message the message for types that carry one, else {@link ViciMessage#EMPTY}
 */
public record ViciPacket(Type type, String name, ViciMessage message) {

    /** The packet types of the VICI packet layer. */
    public enum Type {
        CMD_REQUEST(0, true, true),
        CMD_RESPONSE(1, false, true),
        CMD_UNKNOWN(2, false, false),
        EVENT_REGISTER(3, true, false),
        EVENT_UNREGISTER(4, true, false),
        EVENT_CONFIRM(5, false, false),
        EVENT_UNKNOWN(6, false, false),
        EVENT(7, true, true);

        private final int code;
        private final boolean named;
        private final boolean carriesMessage;

        Type(int code, boolean named, boolean carriesMessage) {
            this.code = code;
            this.named = named;
            this.carriesMessage = carriesMessage;
        }

        /** The type's byte on the wire. */
        public int code() {
            return code;
        }

        static Type of(int code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            throw new ViciException(ViciException.Reason.PROTOCOL, "unknown VICI packet type " + code
                    + " (VICI defines 0 to 7)");
        }
    }

    public ViciPacket {
        requireNonNull(type, "type is null");
        requireNonNull(name, "name is null");
        requireNonNull(message, "message is null");
        if (type.named) {
            ViciMessage.Builder.checkName(name);
        } else if (!name.isEmpty()) {
            throw new IllegalArgumentException(type + " packets have no name");
        }
        if (!type.carriesMessage && !message.isEmpty()) {
            throw new IllegalArgumentException(type + " packets carry no message");
        }
    }

    /** A command request. */
    public static ViciPacket request(String command, ViciMessage arguments) {
        return new ViciPacket(Type.CMD_REQUEST, command, arguments);
    }

    /** The packet's bytes, without the transport's length header. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type.code);
        if (type.named) {
            byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        if (type.carriesMessage) {
            out.writeBytes(ViciMessageCodec.encode(message));
        }
        return out.toByteArray();
    }

    /**
     * Decodes one packet from a transport segment.
     *
     * @throws ViciException {@link ViciException.Reason#PROTOCOL} for an empty segment, an unknown type, a truncated
     *     name, trailing bytes after a packet without message, or a malformed message
     */
    public static ViciPacket decode(byte[] segment) {
        if (segment.length == 0) {
            throw new ViciException(ViciException.Reason.PROTOCOL, "empty VICI packet (no type byte)");
        }
        Type type = Type.of(segment[0] & 0xff);
        int position = 1;
        String name = "";
        if (type.named) {
            if (segment.length < 2) {
                throw new ViciException(ViciException.Reason.PROTOCOL, type + " packet ends before its name");
            }
            int length = segment[1] & 0xff;
            position = 2 + length;
            if (length == 0 || position > segment.length) {
                throw new ViciException(ViciException.Reason.PROTOCOL, type + " packet has a name of " + length
                        + " bytes but " + (segment.length - 2) + " bytes follow");
            }
            name = new String(segment, 2, length, StandardCharsets.US_ASCII);
        }
        if (!type.carriesMessage) {
            if (position != segment.length) {
                throw new ViciException(ViciException.Reason.PROTOCOL, type + " packet has "
                        + (segment.length - position) + " unexpected bytes after its header");
            }
            return new ViciPacket(type, name, ViciMessage.EMPTY);
        }
        ViciMessage message = ViciMessageCodec.decode(segment, position, segment.length - position);
        return new ViciPacket(type, name, message);
    }
}
