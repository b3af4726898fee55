package io.livcloud.spi.provider;

import java.util.Objects;

/**
 * How another site's hypervisor reaches this host's for a peer-to-peer live migration. Published by the provider that
 * set the host up; read by the engine to choose the migration's route.
 *
 * @param tunnelPeerUri the hypervisor's control address inside the site-to-site tunnel (at the host's address in its
 *     site's subnet), e.g. {@code qemu+tcp://10.99.12.1/system}; empty when the host has none
 * @param tunnelMigrationUri where a migration stream reaches this host through the tunnel, e.g.
 *     {@code tcp://10.99.12.1:49152}; empty when the host has none
 * @param wanPeerUri the control address across the WAN, empty when the hypervisor answers only inside the tunnel (a
 *     host LivCloud set up never opens its libvirt to the WAN)
 * @param wanMigrationUri where a migration stream reaches this host across the WAN, e.g.
 *     {@code tcp://203.0.113.10:49152}: taken under QEMU's TLS when {@code tls}, in plaintext only when the user
 *     allows it; empty for none
 * @param tls whether the host's hypervisor runs migration streams under its own TLS in both directions (certificates
 *     from an authority the deployment's hosts trust, a server certificate naming the address in
 *     {@code wanMigrationUri}, and the peer's certificate checked); the engine takes the TLS path only when source and
 *     destination both offer it
 */
public record MigrationEndpoints(String tunnelPeerUri, String tunnelMigrationUri, String wanPeerUri,
        String wanMigrationUri, boolean tls) {

    public MigrationEndpoints {
        Objects.requireNonNull(tunnelPeerUri, "tunnelPeerUri is null");
        Objects.requireNonNull(tunnelMigrationUri, "tunnelMigrationUri is null");
        Objects.requireNonNull(wanPeerUri, "wanPeerUri is null");
        Objects.requireNonNull(wanMigrationUri, "wanMigrationUri is null");
    }

    /** Whether the host can be migrated to through the tunnel. */
    public boolean throughTunnel() {
        return !tunnelPeerUri.isEmpty() && !tunnelMigrationUri.isEmpty();
    }
}
