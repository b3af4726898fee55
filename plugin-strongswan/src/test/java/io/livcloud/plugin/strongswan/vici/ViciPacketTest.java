package io.livcloud.plugin.strongswan.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ViciPacketTest {

    @Test
    void aVersionRequestIsTypeZeroThenItsName() {
        assertThat(ViciPacket.request("version", ViciMessage.EMPTY).encode())
                .containsExactly(0, 7, 'v', 'e', 'r', 's', 'i', 'o', 'n');
    }

    @Test
    void aRequestCarriesItsMessageAfterTheName() {
        byte[] encoded = ViciPacket.request("unload-conn", ViciMessage.builder().put("name", "a-b").build()).encode();

        assertThat(encoded).containsExactly(0, 11, 'u', 'n', 'l', 'o', 'a', 'd', '-', 'c', 'o', 'n', 'n',
                3, 4, 'n', 'a', 'm', 'e', 0, 3, 'a', '-', 'b');
    }

    @Test
    void anEventRegistrationHasANameAndNoMessage() {
        assertThat(new ViciPacket(ViciPacket.Type.EVENT_REGISTER, "list-sa", ViciMessage.EMPTY).encode())
                .containsExactly(3, 7, 'l', 'i', 's', 't', '-', 's', 'a');
    }

    @Test
    void decodesEachAnswerType() {
        assertThat(ViciPacket.decode(new byte[] {1, 3, 1, 'k', 0, 1, 'v'}))
                .isEqualTo(new ViciPacket(ViciPacket.Type.CMD_RESPONSE, "", ViciMessage.builder().put("k", "v")
                        .build()));
        assertThat(ViciPacket.decode(new byte[] {2}).type()).isEqualTo(ViciPacket.Type.CMD_UNKNOWN);
        assertThat(ViciPacket.decode(new byte[] {5}).type()).isEqualTo(ViciPacket.Type.EVENT_CONFIRM);
        assertThat(ViciPacket.decode(new byte[] {6}).type()).isEqualTo(ViciPacket.Type.EVENT_UNKNOWN);
        ViciPacket event = ViciPacket.decode(new byte[] {7, 3, 'l', 'o', 'g', 3, 3, 'm', 's', 'g', 0, 2, 'h', 'i'});
        assertThat(event.name()).isEqualTo("log");
        assertThat(event.message().text("msg")).contains("hi");
    }

    @Test
    void refusesWhatIsNotAPacket() {
        assertProtocolError(new byte[0], "empty VICI packet");
        assertProtocolError(new byte[] {8}, "unknown VICI packet type 8");
        assertProtocolError(new byte[] {(byte) 0xff}, "unknown VICI packet type 255");
        assertProtocolError(new byte[] {7}, "EVENT packet ends before its name");
        assertProtocolError(new byte[] {7, 9, 'l'}, "name of 9 bytes but 1 bytes follow");
        assertProtocolError(new byte[] {7, 0}, "name of 0 bytes");
        assertProtocolError(new byte[] {5, 1}, "EVENT_CONFIRM packet has 1 unexpected bytes");
        assertProtocolError(new byte[] {1, 9}, "unknown element type 9");
    }

    private static void assertProtocolError(byte[] segment, String problem) {
        assertThatThrownBy(() -> ViciPacket.decode(segment))
                .isInstanceOf(ViciException.class)
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((ViciException) e).reason()).isEqualTo(ViciException.Reason.PROTOCOL));
    }

    @Test
    void framesCarryABigEndianLengthOfTheDataOnly() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ViciFraming.write(out, ViciPacket.request("stats", ViciMessage.EMPTY).encode());

        assertThat(out.toByteArray()).containsExactly(0, 0, 0, 7, 0, 5, 's', 't', 'a', 't', 's');
        Optional<byte[]> read = ViciFraming.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(read.map(segment -> new String(segment, 2, 5, StandardCharsets.US_ASCII))).contains("stats");
    }

    @Test
    void aCleanEndOfStreamBetweenFramesIsNoFrame() throws IOException {
        assertThat(ViciFraming.read(new ByteArrayInputStream(new byte[0]))).isEmpty();
    }

    @Test
    void refusesOversizedEmptyAndTruncatedFrames() {
        assertThatThrownBy(() -> ViciFraming.read(new ByteArrayInputStream(new byte[] {0, 8, 0, 1})))
                .hasMessageContaining("VICI segment of 524289 bytes, over the protocol's limit of 524288")
                .satisfies(e -> assertThat(((ViciException) e).reason()).isEqualTo(ViciException.Reason.PROTOCOL));
        assertThatThrownBy(() -> ViciFraming.read(new ByteArrayInputStream(new byte[] {(byte) 0xff, 0, 0, 0})))
                .hasMessageContaining("4278190080 bytes");
        assertThatThrownBy(() -> ViciFraming.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 0})))
                .hasMessageContaining("length 0");
        assertThatThrownBy(() -> ViciFraming.read(new ByteArrayInputStream(new byte[] {0, 0, 0, 9, 1, 2})))
                .hasMessageContaining("ended inside a segment of 9 bytes (2 of 9 bytes came)")
                .satisfies(e -> assertThat(((ViciException) e).reason()).isEqualTo(ViciException.Reason.CLOSED));
        assertThatThrownBy(() -> ViciFraming.read(new ByteArrayInputStream(new byte[] {0, 0})))
                .hasMessageContaining("ended inside a segment's length");
    }

    @Test
    void aMaximalFrameIsAccepted() throws IOException {
        byte[] stream = new byte[4 + ViciFraming.MAX_SEGMENT];
        stream[1] = 8; // 0x00080000 = 512 KiB
        assertThat(ViciFraming.read(new ByteArrayInputStream(stream)).orElseThrow()).hasSize(ViciFraming.MAX_SEGMENT);
    }
}
