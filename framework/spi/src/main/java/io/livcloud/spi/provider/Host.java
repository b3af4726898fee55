package io.livcloud.spi.provider;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A machine in a {@link Site}.
 *
 * @param name the provider's name for it (instance id, VM name, namespace)
 * @param roles what it does in the site; never empty
 * @param publicAddress the address the other site reaches it at (the tunnel's outer address), or empty
 * @param privateAddress its address inside the site, or empty
 * @param hypervisorUri how a hypervisor extension reaches it, e.g. {@code qemu+tcp://10.99.1.2/system}; empty for a
 *     pure gateway
 * @param attributes provider-specific facts (instance type, zone); never secrets. Two keys have a meaning for the
 *     migration: {@link #PEER_HYPERVISOR_URI} and {@link #MIGRATION_URI}
 */
public record Host(
        String name,
        Set<HostRole> roles,
        String publicAddress,
        String privateAddress,
        String hypervisorUri,
        Map<String, String> attributes) {

    /**
     * Attribute: how another site's hypervisor reaches this host's hypervisor for a peer-to-peer migration, when that
     * differs from {@link #hypervisorUri()} (which is how LivCloud itself reaches it), e.g. {@code qemu+tcp://10.99.0.3/system}.
     */
    public static final String PEER_HYPERVISOR_URI = "peer-uri";

    /** Attribute: where the migration stream to this host goes, e.g. {@code tcp://10.99.0.3:49152}. */
    public static final String MIGRATION_URI = "migration-uri";

    public Host {
        Objects.requireNonNull(name, "name is null");
        roles = Set.copyOf(roles);
        Objects.requireNonNull(publicAddress, "publicAddress is null");
        Objects.requireNonNull(privateAddress, "privateAddress is null");
        Objects.requireNonNull(hypervisorUri, "hypervisorUri is null");
        attributes = Map.copyOf(attributes);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("host '" + name + "' has no role");
        }
    }

    /** Whether the host has the role. */
    public boolean hasRole(HostRole role) {
        return roles.contains(role);
    }
}
