package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.core.SiteTunnels;
import io.livcloud.plugin.azure.AzureSitePair;
import io.livcloud.plugin.ec2.Ec2SitePair;
import io.livcloud.plugin.strongswan.vici.ViciMessage;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.testing.plugin.ReferenceConf;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strongSwan connection between two cloud sites exactly as the ec2 and azure plugins describe them, through the
 * tunnel ends the core builds from them ({@link SiteTunnels#endpoint}): charon sends from the address the gateway
 * really holds behind NAT, names both ends by their public addresses, and opens the host's firewall to the peer's
 * address inside the tunnel. No lab and no network.
 */
class CloudSitesConnectionTest {

    static Stream<Arguments> sitePairs() {
        return Stream.of(
                Arguments.of("ec2", Ec2SitePair.eastAndWest(), Ec2SitePair.EAST_VPC_ADDRESS,
                        Ec2SitePair.EAST_ELASTIC_IP, Ec2SitePair.WEST_ELASTIC_IP),
                Arguments.of("azure", AzureSitePair.eastAndWest(), AzureSitePair.EAST_NIC_ADDRESS,
                        AzureSitePair.EAST_PUBLIC_IP, AzureSitePair.WEST_PUBLIC_IP));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sitePairs")
    void eastSendsFromItsPrivateAddressNamedByItsPublicOneAndLetsInWestsVmSubnetAddress(String provider,
            List<Site> sites, String eastPrivate, String eastPublic, String westPublic) {
        TunnelEndpoint east = SiteTunnels.endpoint(sites.get(0));
        TunnelEndpoint west = SiteTunnels.endpoint(sites.get(1));
        StrongSwanConfig config = StrongSwanConfig.from(ReferenceConf.defaults(new StrongSwanTunnelFactory()));
        ConnectionDefinition definition = new ConnectionDefinition(SiteTunnels.id("east", "west"),
                config.negotiation(Map.of()), DataPath.USERSPACE_LIBIPSEC, TunnelAuthentication.PRE_SHARED_KEY);

        ViciMessage conn = definition.forEnd(east, west, true, Optional.empty());

        assertThat(east.control()).as(provider + " publishes how to drive east's charon").isPresent();
        assertThat(conn.list("local_addrs")).as("the address east holds, behind NAT").containsExactly(eastPrivate);
        assertThat(conn.section("local").flatMap(local -> local.text("id"))).contains(eastPublic);
        assertThat(conn.section("remote").flatMap(remote -> remote.text("id"))).contains(westPublic);
        assertThat(conn.list("remote_addrs")).containsExactly(westPublic);
        ViciMessage child = conn.section("children").flatMap(children -> children.section(definition.childName()))
                .orElseThrow();
        assertThat(child.list("local_ts")).containsExactly("10.99.20.0/24");
        assertThat(child.list("remote_ts")).containsExactly("10.99.30.0/24");
        assertThat(child.text("updown")).as("the bootstrap's hook, given where west's tunneled traffic comes from")
                .contains("/usr/local/sbin/livcloud-tunnel-updown 10.99.30.1");
    }
}
