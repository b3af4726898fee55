package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.strongswan.vici.ViciMessage;
import io.livcloud.spi.Secret;
import io.livcloud.spi.provider.Host;
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
        assertThat(conn.section("local").flatMap(local -> local.text("id"))).contains("a.sites.livcloud");
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
        assertThat(remote.text("id")).contains("b.sites.livcloud");
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

    @Test
    void aHostWithATunnelUpdownGetsItRunWithThePeersInsideAddressOnly() {
        ConnectionDefinition definition = new ConnectionDefinition("a-b", config.negotiation(Map.of()),
                DataPath.KERNEL_ESP, TunnelAuthentication.PRE_SHARED_KEY);
        TunnelEndpoint cloudHost = new TunnelEndpoint("a", "a-gw", "198.51.100.1", "10.99.201.0/24", "10.99.201.1",
                Optional.of(new TunnelControl("/run/charon.vici", "10.0.0.5", "198.51.100.1",
                        "/usr/local/sbin/livcloud-tunnel-updown")), Optional.empty(), Map.of());

        assertThat(child(definition.forEnd(cloudHost, ends.b(), true, Optional.empty())).text("updown"))
                .contains("/usr/local/sbin/livcloud-tunnel-updown 10.99.202.1");
        assertThat(child(definition.forEnd(ends.b(), cloudHost, false, Optional.empty())).text("updown"))
                .as("a gateway without the attribute runs nothing").isEmpty();
        TunnelEndpoint hostile = new TunnelEndpoint("b", "b-gw", "198.51.100.2", "10.99.202.0/24",
                "10.99.202.1; reboot", Optional.empty(), Optional.empty(), Map.of());
        assertThat(child(definition.forEnd(cloudHost, hostile, true, Optional.empty())).text("updown"))
                .as("charon hands updown to a shell").isEmpty();
    }

    private static ViciMessage child(ViciMessage conn) {
        return conn.section("children").flatMap(children -> children.section("livcloud-a-b-net")).orElseThrow();
    }
}
