package io.livcloud.spi.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReachabilityTargetTest {

    @Test
    void readsIcmpAndTcpProbesAndWritesThemBackTheSameWay() {
        ReachabilityTarget icmp = ReachabilityTarget.parse("icmp:10.99.100.10");
        ReachabilityTarget tcp = ReachabilityTarget.parse(" TCP:10.99.100.10:7 ");

        assertThat(icmp).isEqualTo(new ReachabilityTarget(ReachabilityTarget.Protocol.ICMP, "10.99.100.10", 0));
        assertThat(tcp).isEqualTo(new ReachabilityTarget(ReachabilityTarget.Protocol.TCP, "10.99.100.10", 7));
        assertThat(ReachabilityTarget.parse(tcp.toString())).isEqualTo(tcp);
        assertThat(icmp.toString()).isEqualTo("icmp:10.99.100.10");
    }

    @Test
    void aMalformedProbeSaysWhatIsExpected() {
        assertThatThrownBy(() -> ReachabilityTarget.parse("tcp:10.99.100.10"))
                .hasMessageContaining("write icmp:<address> or tcp:<address>:<port>");
        assertThatThrownBy(() -> ReachabilityTarget.parse("tcp:10.99.100.10:70000"))
                .hasMessageContaining("70000 is outside 1..65535");
        assertThatThrownBy(() -> ReachabilityTarget.parse("icmp:vm.example"))
                .hasMessageContaining("'vm.example' is not an IPv4 address");
        assertThatThrownBy(() -> ReachabilityTarget.parse("tcp:10.99.100.10:seven"))
                .hasMessageContaining("'tcp:10.99.100.10:seven' is not a probe");
    }
}
