package io.livcloud.spi.provider;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A machine in a {@link Site}.
 *
 * @param name the provider's name for it (instance id, VM name, namespace)
 * @param roles what it does in the site; never empty
 * @param publicAddress the address the other site reaches it at (the tunnel's outer address), or empty
 * @param privateAddress its address inside the site, or empty
 * @param hypervisorUri the host's hypervisor address as seen on the host itself, e.g. {@code qemu:///system}, which a
 *     hypervisor extension reaches through the host's {@link io.livcloud.spi.host.HostAccess}; empty for a pure gateway
 * @param migration how another site's hypervisor reaches this one for a live migration; empty for a pure gateway
 * @param tunnelControl how a tunnel driver drives this gateway's tunnel daemon; empty for a host that ends no tunnel
 * @param segment the VM segment this host's VMs attach to; empty if it has none
 * @param attributes provider-specific facts (instance type, zone); never secrets. Some keys have a meaning for the
 *     migration: {@link #PEER_HYPERVISOR_URI}, {@link #MIGRATION_URI}, {@link #NETWORK_NAMESPACE},
 *     {@link #TUNNEL_CONTROL_URI}, {@link #TUNNEL_UPDOWN}, {@link #MIGRATION_TLS}, {@link #SEGMENT},
 *     {@link #SEGMENT_BRIDGE}, {@link #SEGMENT_MTU}
 */
public record Host(
        String name,
        Set<HostRole> roles,
        String publicAddress,
        String privateAddress,
        String hypervisorUri,
        Optional<MigrationEndpoints> migration,
        Optional<TunnelControl> tunnelControl,
        Optional<VmSegment> segment,
        Map<String, String> attributes) {

    /**
     * Attribute: how another site's hypervisor reaches this host's hypervisor for a peer-to-peer migration, when that
     * differs from {@link #hypervisorUri()} (which is how LivCloud itself reaches it), e.g. {@code qemu+tcp://10.99.0.3/system}.
     */
    public static final String PEER_HYPERVISOR_URI = "peer-uri";

    /** Attribute: where the migration stream to this host goes, e.g. {@code tcp://10.99.0.3:49152}. */
    public static final String MIGRATION_URI = "migration-uri";

    /**
     * Attribute: how another site's hypervisor reaches this host's through the site-to-site tunnel, i.e. at the host's
     * address inside the site, e.g. {@code qemu+tcp://10.99.12.1/system}. The engine migrates through it, so that the
     * migration is encrypted.
     */
    public static final String TUNNEL_PEER_HYPERVISOR_URI = "tunnel-peer-uri";

    /** Attribute: where a migration stream reaches this host through the tunnel, e.g. {@code tcp://10.99.12.1:49152}. */
    public static final String TUNNEL_MIGRATION_URI = "tunnel-migration-uri";

    /**
     * Attribute: {@code true} when this host's hypervisor can run a migration stream under its own TLS
     * ({@link io.livcloud.spi.hypervisor.MigrationFeature#TLS}), in both directions: it has certificates from an
     * authority the other hosts of the deployment trust, a server certificate naming the address in
     * {@link #MIGRATION_URI} (so a source can check it is talking to this host) and a client certificate, and it checks
     * the peer's certificate. Set by the provider that configured the hypervisor (the lab plugin, for each site's
     * libvirtd); absent or any other value means no. The engine chooses the TLS path only when the source and the
     * destination both say {@code true}; a hypervisor asked for TLS where the material is missing refuses the
     * migration.
     */
    public static final String MIGRATION_TLS = "migration-tls";

    /**
     * Attribute: the named Linux network namespace, on the machine LivCloud runs on, that is this host (lab sites).
     * Extensions that run daemons or probes for the host (charon, a traffic check) start them there with
     * {@code ip netns exec}; without it they reach the host through its own services.
     */
    public static final String NETWORK_NAMESPACE = "namespace";

    /** Attribute: how the tunnel extension reaches the tunnel daemon on this host, e.g. {@code unix:///run/charon.vici}. */
    public static final String TUNNEL_CONTROL_URI = "tunnel-control-uri";

    /**
     * Attribute: a command on this host that its tunnel daemon runs as a tunnel comes up or goes down (strongSwan's
     * {@code updown}), with the peer gateway's address inside the tunnel as its argument, e.g. to let the peer host
     * alone reach this host's hypervisor ports.
     */
    public static final String TUNNEL_UPDOWN = "tunnel-updown";

    /**
     * Attribute: the name of the VM segment (a layer-2 network) this host's {@link #SEGMENT_BRIDGE} belongs to. Hosts
     * of two sites with the same segment name can have it stretched over their tunnel, so that a VM keeps its address
     * and MAC when it moves between them. Set by the provider; read by the core when it brings a tunnel up.
     */
    public static final String SEGMENT = "segment";

    /** Attribute: the bridge on this host that VMs of {@link #SEGMENT} attach to, e.g. {@code vmseg0}. */
    public static final String SEGMENT_BRIDGE = "segment-bridge";

    /**
     * Attribute: the largest frame payload (MTU) the segment's VMs use, e.g. {@code 1350}: small enough that a frame
     * still fits once the stretch has wrapped it (VXLAN) and the tunnel has encrypted it.
     */
    public static final String SEGMENT_MTU = "segment-mtu";

    public Host {
        Objects.requireNonNull(name, "name is null");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(publicAddress, "publicAddress is null");
        Objects.requireNonNull(privateAddress, "privateAddress is null");
        Objects.requireNonNull(hypervisorUri, "hypervisorUri is null");
        Objects.requireNonNull(migration, "migration is null");
        Objects.requireNonNull(tunnelControl, "tunnelControl is null");
        Objects.requireNonNull(segment, "segment is null");
        attributes = Map.copyOf(attributes);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("host '" + name + "' has no role");
        }
    }

    /** A host with no migration endpoints, tunnel control or segment (yet): add them with the {@code with} methods. */
    public Host(String name, Set<HostRole> roles, String publicAddress, String privateAddress, String hypervisorUri,
            Map<String, String> attributes) {
        this(name, roles, publicAddress, privateAddress, hypervisorUri, Optional.empty(), Optional.empty(),
                Optional.empty(), attributes);
    }

    /** This host with these migration endpoints. */
    public Host withMigration(MigrationEndpoints endpoints) {
        return new Host(name, roles, publicAddress, privateAddress, hypervisorUri, Optional.of(endpoints), tunnelControl,
                segment, attributes);
    }

    /** This host with this tunnel control. */
    public Host withTunnelControl(TunnelControl control) {
        return new Host(name, roles, publicAddress, privateAddress, hypervisorUri, migration, Optional.of(control),
                segment, attributes);
    }

    /** This host on this VM segment. */
    public Host withSegment(VmSegment vmSegment) {
        return new Host(name, roles, publicAddress, privateAddress, hypervisorUri, migration, tunnelControl,
                Optional.of(vmSegment), attributes);
    }

    /** Whether the host has the role. */
    public boolean hasRole(HostRole role) {
        return roles.contains(role);
    }
}
