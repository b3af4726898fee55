package io.livcloud.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.core.host.FakeSitesProvider;
import io.livcloud.core.host.HostAccesses;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.provider.ReachabilityWatch;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber.ProbeAnswer;
import io.livcloud.testing.FakeHostAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Probes through a hand-written host: the commands a gateway runs, and what is made of their answers. */
class HostAccessProberTest {

    private static final Host GATEWAY = new Host("a-gw", Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR), "203.0.113.1",
            "10.99.11.1", "qemu:///system", Map.of());
    private static final Site SITE = new Site("a", "fake", "", GATEWAY, List.of(GATEWAY), "10.99.11.0/24", Map.of());

    private final FakeHostAccess gateway = new FakeHostAccess("fake ssh a-gw");
    private final HostAccesses hosts = new HostAccesses(site -> "fake", provider -> new FakeSitesProvider(List.of(SITE),
            (site, host) -> Optional.of(gateway)));

    @Test
    void anIcmpProbeAsksTheGatewaysPingUntilItIsAnswered() {
        AtomicInteger tries = new AtomicInteger();
        gateway.program("ping", command -> tries.incrementAndGet() < 3 ? new CommandResult(1, "", "timeout")
                : new CommandResult(0, "1 received", ""));

        ProbeAnswer answer = prober().probe(SITE, ReachabilityTarget.parse("icmp:10.99.100.10"), Duration.ofSeconds(5));

        assertThat(answer.answered()).isTrue();
        assertThat(answer.detail()).startsWith("icmp:10.99.100.10 answered a's gateway after 3 tries");
        assertThat(gateway.commandLines()).containsOnly("ping -n -q -c 1 -W 1 10.99.100.10");
    }

    @Test
    void aTcpProbeThatIsNeverAnsweredSaysSoWithTheLastError() {
        gateway.program("timeout", command -> new CommandResult(1, "", "bash: connect: Connection refused"));

        ProbeAnswer answer = prober().probe(SITE, ReachabilityTarget.parse("tcp:10.99.100.10:7"),
                Duration.ofMillis(250));

        assertThat(answer.answered()).isFalse();
        assertThat(answer.detail()).startsWith("tcp:10.99.100.10:7 did not answer a's gateway in 250 ms")
                .endsWith("last: bash: connect: Connection refused)");
        assertThat(gateway.commands().get(0).argv()).containsExactly("timeout", "1", "bash", "-c",
                "exec 3<>/dev/tcp/10.99.100.10/7");
    }

    @Test
    void aWatchRunsOnePingOnTheGatewayAndReadsItsStampedAnswers() {
        Instant start = Instant.parse("2026-12-08T00:00:00Z");
        String answers = String.join("\n", answer(start, 1, 0), answer(start, 2, 10),
                "no answer yet for icmp_seq=3", "no answer yet for icmp_seq=4", answer(start, 5, 40)) + "\n";
        gateway.program("sh", command -> new CommandResult(0, command.argv().get(2).contains("exec ping") ? answers
                : "", ""));
        gateway.program("test", command -> new CommandResult(gateway.commandLines().stream()
                .anyMatch(line -> line.contains("exec ping")) ? 0 : 1, "", ""));
        Clock clock = Clock.fixed(start, ZoneOffset.UTC);

        ReachabilityWatch watch = new HostAccessProber(hosts, clock).watch(SITE,
                ReachabilityTarget.parse("icmp:10.99.100.10"), Duration.ofMillis(10), Duration.ofSeconds(30));
        ReachabilityWatch.Result result = watch.stop();

        assertThat(result.answered()).isEqualTo(3);
        assertThat(result.longestGap()).isEqualTo(Duration.ofMillis(30));
        List<String> scripts = gateway.commands().stream().filter(command -> command.program().equals("sh"))
                .map(command -> command.argv().get(2)).toList();
        assertThat(scripts.get(0)).matches("echo \\$\\$ > /tmp/livcloud-watch-[0-9a-f-]+\\.pid"
                + " && exec ping -n -D -O -i 0\\.010 -W 1 -w 30 10\\.99\\.100\\.10");
        assertThat(scripts.get(1)).as("the ping ended by itself: its pid is not signalled")
                .startsWith("rm -f /tmp/livcloud-watch-");
        assertThat(watch.stop()).isSameAs(result);
    }

    @Test
    void anIntervalBelowPingsShortestIsRefused() {
        assertThatThrownBy(() -> prober().watch(SITE, ReachabilityTarget.parse("icmp:10.99.100.10"),
                Duration.ofMillis(1), Duration.ofSeconds(5))).isInstanceOf(ExtensionException.class)
                .hasMessageContaining("below ping's shortest");
    }

    private HostAccessProber prober() {
        return new HostAccessProber(hosts, Clock.systemUTC());
    }

    private static String answer(Instant start, int sequence, long millis) {
        Instant at = start.plusMillis(millis);
        return String.format("[%d.%06d] 64 bytes from 10.99.100.10: icmp_seq=%d ttl=64 time=0.41 ms",
                at.getEpochSecond(), at.getNano() / 1000, sequence);
    }
}
