package io.livcloud.plugin.strongswan.vici;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Feeds malformed byte streams to the decoders. Whatever the bytes, decoding ends with a message or a
 * {@link ViciException}: never another exception, never a hang, never an allocation driven by a hostile length.
 * Seeded, so a failure names the input that caused it.
 */
class ViciDecoderFuzzTest {

    private static final long SEED = 0x5eed_1c1L;
    private static final int ROUNDS = 20_000;

    private static final List<byte[]> VALID = List.of(
            ViciMessageCodecTest.specificationExample(),
            ViciMessageCodec.encode(ViciMessage.builder().put("success", "yes").put("errmsg", "").build()),
            ViciMessageCodec.encode(ViciMessage.builder()
                    .section("a-b", ViciMessage.builder().put("state", "ESTABLISHED")
                            .section("child-sas", ViciMessage.builder().section("net", ViciMessage.builder()
                                    .put("bytes-in", "1234").list("local-ts", List.of("10.99.11.0/24")).build())
                                    .build())
                            .build())
                    .build()));

    @Test
    void mutatedMessagesDecodeOrFailWithAProtocolError() {
        Random random = new Random(SEED);
        int decoded = 0;
        int refused = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] input = mutate(VALID.get(random.nextInt(VALID.size())), random);
            try {
                ViciMessageCodec.decode(input);
                decoded++;
            } catch (ViciException e) {
                assertThat(e.reason()).isEqualTo(ViciException.Reason.PROTOCOL);
                refused++;
            } catch (RuntimeException e) {
                fail("round " + round + ": " + Arrays.toString(input) + " threw " + e, e);
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the decoder.
        assertThat(decoded).isPositive();
        assertThat(refused).isPositive();
    }

    @Test
    void randomStreamsFrameAndDecodeOrFailWithAViciError() throws IOException {
        Random random = new Random(SEED + 1);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] stream = new byte[random.nextInt(64)];
            random.nextBytes(stream);
            if (stream.length >= 4 && random.nextBoolean()) {
                // Mostly plausible lengths, so the packet decoder gets to run too.
                stream[0] = 0;
                stream[1] = 0;
                stream[2] = 0;
                stream[3] = (byte) random.nextInt(stream.length);
            }
            ByteArrayInputStream in = new ByteArrayInputStream(stream);
            try {
                while (true) {
                    var segment = ViciFraming.read(in);
                    if (segment.isEmpty()) {
                        break;
                    }
                    ViciPacket.decode(segment.get());
                }
            } catch (ViciException e) {
                assertThat(e.reason()).isIn(ViciException.Reason.PROTOCOL, ViciException.Reason.CLOSED);
            } catch (RuntimeException e) {
                fail("round " + round + ": " + Arrays.toString(stream) + " threw " + e, e);
            }
        }
    }

    private static byte[] mutate(byte[] valid, Random random) {
        byte[] bytes = valid.clone();
        switch (random.nextInt(4)) {
            case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 2 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            default -> {
                int at = random.nextInt(bytes.length);
                byte[] longer = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, longer, 0, at);
                longer[at] = (byte) random.nextInt(8);
                System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                bytes = longer;
            }
        }
        return bytes;
    }
}
