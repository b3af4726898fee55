package io.livcloud.plugin.toolkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.SiteSpec;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SiteNetworkTest {

    private static final ErrorCode INVALID = () -> "TEST_INVALID_SITE_SPEC";

    private static SiteSpec spec(String vmSubnet, String peer, String operator) {
        return new SiteSpec("east", "", "", vmSubnet, peer, operator, Map.of());
    }

    @Test
    void readsTheSpecAndFallsBackToTheProvidersDefaults() {
        SiteNetwork given = SiteNetwork.of(spec("10.99.20.0/24", "203.0.113.7", "198.51.100.0/28"), "", "", INVALID);
        assertThat(given.vmSubnet()).isEqualTo(Ipv4Cidr.parse("10.99.20.0/24"));
        assertThat(given.peerGateway()).contains(Ipv4Cidr.parse("203.0.113.7/32"));
        assertThat(given.operatorCidr()).isEqualTo(Ipv4Cidr.parse("198.51.100.0/28"));

        SiteNetwork defaults = SiteNetwork.of(spec("", "", ""), "10.99.30.0/24", "198.51.100.7/32", INVALID);
        assertThat(defaults.vmSubnet().toString()).isEqualTo("10.99.30.0/24");
        assertThat(defaults.peerGateway()).isEqualTo(Optional.empty());
        assertThat(defaults.operatorCidr().toString()).isEqualTo("198.51.100.7/32");
    }

    @Test
    void refusesWhatWouldOpenMoreThanIntendedNamingKeyAndFix() {
        assertProblem(spec("10.99.20.0/24", "", "0.0.0.0/0"), "operator-cidr is 0.0.0.0/0, which would open SSH to"
                + " the whole internet", "198.51.100.7/32");
        assertProblem(spec("10.99.20.0/24", "", ""), "operator-cidr is not set", "operator-cidr = ");
        assertProblem(spec("10.99.20.0/24", "203.0.113.0/24", "198.51.100.7/32"), "peer-gateway-address is"
                + " 203.0.113.0/24, a network", "gateway address");
        assertProblem(spec("10.99.20.0/24", "169.254.169.254", "198.51.100.7/32"), "peer-gateway-address is"
                + " 169.254.169.254, which no peer gateway can have", "203.0.113.7");
        assertProblem(spec("8.8.8.0/24", "", "198.51.100.7/32"), "vm-subnet is 8.8.8.0/24, not a private",
                "10.99.20.0/24");
        assertProblem(spec("", "", "198.51.100.7/32"), "vm-subnet is not set", "vm-subnet = ");
        assertProblem(spec("10.99.20.0/30", "", "198.51.100.7/32"), "vm-subnet is 10.99.20.0/30, smaller than a /29",
                "/29 or larger");
        assertProblem(spec("10.99.20.4/32", "", "198.51.100.7/32"), "vm-subnet is 10.99.20.4/32, smaller than a /29",
                "/29 or larger");
        assertThat(SiteNetwork.of(spec("10.99.20.8/29", "", "198.51.100.7/32"), "", "", INVALID).vmSubnet())
                .isEqualTo(Ipv4Cidr.parse("10.99.20.8/29"));
        assertProblem(spec("10.99.20.1/24", "", "198.51.100.7/32"), "vm-subnet is wrong: '10.99.20.1/24' has host"
                + " bits set; did you mean 10.99.20.0/24?", "10.99.20.0/24");
    }

    private static void assertProblem(SiteSpec spec, String message, String remedy) {
        assertThatThrownBy(() -> SiteNetwork.of(spec, "", "", INVALID))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isSameAs(INVALID);
                    assertThat(e.getMessage()).startsWith("site 'east': ").contains(message);
                    assertThat(e.remedy()).contains(remedy);
                });
    }
}
