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
 * @param attributes provider-specific facts to show (instance type, zone, a daemon's pid); never secrets, and never
 *     what another extension must act on: that is typed ({@code migration}, {@code tunnelControl}, {@code segment})
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
     * Attribute: the named Linux network namespace, on the machine LivCloud runs on, that is this host (the lab's
     * namespace mode only). Shown, and read by the lab's own tools; every other extension reaches a host through its
     * {@link io.livcloud.spi.host.HostAccess}.
     */
    public static final String NETWORK_NAMESPACE = "namespace";

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
