package io.livcloud.plugin.strongswan.vici;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Encodes and decodes the element sequence of a {@link ViciMessage}: SECTION_START (1) name, SECTION_END (2),
 * KEY_VALUE (3) name value, LIST_START (4) name, LIST_ITEM (5) value, LIST_END (6); names with an 8-bit length,
 * values with a 16-bit big-endian length.
 *
 * <p>The decoder trusts nothing: every length is checked against what is left, and structure errors (an unbalanced
 * section, a key/value inside a list, a nested list) are {@link ViciException.Reason#PROTOCOL} errors that say where.
 */
public final class ViciMessageCodec {

    static final int SECTION_START = 1;
    static final int SECTION_END = 2;
    static final int KEY_VALUE = 3;
    static final int LIST_START = 4;
    static final int LIST_ITEM = 5;
    static final int LIST_END = 6;

    /** Names carry an 8-bit length. */
    static final int MAX_NAME_LENGTH = 255;
    /** Values carry a 16-bit length. */
    static final int MAX_VALUE_LENGTH = 65_535;

    private ViciMessageCodec() {
    }

    /** The message's elements, as they go on the wire. */
    public static byte[] encode(ViciMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(message, out);
        return out.toByteArray();
    }

    private static void write(ViciMessage message, ByteArrayOutputStream out) {
        for (ViciMessage.Entry entry : message.entries()) {
            switch (entry.kind()) {
                case VALUE -> {
                    out.write(KEY_VALUE);
                    writeName(entry.name(), out);
                    writeValue(entry.value(), out);
                }
                case LIST -> {
                    out.write(LIST_START);
                    writeName(entry.name(), out);
                    for (byte[] item : entry.items()) {
                        out.write(LIST_ITEM);
                        writeValue(item, out);
                    }
                    out.write(LIST_END);
                }
                case SECTION -> {
                    out.write(SECTION_START);
                    writeName(entry.name(), out);
                    write(entry.section(), out);
                    out.write(SECTION_END);
                }
                default -> throw new AssertionError(entry.kind());
            }
        }
    }

    private static void writeName(String name, ByteArrayOutputStream out) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeValue(byte[] value, ByteArrayOutputStream out) {
        out.write(value.length >>> 8);
        out.write(value.length & 0xff);
        out.writeBytes(value);
    }

    /** Decodes a whole message. */
    public static ViciMessage decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /**
     * Decodes the message in {@code data[offset, offset + length)}.
     *
     * @throws ViciException {@link ViciException.Reason#PROTOCOL} if the bytes are not a valid message
     */
    public static ViciMessage decode(byte[] data, int offset, int length) {
        return new Decoder(data, offset, offset + length).decode();
    }

    /** One pass over the bytes with a stack of open sections. */
    private static final class Decoder {
        private final byte[] data;
        private final int start;
        private final int end;
        private int position;
        private final Deque<OpenSection> sections = new ArrayDeque<>();
        private String openList;
        private List<byte[]> listItems;

        Decoder(byte[] data, int start, int end) {
            if (start < 0 || end > data.length || start > end) {
                throw new IllegalArgumentException("range [" + start + ", " + end + ") is outside the "
                        + data.length + " bytes");
            }
            this.data = data;
            this.start = start;
            this.end = end;
            this.position = start;
        }

        ViciMessage decode() {
            sections.push(new OpenSection("", ViciMessage.lenientBuilder()));
            while (position < end) {
                int elementAt = position;
                int type = data[position++] & 0xff;
                if (openList != null && type != LIST_ITEM && type != LIST_END) {
                    throw malformed(elementAt, "element type " + type + " inside the list '" + openList
                            + "', where only list items and the list's end may appear");
                }
                switch (type) {
                    case SECTION_START -> sections.push(new OpenSection(readName(), ViciMessage.lenientBuilder()));
                    case SECTION_END -> {
                        if (sections.size() == 1) {
                            throw malformed(elementAt, "a section end without an open section");
                        }
                        OpenSection closed = sections.pop();
                        sections.peek().builder().section(closed.name(), closed.builder().build());
                    }
                    case KEY_VALUE -> {
                        String name = readName();
                        sections.peek().builder().put(name, readValue());
                    }
                    case LIST_START -> {
                        openList = readName();
                        listItems = new ArrayList<>();
                    }
                    case LIST_ITEM -> {
                        if (openList == null) {
                            throw malformed(elementAt, "a list item outside a list");
                        }
                        listItems.add(readValue());
                    }
                    case LIST_END -> {
                        if (openList == null) {
                            throw malformed(elementAt, "a list end without an open list");
                        }
                        sections.peek().builder().listOfBytes(openList, listItems);
                        openList = null;
                        listItems = null;
                    }
                    default -> throw malformed(elementAt, "unknown element type " + type
                            + " (VICI defines 1 to 6)");
                }
            }
            if (openList != null) {
                throw malformed(position, "the list '" + openList + "' is not closed");
            }
            if (sections.size() > 1) {
                throw malformed(position, "the section '" + sections.peek().name() + "' is not closed");
            }
            return sections.pop().builder().build();
        }

        private String readName() {
            int lengthAt = position;
            need(1, lengthAt, "a name's length");
            int length = data[position++] & 0xff;
            if (length == 0) {
                throw malformed(lengthAt, "an empty name");
            }
            need(length, lengthAt, "a name of " + length + " bytes");
            String name = new String(data, position, length, StandardCharsets.US_ASCII);
            position += length;
            return name;
        }

        private byte[] readValue() {
            int lengthAt = position;
            need(2, lengthAt, "a value's length");
            int length = (data[position] & 0xff) << 8 | data[position + 1] & 0xff;
            position += 2;
            need(length, lengthAt, "a value of " + length + " bytes");
            byte[] value = new byte[length];
            System.arraycopy(data, position, value, 0, length);
            position += length;
            return value;
        }

        private void need(int bytes, int at, String what) {
            if (end - position < bytes) {
                throw malformed(at, "the message ends inside " + what + " (" + (end - position) + " bytes left)");
            }
        }

        private ViciException malformed(int at, String problem) {
            return new ViciException(ViciException.Reason.PROTOCOL, "malformed VICI message at byte " + (at - start)
                    + ": " + problem);
        }
    }

    private record OpenSection(String name, ViciMessage.Builder builder) {
    }
}
