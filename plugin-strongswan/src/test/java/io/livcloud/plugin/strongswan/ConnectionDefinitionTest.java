package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.strongswan.vici.ViciMessage;
import io.livcloud.spi.Secret;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionDefinitionTest {

    private final GatewayPair.Endpoints ends = new GatewayPair.Endpoints();
    private final StrongSwanConfig config = TestConfigs.config();

    @Test
    void theInitiatorsConnectionCarriesTheSubnetsProposalsAndTimers() {
        ConnectionDefinition definition = new ConnectionDefinition("a-b", config.negotiation(Map.of()),
                DataPath.USERSPACE_LIBIPSEC,
                TunnelAuthentication.PRE_SHARED_KEY);

        ViciMessage conn = definition.forEnd(ends.a(), ends.b(), true, Optional.empty());

        assertThat(definition.ikeName()).isEqualTo("livcloud-a-b");
        assertThat(conn.text("version")).contains("2");
        assertThat(conn.list("local_addrs")).containsExactly("10.99.200.1");
        assertThat(conn.list("remote_addrs")).containsExactly("10.99.200.2");
        assertThat(conn.list("proposals")).containsExactly("aes256gcm16-prfsha384-ecp384");
        assertThat(conn.text("encap")).contains("yes");
        assertThat(conn.text("dpd_delay")).contains("10s");
        assertThat(conn.text("rekey_time")).contains("14400s");
        assertThat(conn.text("unique")).contains("replace");
        assertThat(conn.section("local").flatMap(local -> local.text("id"))).as("a lab gateway: its WAN address")
                .contains("10.99.200.1");
        assertThat(conn.section("remote").flatMap(remote -> remote.text("auth"))).contains("psk");
        ViciMessage child = conn.section("children").flatMap(children -> children.section("livcloud-a-b-net"))
                .orElseThrow();
        assertThat(child.list("local_ts")).containsExactly("10.99.201.0/24");
        assertThat(child.list("remote_ts")).containsExactly("10.99.202.0/24");
        assertThat(child.list("esp_proposals")).containsExactly("aes256gcm16-ecp384");
        assertThat(child.text("dpd_action")).contains("restart");
        assertThat(child.text("rekey_time")).contains("3600s");
    }

    @Test
    void theResponderMirrorsItAndLeavesRestartsToTheInitiator() {
        ConnectionDefinition definition = new ConnectionDefinition("a-b", config.negotiation(Map.of()),
                DataPath.KERNEL_ESP, TunnelAuthentication.PRE_SHARED_KEY);

        ViciMessage conn = definition.forEnd(ends.b(), ends.a(), false, Optional.empty());

        assertThat(conn.list("local_addrs")).containsExactly("10.99.200.2");
        assertThat(conn.text("encap")).as("kernel ESP needs no UDP").contains("no");
        ViciMessage child = conn.section("children").flatMap(children -> children.section("livcloud-a-b-net"))
                .orElseThrow();
        assertThat(child.list("local_ts")).containsExactly("10.99.202.0/24");
        assertThat(child.text("dpd_action")).contains("clear");
    }

    @Test
    void withCertificatesEachEndShowsItsOwnAndAcceptsOnlyTheTunnelsAuthority() {
        ConnectionDefinition definition = new ConnectionDefinition("a-b", config.negotiation(Map.of()),
                DataPath.USERSPACE_LIBIPSEC, TunnelAuthentication.CERTIFICATE);
        TunnelCertificates.Credentials own = new TunnelCertificates.Credentials("CA PEM", "A PEM", Secret.of("KEY"));

        ViciMessage conn = definition.forEnd(ends.a(), ends.b(), true, Optional.of(own));

        ViciMessage local = conn.section("local").orElseThrow();
        assertThat(local.text("auth")).contains("pubkey");
        assertThat(local.list("certs")).containsExactly("A PEM");
        ViciMessage remote = conn.section("remote").orElseThrow();
        assertThat(remote.text("id")).contains("10.99.200.2");
        assertThat(remote.list("cacerts")).containsExactly("CA PEM");
        assertThat(conn.toString()).doesNotContain("KEY");
        assertThatThrownBy(() -> definition.forEnd(ends.a(), ends.b(), true, Optional.empty()))
                .hasMessageContaining("certificate authentication needs a's certificate");
    }

    @Test
    void aTunnelsOptionsOverrideTheDefaults() {
        StrongSwanConfig.Negotiation negotiation = config.negotiation(Map.of("esp-proposals",
                "aes128gcm16, chacha20poly1305", "dpd-delay", "30s"));

        assertThat(negotiation.dpdDelay()).isEqualTo(Duration.ofSeconds(30));
        ViciMessage conn = new ConnectionDefinition("a-b", negotiation, DataPath.KERNEL_ESP,
                TunnelAuthentication.PRE_SHARED_KEY)
                .forEnd(ends.a(), ends.b(), true, Optional.empty());
        assertThat(conn.section("children").flatMap(children -> children.section("livcloud-a-b-net"))
                .orElseThrow().list("esp_proposals")).containsExactly("aes128gcm16", "chacha20poly1305");
        assertThatThrownBy(() -> config.negotiation(Map.of("psk", "x")))
                .hasMessageContaining("the tunnel option 'psk' is unknown; the strongswan extension takes"
                        + " ike-proposals, esp-proposals");
        assertThatThrownBy(() -> config.negotiation(Map.of("rekey-time", "soon")))
                .hasMessageContaining("rekey-time = 'soon' is not a number of seconds");
    }

    /** A cloud-like gateway: it holds the private 10.0.0.5, the peer reaches it at the public 198.51.100.1. */
    private static final TunnelEndpoint CLOUD_HOST = new TunnelEndpoint("a", "a-gw", "198.51.100.1",
            "10.99.201.0/24", "10.99.201.1", Optional.of(new TunnelControl("/run/charon.vici", "10.0.0.5",
                    "198.51.100.1", "/usr/local/sbin/livcloud-tunnel-updown")), Optional.empty(), Map.of());

    @Test
    void behindNatAGatewaySendsFromItsPrivateAddressAndIsNamedByItsIdentity() {
        ConnectionDefinition definition = new ConnectionDefinition("a-b", config.negotiation(Map.of()),
                DataPath.KERNEL_ESP, TunnelAuthentication.PRE_SHARED_KEY);

        ViciMessage atCloud = definition.forEnd(CLOUD_HOST, ends.b(), true, Optional.empty());
        assertThat(atCloud.list("local_addrs")).as("the address the VM holds, not the public one")
                .containsExactly("10.0.0.5");
        assertThat(atCloud.list("remote_addrs")).containsExactly("10.99.200.2");
        assertThat(atCloud.section("local").flatMap(local -> local.text("id"))).contains("198.51.100.1");
        assertThat(atCloud.section("remote").flatMap(remote -> remote.text("id"))).contains("10.99.200.2");

        ViciMessage atPeer = definition.forEnd(ends.b(), CLOUD_HOST, false, Optional.empty());
        assertThat(atPeer.list("remote_addrs")).as("the public address, which NAT forwards")
                .containsExactly("198.51.100.1");
        assertThat(atPeer.section("remote").flatMap(remote -> remote.text("id"))).contains("198.51.100.1");
    }

    @Test
    void aGatewayThatPublishesNoIdentityOrAddressIsNamedByItsSiteAndSendsFromItsPublicAddress() {
        TunnelEndpoint bare = new TunnelEndpoint("c", "c-gw", "198.51.100.3", "10.99.203.0/24", "10.99.203.1",
                Optional.of(new TunnelControl("/run/charon.vici", "", "", "")), Optional.empty(), Map.of());

        assertThat(ConnectionDefinition.identity(bare)).isEqualTo("c.sites.livcloud");
        assertThat(ConnectionDefinition.localAddress(bare)).isEqualTo("198.51.100.3");
    }

    @Test
    void aHostWithATunnelUpdownGetsItRunWithThePeersInsideAddressOnly() {
        ConnectionDefinition definition = new ConnectionDefinition("a-b", config.negotiation(Map.of()),
                DataPath.KERNEL_ESP, TunnelAuthentication.PRE_SHARED_KEY);

        assertThat(child(definition.forEnd(CLOUD_HOST, ends.b(), true, Optional.empty())).text("updown"))
                .contains("/usr/local/sbin/livcloud-tunnel-updown 10.99.202.1");
        assertThat(child(definition.forEnd(ends.b(), CLOUD_HOST, false, Optional.empty())).text("updown"))
                .as("a gateway without an updown hook runs nothing").isEmpty();
        TunnelEndpoint hostile = new TunnelEndpoint("b", "b-gw", "198.51.100.2", "10.99.202.0/24",
                "10.99.202.1; reboot", Optional.empty(), Optional.empty(), Map.of());
        assertThat(child(definition.forEnd(CLOUD_HOST, hostile, true, Optional.empty())).text("updown"))
                .as("charon hands updown to a shell").isEmpty();
    }

    private static ViciMessage child(ViciMessage conn) {
        return conn.section("children").flatMap(children -> children.section("livcloud-a-b-net")).orElseThrow();
    }
}
