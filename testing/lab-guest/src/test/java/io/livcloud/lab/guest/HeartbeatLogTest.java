package io.livcloud.lab.guest;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatLogTest {

    @TempDir
    Path directory;

    @Test
    void heartbeatsAreFoundAmongKernelMessagesAndBootNoise() throws IOException {
        HeartbeatLog log = write("""
                \u001b[2J\u001b[0mSeaBIOS (version 1.16.3-debian-1.16.3-2~bpo12+1)
                [    0.000000] Linux version 6.1.0-56-cloud-amd64
                livcloud-init: starting workload
                livcloud-workload started arch=x86_64 bits=64 kernel=6.1.0-56-cloud-amd64 rate=5 wss=16
                livcloud-heartbeat seq=1 uptime_ms=1762 rate=5 wss=16\r
                livcloud-heartbeat seq=2 uptime_ms=1863 rate=5 wss=16\r
                [    2.000000] random: crng init done
                livcloud-control rate=20 wss=16
                \rlivcloud-heartbeat seq=3 uptime_ms=1963 rate=20 wss=16
                """);

        assertThat(log.heartbeats()).containsExactly(
                new Heartbeat(1, 1762, 5, 16),
                new Heartbeat(2, 1863, 5, 16),
                new Heartbeat(3, 1963, 20, 16));
        assertThat(log.lastSequence()).isEqualTo(3);
        assertThat(log.maxGapMillis()).isEqualTo(101);
        assertThat(log.hasReset()).isFalse();
        assertThat(log.lines()).contains("livcloud-control rate=20 wss=16");
    }

    @Test
    void theLineStillBeingWrittenDoesNotCount() throws IOException {
        HeartbeatLog log = write("livcloud-heartbeat seq=1 uptime_ms=100 rate=0 wss=16\n"
                + "livcloud-heartbeat seq=2 uptime_ms=200 rate=0 wss=1");

        assertThat(log.heartbeats()).containsExactly(new Heartbeat(1, 100, 0, 16));
        assertThat(log.lastSequence()).isEqualTo(1);
    }

    @Test
    void aLineCutByAKernelMessageIsSkipped() throws IOException {
        HeartbeatLog log = write("""
                livcloud-heartbeat seq=1 uptime_ms=100 rate=0 wss=16
                livcloud-heartbeat seq=2 upt[   3.1] eth0: link up
                ime_ms=200 rate=0 wss=16
                livcloud-heartbeat seq=3 uptime_ms=300 rate=0 wss=16
                """);

        assertThat(log.heartbeats()).extracting(Heartbeat::sequence).containsExactly(1L, 3L);
        assertThat(log.hasReset()).isFalse();
        assertThat(log.maxGapMillis()).isEqualTo(200);
    }

    @Test
    void aRebootIsAReset() throws IOException {
        HeartbeatLog log = write("""
                livcloud-heartbeat seq=41 uptime_ms=5000 rate=0 wss=16
                livcloud-heartbeat seq=42 uptime_ms=5100 rate=0 wss=16
                [    0.000000] Linux version 6.1.0-56-cloud-amd64
                livcloud-heartbeat seq=1 uptime_ms=1800 rate=0 wss=16
                livcloud-heartbeat seq=2 uptime_ms=1900 rate=0 wss=16
                """);

        assertThat(log.hasReset()).isTrue();
        assertThat(log.lastSequence()).isEqualTo(2);
        assertThat(log.maxGapMillis()).as("no gap is counted across the reboot").isEqualTo(100);
    }

    @Test
    void theLargestGapIsMeasuredInGuestUptime() {
        List<Heartbeat> heartbeats = List.of(
                new Heartbeat(7, 1000, 0, 16),
                new Heartbeat(8, 1100, 0, 16),
                new Heartbeat(9, 1750, 0, 16),
                new Heartbeat(10, 1850, 0, 16));

        assertThat(HeartbeatLog.maxGapMillis(heartbeats)).isEqualTo(650);
        assertThat(HeartbeatLog.hasReset(heartbeats)).isFalse();
    }

    @Test
    void aMissingOrEmptyLogHasNoHeartbeats() throws IOException {
        HeartbeatLog missing = HeartbeatLog.of(directory.resolve("missing.log"));
        HeartbeatLog empty = write("");

        assertThat(missing.heartbeats()).isEmpty();
        assertThat(missing.lastSequence()).isZero();
        assertThat(missing.maxGapMillis()).isZero();
        assertThat(missing.hasReset()).isFalse();
        assertThat(empty.lines()).isEmpty();
        assertThat(empty.lastSequence()).isZero();
    }

    @Test
    void waitForSequenceReturnsOnceTheGuestGetsThere() throws Exception {
        HeartbeatLog log = write("livcloud-heartbeat seq=1 uptime_ms=100 rate=0 wss=16\n");
        CompletableFuture<Heartbeat> third = CompletableFuture.supplyAsync(() -> {
            try {
                return log.waitForSequence(3, Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        append(log, "livcloud-heartbeat seq=2 uptime_ms=200 rate=0 wss=16\n");
        append(log, "livcloud-heartbeat seq=3 uptime_ms=300 rate=0 wss=16\n");

        assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(new Heartbeat(3, 300, 0, 16));
        assertThat(log.waitForSequence(2, Duration.ZERO)).isEqualTo(new Heartbeat(2, 200, 0, 16));
    }

    @Test
    void waitForSequenceTimesOutNamingTheLastSequenceAndLines() throws IOException {
        HeartbeatLog log = write("livcloud-init: starting workload\nlivcloud-heartbeat seq=4 uptime_ms=400 rate=0 wss=16\n");

        assertThatThrownBy(() -> log.waitForSequence(5, Duration.ofMillis(120)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("no heartbeat with seq>=5 in " + log.path() + " within PT0.12S; last seq 4")
                .hasMessageContaining("livcloud-init: starting workload");
    }

    @Test
    void waitForLineFindsAnAcknowledgement() throws Exception {
        HeartbeatLog log = write("livcloud-control rate=20 wss=16\n");

        assertThat(log.waitForLine("livcloud-control rate=20", Duration.ZERO)).isEqualTo("livcloud-control rate=20 wss=16");
        assertThatThrownBy(() -> log.waitForLine("livcloud-control rate=30", Duration.ofMillis(60)))
                .isInstanceOf(TimeoutException.class)
                .hasMessageStartingWith("no line containing 'livcloud-control rate=30'");
    }

    private HeartbeatLog write(String content) throws IOException {
        Path file = directory.resolve("serial.log");
        Files.writeString(file, content, ISO_8859_1);
        return HeartbeatLog.of(file);
    }

    private static void append(HeartbeatLog log, String content) throws IOException {
        Files.writeString(log.path(), content, ISO_8859_1, StandardOpenOption.APPEND);
    }
}
