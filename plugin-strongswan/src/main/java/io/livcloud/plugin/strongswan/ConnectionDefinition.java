package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ViciMessage;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names and the {@code load-conn} sections of one tunnel, for either end. Both ends load mirror images of the same
 * connection; only the initiator (the spec's local end) starts it, and only it restarts a tunnel whose peer vanished
 * ({@code dpd_action = restart}), so the two never race to re-create it.
 *
 * @param tunnelId the tunnel's id
 * @param negotiation proposals and timers
 * @param dataPath how ESP is carried: userspace ESP only works inside UDP
 * @param authentication pre-shared key, or certificates of the tunnel's own authority
 */
record ConnectionDefinition(String tunnelId, StrongSwanConfig.Negotiation negotiation, DataPath dataPath,
        TunnelAuthentication authentication) {

    /** A dotted IPv4 address. */
    static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** The IKE connection's name in both charons. */
    String ikeName() {
        return "livcloud-" + tunnelId;
    }

    /** The CHILD_SA configuration's name. */
    String childName() {
        return ikeName() + "-net";
    }

    /** The id of the pre-shared key in both charons. */
    String sharedSecretId() {
        return ikeName() + "-psk";
    }

    /** A name charon takes as an FQDN identity (an address is an IP identity). */
    static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    /**
     * The IKE identity of an end's gateway: what its provider publishes ({@link TunnelControl#identity()}, e.g. its
     * public address, which the peer sees even behind NAT), else {@code <site>.sites.livcloud}. Both ends compute it
     * from the same spec, so each expects of the other exactly what the other says.
     */
    static String identity(TunnelEndpoint end) {
        return end.control().map(TunnelControl::identity).filter(identity -> !identity.isBlank())
                .orElse(end.siteName() + ".sites.livcloud");
    }

    /**
     * The address an end's gateway sends IKE from and really holds: its private address behind NAT
     * ({@link TunnelControl#localAddress()}), else its public address.
     */
    static String localAddress(TunnelEndpoint end) {
        return end.control().map(TunnelControl::localAddress).filter(address -> !address.isBlank())
                .orElse(end.gatewayAddress());
    }

    /**
     * The connection as the end {@code self} loads it, talking to {@code peer}: from the address {@code self} holds to
     * the address {@code peer} is reached at, each named by its identity.
     *
     * @param credentials {@code self}'s certificate and the tunnel's authority, for certificate authentication
     */
    ViciMessage forEnd(TunnelEndpoint self, TunnelEndpoint peer, boolean initiator,
            Optional<TunnelCertificates.Credentials> credentials) {
        ViciMessage.Builder local = ViciMessage.builder().put("id", identity(self));
        ViciMessage.Builder remote = ViciMessage.builder().put("id", identity(peer));
        if (authentication == TunnelAuthentication.CERTIFICATE) {
            TunnelCertificates.Credentials own = credentials.orElseThrow(() -> new IllegalArgumentException(
                    "certificate authentication needs " + self.siteName() + "'s certificate"));
            local.put("auth", "pubkey").list("certs", List.of(own.certificatePem()));
            // Only a certificate of this tunnel's own authority, for the peer's identity, is accepted.
            remote.put("auth", "pubkey").list("cacerts", List.of(own.authorityPem()));
        } else {
            local.put("auth", "psk");
            remote.put("auth", "psk");
        }
        ViciMessage.Builder child = ViciMessage.builder()
                .list("local_ts", List.of(self.subnet()))
                .list("remote_ts", List.of(peer.subnet()))
                .list("esp_proposals", proposals(negotiation.espProposals()))
                .put("mode", "tunnel")
                .put("rekey_time", negotiation.rekeyTime().toSeconds() + "s")
                .put("dpd_action", initiator ? "restart" : "clear")
                .put("close_action", "none")
                .put("start_action", "none");
        // charon hands updown to a shell: the peer's address goes in only when it is nothing but an IPv4 address.
        String updown = self.control().map(TunnelControl::updown).orElse("");
        if (!updown.isBlank() && IPV4.matcher(peer.insideAddress()).matches()) {
            child.put("updown", updown + " " + peer.insideAddress());
        }
        return ViciMessage.builder()
                .put("version", "2")
                .list("local_addrs", List.of(localAddress(self)))
                .list("remote_addrs", List.of(peer.gatewayAddress()))
                .list("proposals", proposals(negotiation.ikeProposals()))
                // charon's userspace ESP cannot receive raw ESP (IP protocol 50): it must travel in UDP 4500.
                .put("encap", dataPath == DataPath.USERSPACE_LIBIPSEC)
                .put("mobike", false)
                .put("dpd_delay", negotiation.dpdDelay().toSeconds() + "s")
                .put("rekey_time", negotiation.ikeRekeyTime().toSeconds() + "s")
                // A re-established tunnel (after a charon restart) replaces the stale SA the peer still holds.
                .put("unique", "replace")
                .section("local", local.build())
                .section("remote", remote.build())
                .section("children", ViciMessage.builder().section(childName(), child.build()).build())
                .build();
    }

    private static List<String> proposals(String text) {
        return Arrays.stream(text.split("[,\\s]+")).filter(proposal -> !proposal.isEmpty()).toList();
    }
}
