package io.livcloud.spi.tunnel;

import java.util.Objects;

/**
 * What {@link Tunnel#stretch} is asked to join: one VM segment, present at both ends of the tunnel as a bridge on the
 * gateway host (the {@link io.livcloud.spi.provider.VmSegment#bridge()} of each
 * {@link TunnelEndpoint#segment()}).
 *
 * @param segment the segment's name, the same at both ends
 * @param networkId the identifier that keeps this segment's frames apart from other segments' on the same tunnel (a
 *     VXLAN network identifier, 1 to 16777215)
 * @param mtu the segment's MTU: the stretch's own device at each end gets it, so no frame larger than the tunnel can
 *     carry enters it
 */
public record StretchSpec(String segment, int networkId, int mtu) {

    /** The largest VXLAN network identifier (24 bits). */
    public static final int MAX_NETWORK_ID = 0xFFFFFF;

    public StretchSpec {
        Objects.requireNonNull(segment, "segment is null");
        if (segment.isBlank()) {
            throw new IllegalArgumentException("segment is blank");
        }
        if (networkId < 1 || networkId > MAX_NETWORK_ID) {
            throw new IllegalArgumentException("network id " + networkId + " is outside 1.." + MAX_NETWORK_ID);
        }
        if (mtu < 576 || mtu > 9000) {
            throw new IllegalArgumentException("MTU " + mtu + " is outside 576..9000");
        }
    }

    /**
     * A stable network id for a segment name (the same on every machine and in every run), so that both ends and a
     * restarted orchestrator agree without storing it.
     */
    public static int networkIdOf(String segment) {
        int hash = 0;
        for (char character : segment.toCharArray()) {
            hash = hash * 31 + character;
        }
        return Math.floorMod(hash, MAX_NETWORK_ID) + 1;
    }
}
