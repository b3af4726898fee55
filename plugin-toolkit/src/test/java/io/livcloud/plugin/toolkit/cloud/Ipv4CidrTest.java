package io.livcloud.plugin.toolkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Ipv4CidrTest {

    @Test
    void parsesNetworksAndSingleAddresses() {
        Ipv4Cidr network = Ipv4Cidr.parse("10.99.20.0/24");
        assertThat(network.toString()).isEqualTo("10.99.20.0/24");
        assertThat(network.size()).isEqualTo(256);
        assertThat(network.netmask()).isEqualTo("255.255.255.0");
        assertThat(network.address(1)).isEqualTo("10.99.20.1");
        assertThat(network.address(254)).isEqualTo("10.99.20.254");
        assertThat(Ipv4Cidr.parse(" 203.0.113.7 ").toString()).isEqualTo("203.0.113.7/32");
        assertThat(Ipv4Cidr.parse("0.0.0.0/0").netmask()).isEqualTo("0.0.0.0");
        assertThat(Ipv4Cidr.parse("255.255.255.255").isSingleAddress()).isTrue();
    }

    @Test
    void refusesWhatIsNotACidrSayingWhy() {
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.1/24")).hasMessageContaining("did you mean 10.0.0.0/24?");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.256")).hasMessageContaining("above 255");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.0/33")).hasMessageContaining("above 32");
        assertThatThrownBy(() -> Ipv4Cidr.parse("fe80::1")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.0/24").address(256)).hasMessageContaining("no address number 256");
    }

    @Test
    void containmentOverlapAndRanges() {
        Ipv4Cidr wide = Ipv4Cidr.parse("10.0.0.0/8");
        assertThat(wide.contains(Ipv4Cidr.parse("10.99.0.0/16"))).isTrue();
        assertThat(Ipv4Cidr.parse("10.99.0.0/16").contains(wide)).isFalse();
        assertThat(Ipv4Cidr.parse("10.99.0.0/16").overlaps(wide)).isTrue();
        assertThat(Ipv4Cidr.parse("10.99.1.0/24").overlaps(Ipv4Cidr.parse("10.99.2.0/24"))).isFalse();
        assertThat(Ipv4Cidr.parse("172.16.5.0/24").isPrivate()).isTrue();
        assertThat(Ipv4Cidr.parse("172.32.0.0/24").isPrivate()).isFalse();
        assertThat(Ipv4Cidr.parse("192.168.1.0/24").isPrivate()).isTrue();
        assertThat(Ipv4Cidr.parse("169.254.169.254").isSpecialPurpose()).isTrue();
        assertThat(Ipv4Cidr.parse("127.0.0.1").isSpecialPurpose()).isTrue();
        assertThat(Ipv4Cidr.parse("203.0.113.7").isSpecialPurpose()).isFalse();
    }
}
