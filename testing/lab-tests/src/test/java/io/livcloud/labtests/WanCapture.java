package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump on a site's WAN link while something runs, to see what crossed the wire between the sites. Packets go to a
 * pcap file with only their headers (a migration is tens of thousands of packets; text per packet would cost the
 * machine's two cores more than the migration) and are counted by filter afterwards.
 */
final class WanCapture implements AutoCloseable {

    /** Headers only: Ethernet, IP, UDP, the ESP header and a little more. */
    private static final int SNAPSHOT_BYTES = 96;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern PAYLOAD_LENGTH = Pattern.compile("length (\\d+)$");

    private final Path pcap;
    private final Process tcpdump;
    private boolean stopped;

    private WanCapture(Path pcap, Process tcpdump) {
        this.pcap = pcap;
        this.tcpdump = tcpdump;
    }

    /** Starts capturing on {@code device} in the network namespace and returns once tcpdump listens. */
    static WanCapture start(String namespace, String device, Path directory) throws Exception {
        Path pcap = Files.createTempFile(directory, "wan-", ".pcap");
        Path errors = Files.createTempFile(directory, "tcpdump-", ".err");
        // ip netns exec execs tcpdump in place, so the Process is tcpdump itself and destroy() ends it.
        Process tcpdump = new ProcessBuilder("ip", "netns", "exec", namespace, "tcpdump", "-i", device, "-n",
                "-s", Integer.toString(SNAPSHOT_BYTES), "-U", "-w", pcap.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile())
                .start();
        WanCapture capture = new WanCapture(pcap, tcpdump);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.readString(errors, StandardCharsets.UTF_8).contains("listening on")) {
            if (!tcpdump.isAlive() || System.nanoTime() > deadline) {
                capture.close();
                throw new AssertionError("tcpdump on " + device + " in " + namespace + " did not start: "
                        + Files.readString(errors, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
        return capture;
    }

    /** Stops the capture (tcpdump writes out what it buffered on SIGTERM). Idempotent. */
    @Override
    public void close() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        tcpdump.destroy();
        if (!tcpdump.waitFor(5, TimeUnit.SECONDS)) {
            tcpdump.destroyForcibly();
            tcpdump.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** The TCP or UDP payload bytes of the captured packets that match a pcap filter (tcpdump's "length N"). */
    long payloadBytes(String filter) throws IOException, InterruptedException {
        long bytes = 0;
        for (String packet : packets(filter)) {
            Matcher length = PAYLOAD_LENGTH.matcher(packet);
            if (length.find()) {
                bytes += Long.parseLong(length.group(1));
            }
        }
        return bytes;
    }

    /** The captured packets that match a pcap filter, one line each as tcpdump prints them. */
    List<String> packets(String filter) throws IOException, InterruptedException {
        assertThat(stopped).as("the capture is stopped before it is read").isTrue();
        Process reader = new ProcessBuilder("tcpdump", "-r", pcap.toString(), "-n", filter)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .toList();
        assertThat(reader.waitFor(60, TimeUnit.SECONDS)).as("tcpdump -r %s", pcap).isTrue();
        assertThat(reader.exitValue()).as("tcpdump -r %s '%s'", pcap, filter).isZero();
        return lines;
    }
}
