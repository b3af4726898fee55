package io.livcloud.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.provider.ReachabilityWatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingLogTest {

    private static final Duration TEN_MS = Duration.ofMillis(10);
    private static final Instant START = Instant.ofEpochSecond(1_764_000_000L);

    private static String answer(long millisAfterStart, int sequence) {
        Instant at = START.plusMillis(millisAfterStart);
        return String.format("[%d.%06d] 64 bytes from 10.99.100.10: icmp_seq=%d ttl=64 time=0.41 ms",
                at.getEpochSecond(), at.getNano() / 1000, sequence);
    }

    @Test
    void theLongestGapIsBetweenConsecutiveAnswersAndLostProbesCountAsSent() {
        List<String> lines = List.of("PING 10.99.100.10 (10.99.100.10) 56(84) bytes of data.",
                answer(10, 1), answer(20, 2), "no answer yet for icmp_seq=3", answer(347, 4), answer(357, 5),
                "no answer yet for icmp_seq=6");

        ReachabilityWatch.Result result = PingLog.read(lines, START, START.plusMillis(370), TEN_MS);

        assertThat(result.sent()).isEqualTo(6);
        assertThat(result.answered()).isEqualTo(4);
        assertThat(result.longestGap()).isEqualTo(Duration.ofMillis(327));
        assertThat(result.interval()).isEqualTo(TEN_MS);
    }

    @Test
    void silenceAtTheEndCountsBeyondOneInterval() {
        ReachabilityWatch.Result result = PingLog.read(List.of(answer(5, 1), answer(15, 2)), START,
                START.plusMillis(1_015), TEN_MS);

        assertThat(result.longestGap()).isEqualTo(Duration.ofMillis(990));
    }

    @Test
    void anUninterruptedWatchReportsOneInterval() {
        ReachabilityWatch.Result result = PingLog.read(List.of(answer(3, 1), answer(13, 2), answer(23, 3)), START,
                START.plusMillis(30), TEN_MS);

        assertThat(result.longestGap()).isEqualTo(TEN_MS);
        assertThat(result.answered()).isEqualTo(3);
    }

    @Test
    void noAnswerAtAllIsAGapAsLongAsTheWatch() {
        ReachabilityWatch.Result result = PingLog.read(List.of("no answer yet for icmp_seq=1",
                "no answer yet for icmp_seq=2"), START, START.plusMillis(2_000), TEN_MS);

        assertThat(result.answered()).isZero();
        assertThat(result.sent()).isEqualTo(2);
        assertThat(result.longestGap()).isEqualTo(Duration.ofSeconds(2));
    }
}
