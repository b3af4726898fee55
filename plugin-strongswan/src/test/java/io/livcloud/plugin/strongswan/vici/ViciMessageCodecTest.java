package io.livcloud.plugin.strongswan.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViciMessageCodecTest {

    /** The "Encoding example" of strongSwan's vici README, byte for byte. */
    static byte[] specificationExample() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(3);
        ascii(out, 4, "key1");
        out.writeBytes(new byte[] {0, 6});
        out.writeBytes(bytes("value1"));
        out.write(1);
        ascii(out, 8, "section1");
        out.write(1);
        ascii(out, 11, "sub-section");
        out.write(3);
        ascii(out, 4, "key2");
        out.writeBytes(new byte[] {0, 6});
        out.writeBytes(bytes("value2"));
        out.write(2);
        out.write(4);
        ascii(out, 5, "list1");
        out.writeBytes(new byte[] {5, 0, 5});
        out.writeBytes(bytes("item1"));
        out.writeBytes(new byte[] {5, 0, 5});
        out.writeBytes(bytes("item2"));
        out.write(6);
        out.write(2);
        return out.toByteArray();
    }

    static ViciMessage specificationExampleMessage() {
        return ViciMessage.builder()
                .put("key1", "value1")
                .section("section1", ViciMessage.builder()
                        .section("sub-section", ViciMessage.builder().put("key2", "value2").build())
                        .list("list1", List.of("item1", "item2"))
                        .build())
                .build();
    }

    private static void ascii(ByteArrayOutputStream out, int length, String text) {
        out.write(length);
        out.writeBytes(bytes(text));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void encodesTheSpecificationsExampleByteForByte() {
        assertThat(ViciMessageCodec.encode(specificationExampleMessage())).isEqualTo(specificationExample());
    }

    @Test
    void decodesTheSpecificationsExample() {
        ViciMessage message = ViciMessageCodec.decode(specificationExample());

        assertThat(message).isEqualTo(specificationExampleMessage());
        assertThat(message.text("key1")).contains("value1");
        ViciMessage section = message.section("section1").orElseThrow();
        assertThat(section.section("sub-section").flatMap(sub -> sub.text("key2"))).contains("value2");
        assertThat(section.list("list1")).containsExactly("item1", "item2");
        assertThat(message.keys()).containsExactly("key1", "section1");
    }

    @Test
    void emptyListsAndEmptyValuesSurviveARoundTrip() {
        ViciMessage message = ViciMessage.builder()
                .put("empty", "")
                .list("none", List.of())
                .section("nothing", ViciMessage.EMPTY)
                .put("binary", new byte[] {0, (byte) 0xff, 10})
                .build();

        ViciMessage decoded = ViciMessageCodec.decode(ViciMessageCodec.encode(message));

        assertThat(decoded).isEqualTo(message);
        assertThat(decoded.text("empty")).contains("");
        assertThat(decoded.list("none")).isEmpty();
        assertThat(decoded.bytes("binary").orElseThrow()).containsExactly(0, 0xff, 10);
    }

    @Test
    void aValueOfTheLargestLengthIsEncodedWithBothLengthBytes() {
        byte[] value = new byte[65_535];
        byte[] encoded = ViciMessageCodec.encode(ViciMessage.builder().put("k", value).build());

        assertThat(encoded).startsWith(3, 1, 'k', 0xff, 0xff);
        assertThat(ViciMessageCodec.decode(encoded).bytes("k").orElseThrow()).hasSize(65_535);
    }

    @Test
    void theBuilderRefusesWhatTheWireCannotCarry() {
        assertThatThrownBy(() -> ViciMessage.builder().put("k", new byte[65_536]))
                .hasMessageContaining("65536 bytes").hasMessageContaining("at most 65535");
        assertThatThrownBy(() -> ViciMessage.builder().put("x".repeat(256), "v"))
                .hasMessageContaining("1 to 255");
        assertThatThrownBy(() -> ViciMessage.builder().put("a b", "v")).hasMessageContaining("without spaces");
        assertThatThrownBy(() -> ViciMessage.builder().put("k", "1").put("k", "2"))
                .hasMessageContaining("'k' is already in this section");
    }

    @Test
    void aDecodedMessageKeepsARepeatedKey() {
        byte[] twice = {3, 1, 'k', 0, 1, '1', 3, 1, 'k', 0, 1, '2'};

        ViciMessage message = ViciMessageCodec.decode(twice);

        assertThat(message.entries()).hasSize(2);
        assertThat(message.text("k")).contains("1");
    }

    @Test
    void secretsAreSentButNeverPrinted() {
        ViciMessage message = ViciMessage.builder().put("id", "psk-a-b")
                .secret("data", bytes("correct horse battery staple")).build();

        assertThat(message.toString()).contains("psk-a-b").contains("<secret>").doesNotContain("horse");
        assertThat(new String(ViciMessageCodec.encode(message), StandardCharsets.US_ASCII)).contains("horse");
    }

    @Test
    void structuralErrorsSayWhatAndWhere() {
        assertMalformed(new byte[] {2}, "byte 0: a section end without an open section");
        assertMalformed(new byte[] {1, 1, 's'}, "the section 's' is not closed");
        assertMalformed(new byte[] {4, 1, 'l', 5, 0, 1, 'x'}, "the list 'l' is not closed");
        assertMalformed(new byte[] {4, 1, 'l', 3, 1, 'k', 0, 0, 6}, "byte 3: element type 3 inside the list 'l'");
        assertMalformed(new byte[] {4, 1, 'l', 4, 1, 'm', 6, 6}, "element type 4 inside the list 'l'");
        assertMalformed(new byte[] {5, 0, 0}, "a list item outside a list");
        assertMalformed(new byte[] {6}, "a list end without an open list");
        assertMalformed(new byte[] {7}, "unknown element type 7");
        assertMalformed(new byte[] {0}, "unknown element type 0");
        assertMalformed(new byte[] {3, 0, 0, 0}, "an empty name");
        assertMalformed(new byte[] {3, 5, 'k'}, "ends inside a name of 5 bytes");
        assertMalformed(new byte[] {3, 1, 'k', 0}, "ends inside a value's length");
        assertMalformed(new byte[] {3, 1, 'k', 0x12, 0x34, 'v'}, "ends inside a value of 4660 bytes (1 bytes left)");
        assertMalformed(new byte[] {1}, "ends inside a name's length");
    }

    private static void assertMalformed(byte[] data, String problem) {
        assertThatThrownBy(() -> ViciMessageCodec.decode(data))
                .isInstanceOf(ViciException.class)
                .hasMessageContaining("malformed VICI message")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((ViciException) e).reason()).isEqualTo(ViciException.Reason.PROTOCOL));
    }
}
