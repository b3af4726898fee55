package io.livcloud.spi.provider;

import java.util.Objects;

/**
 * The layer-2 network a site's VMs attach to on a host. Hosts of two sites with the same segment {@code name} can have
 * it stretched over their tunnel, so that a VM keeps its address and MAC when it moves between them. Published by the
 * provider; read by the core when it brings a tunnel up and by the engine's reachability checks.
 *
 * @param name the segment's name, the same at every site that shares it, e.g. {@code lab}
 * @param bridge the bridge on the host that VMs of the segment attach to, e.g. {@code vmseg0}
 * @param mtu the largest frame payload the segment's VMs use, small enough that a frame still fits once a stretch has
 *     wrapped it (VXLAN) and the tunnel has encrypted it, e.g. {@code 1350}
 * @param subnet the segment's IPv4 subnet in CIDR notation, e.g. {@code 10.99.100.0/24}; empty if not known
 * @param router the address VMs on the segment route through, e.g. {@code 10.99.100.1}; empty if not known
 */
public record VmSegment(String name, String bridge, int mtu, String subnet, String router) {

    public VmSegment {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(bridge, "bridge is null");
        Objects.requireNonNull(subnet, "subnet is null");
        Objects.requireNonNull(router, "router is null");
        if (name.isBlank() || bridge.isBlank()) {
            throw new IllegalArgumentException("a VM segment needs a name and a bridge");
        }
        if (mtu < 576 || mtu > 65535) {
            throw new IllegalArgumentException("segment " + name + "'s MTU " + mtu + " is outside 576..65535");
        }
    }
}
