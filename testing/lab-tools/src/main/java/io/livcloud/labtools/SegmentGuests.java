package io.livcloud.labtools;

import io.livcloud.engine.EnginePolicy;
import io.livcloud.lab.guest.GuestNic;
import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.VmSegment;
import java.util.Map;
import java.util.Optional;

/**
 * A lab guest on the site's VM segment (the one the tunnel stretches), for the commands that boot one ({@code demo},
 * {@code bench}): its network card, and the policy that probes it after a move so that the gap its clients saw is
 * measured.
 */
final class SegmentGuests {

    /** The lab guest echoes TCP (busybox nc) and UDP (its workload) on this port. */
    static final int ECHO_PORT = 7;

    private SegmentGuests() {
    }

    /**
     * A card on the site's VM segment when its provider has one (the lab's {@code vmseg0}): the segment's address
     * {@code .<hostNumber>}, its router as the default route, the segment's MTU.
     */
    static Optional<GuestNic> nic(Site site, String mac, int hostNumber) {
        Optional<VmSegment> segment = site.gateway().segment();
        String subnet = segment.map(VmSegment::subnet).orElse("");
        if (segment.isEmpty() || !subnet.matches("(\\d{1,3}\\.){3}0/24")) {
            return Optional.empty();
        }
        String address = subnet.substring(0, subnet.lastIndexOf('.')) + "." + hostNumber + "/24";
        String bridge = segment.get().bridge();
        String router = segment.get().router();
        int mtu = segment.get().mtu();
        return Optional.of(new GuestNic(bridge, mac, address, router, mtu));
    }

    /**
     * The policy, probing the guest's TCP echo after each move (and watching it during) unless the policy already
     * names a probe: the clients enter at the source.
     */
    static EnginePolicy probing(EnginePolicy policy, Optional<GuestNic> nic) {
        if (nic.isEmpty() || policy.reachability().target().isPresent()) {
            return policy;
        }
        return policy.withReachability(policy.reachability().withTarget(Optional.of(new ReachabilityTarget(
                ReachabilityTarget.Protocol.TCP, nic.get().ip(), ECHO_PORT))));
    }
}
