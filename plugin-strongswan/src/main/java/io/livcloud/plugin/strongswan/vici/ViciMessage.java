package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A VICI message: the tree of key/values, lists and sections that requests, responses and events carry (the "Message
 * format" of strongSwan's {@code src/libcharon/plugins/vici/README.md}). Immutable; values are raw bytes, which charon
 * fills with UTF-8 text, numbers included.
 *
 * <p>Messages built here follow the specification (unique keys per section); decoded messages keep every entry in
 * order, even a key charon repeats, because dropping one would hide an SA.
 */
public final class ViciMessage {

    /** The empty message, e.g. the arguments of {@code version}. */
    public static final ViciMessage EMPTY = new ViciMessage(List.of());

    private final List<Entry> entries;

    private ViciMessage(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** A builder of a message that follows the specification. */
    public static Builder builder() {
        return new Builder(true);
    }

    /** A builder that accepts what a peer sent, repeated keys included; for the decoder. */
    static Builder lenientBuilder() {
        return new Builder(false);
    }

    /** The entries, in order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The names of the entries, in order, each once. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        entries.forEach(entry -> keys.add(entry.name()));
        return keys;
    }

    /** Whether the message has no entry. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The first key/value of this name as UTF-8 text. */
    public Optional<String> text(String key) {
        return bytes(key).map(value -> new String(value, StandardCharsets.UTF_8));
    }

    /** The first key/value of this name, as sent. */
    public Optional<byte[]> bytes(String key) {
        return first(key, Kind.VALUE).map(entry -> entry.value().clone());
    }

    /** Whether the key/value of this name is {@code yes}, as charon writes booleans. */
    public boolean yes(String key) {
        return text(key).map("yes"::equals).orElse(false);
    }

    /** The key/value of this name as a number; empty when absent or not a number. */
    public Optional<Long> number(String key) {
        return text(key).flatMap(text -> {
            try {
                return Optional.of(Long.parseLong(text.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The items of the first list of this name as UTF-8 text; empty when there is no such list. */
    public List<String> list(String key) {
        return first(key, Kind.LIST)
                .map(entry -> entry.items().stream().map(item -> new String(item, StandardCharsets.UTF_8)).toList())
                .orElse(List.of());
    }

    /** The first section of this name. */
    public Optional<ViciMessage> section(String key) {
        return first(key, Kind.SECTION).map(Entry::section);
    }

    /** The sections directly in this message, in order, e.g. one per IKE_SA in a {@code list-sa} event. */
    public List<Entry> sections() {
        return entries.stream().filter(entry -> entry.kind() == Kind.SECTION).toList();
    }

    private Optional<Entry> first(String key, Kind kind) {
        return entries.stream().filter(entry -> entry.kind() == kind && entry.name().equals(key)).findFirst();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ViciMessage message && entries.equals(message.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** An indented tree for diagnostics; values marked secret (a key's data) print as {@code <secret>}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        appendTo(text, "  ");
        return text.append('}').toString();
    }

    private void appendTo(StringBuilder text, String indent) {
        for (Entry entry : entries) {
            text.append('\n').append(indent).append(entry.name()).append(" = ");
            switch (entry.kind()) {
                case VALUE -> text.append(entry.secret() ? "<secret>" : printable(entry.value()));
                case LIST -> text.append(entry.items().stream().map(ViciMessage::printable).toList());
                case SECTION -> {
                    text.append('{');
                    entry.section().appendTo(text, indent + "  ");
                    text.append('\n').append(indent).append('}');
                }
                default -> throw new AssertionError(entry.kind());
            }
        }
    }

    private static String printable(byte[] value) {
        String text = new String(value, StandardCharsets.UTF_8);
        return text.chars().allMatch(c -> c >= 0x20 && c != 0x7f || c == '\n' || c == '\t') ? text
                : "<" + value.length + " bytes>";
    }

    /** What an entry holds. */
    public enum Kind {
        /** A key/value: {@link Entry#value()}. */
        VALUE,
        /** A list of values: {@link Entry#items()}. */
        LIST,
        /** A sub-section: {@link Entry#section()}. */
        SECTION
    }

    /**
     * One named entry of a message; only the field of its {@link #kind()} is set.
     *
     * @param name its name: 1 to 255 ASCII characters
     * @param kind what it holds
     * @param value a key/value's value, or empty
     * @param items a list's items, or empty
     * @param section a sub-section, or {@link #EMPTY}
     * @param secret whether the value is a key or password, never to be printed
     */
    public record Entry(String name, Kind kind, byte[] value, List<byte[]> items, ViciMessage section,
            boolean secret) {

        public Entry {
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
            value = value.clone();
            items = items.stream().map(byte[]::clone).toList();
            requireNonNull(section, "section is null");
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public List<byte[]> items() {
            return items.stream().map(byte[]::clone).toList();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Entry entry && name.equals(entry.name) && kind == entry.kind
                    && Arrays.equals(value, entry.value) && sameItems(items, entry.items)
                    && section.equals(entry.section);
        }

        private static boolean sameItems(List<byte[]> left, List<byte[]> right) {
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!Arrays.equals(left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int hash = name.hashCode() * 31 + kind.hashCode();
            hash = hash * 31 + Arrays.hashCode(value);
            for (byte[] item : items) {
                hash = hash * 31 + Arrays.hashCode(item);
            }
            return hash * 31 + section.hashCode();
        }

        @Override
        public String toString() {
            return name + " (" + kind + ")";
        }
    }

    /** Builds a {@link ViciMessage}; keys keep the order they were added in. */
    public static final class Builder {
        private static final byte[] NONE = new byte[0];

        private final boolean strict;
        private final List<Entry> entries = new ArrayList<>();
        private final Set<String> names = new LinkedHashSet<>();

        private Builder(boolean strict) {
            this.strict = strict;
        }

        /** Adds a key/value with UTF-8 text. */
        public Builder put(String key, String value) {
            requireNonNull(value, () -> "the value of '" + key + "' is null");
            return put(key, value.getBytes(StandardCharsets.UTF_8));
        }

        /** Adds a key/value with a number, which VICI carries as text. */
        public Builder put(String key, long value) {
            return put(key, Long.toString(value));
        }

        /** Adds a key/value with {@code yes} or {@code no}, as charon reads booleans. */
        public Builder put(String key, boolean value) {
            return put(key, value ? "yes" : "no");
        }

        /** Adds a key/value with raw bytes. */
        public Builder put(String key, byte[] value) {
            return add(new Entry(key, Kind.VALUE, checkValue(key, value), List.of(), EMPTY, false));
        }

        /** Adds a key/value that holds a secret: sent as is, never printed by {@link ViciMessage#toString()}. */
        public Builder secret(String key, byte[] value) {
            return add(new Entry(key, Kind.VALUE, checkValue(key, value), List.of(), EMPTY, true));
        }

        /** Adds a list of UTF-8 text items. */
        public Builder list(String key, List<String> items) {
            return listOfBytes(key, items.stream().map(item -> item.getBytes(StandardCharsets.UTF_8)).toList());
        }

        /** Adds a list of raw items. */
        public Builder listOfBytes(String key, List<byte[]> items) {
            items.forEach(item -> checkValue(key, item));
            return add(new Entry(key, Kind.LIST, NONE, items, EMPTY, false));
        }

        /** Adds a sub-section. */
        public Builder section(String key, ViciMessage section) {
            return add(new Entry(key, Kind.SECTION, NONE, List.of(), requireNonNull(section, "section is null"),
                    false));
        }

        private Builder add(Entry entry) {
            if (strict) {
                checkName(entry.name());
            }
            if (!names.add(entry.name()) && strict) {
                throw new IllegalArgumentException("the key '" + entry.name() + "' is already in this section;"
                        + " VICI keys are unique per section (use a list for several values)");
            }
            entries.add(entry);
            return this;
        }

        /** The message. */
        public ViciMessage build() {
            return new ViciMessage(entries);
        }

        static String checkName(String name) {
            requireNonNull(name, "name is null");
            if (name.isEmpty() || name.length() > ViciMessageCodec.MAX_NAME_LENGTH
                    || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("'" + name + "' cannot be a VICI name: names are 1 to "
                        + ViciMessageCodec.MAX_NAME_LENGTH + " printable ASCII characters without spaces");
            }
            return name;
        }

        private static byte[] checkValue(String key, byte[] value) {
            requireNonNull(value, () -> "the value of '" + key + "' is null");
            if (value.length > ViciMessageCodec.MAX_VALUE_LENGTH) {
                throw new IllegalArgumentException("the value of '" + key + "' has " + value.length
                        + " bytes; a VICI value holds at most " + ViciMessageCodec.MAX_VALUE_LENGTH);
            }
            return value;
        }
    }
}
