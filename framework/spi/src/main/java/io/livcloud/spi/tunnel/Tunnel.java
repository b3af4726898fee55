package io.livcloud.spi.tunnel;

import java.util.List;

/**
 * An established (or once established) tunnel, obtained from a {@link TunnelDriver}. Not {@code AutoCloseable} on
 * purpose: a tunnel lives until {@link #tearDown()} is called, not until a handle goes out of scope.
 */
public interface Tunnel {

    /** The tunnel's id, as in its {@link TunnelSpec}. */
    String id();

    /** What the tunnel was built from. */
    TunnelSpec spec();

    /**
     * The current state and counters, read from the tunnel daemon.
     *
     * @throws io.livcloud.spi.ExtensionException if the daemon cannot be asked
     */
    TunnelStatus status();

    /**
     * Checks that traffic actually crosses the tunnel now (not only that the daemon says it is up), for preflight.
     *
     * @return the status after the check, {@link TunnelState#UP} only if traffic crossed
     */
    TunnelStatus check();

    /** Takes the tunnel down on both ends, with the stretches over it, and forgets its keys. Idempotent. */
    void tearDown();

    /**
     * Joins a VM segment's bridges at both ends over this tunnel (layer-2 extension), or returns the stretch that
     * already joins them. Called by the core after {@link TunnelDriver#establish} when both gateways belong to the same
     * segment, and by {@code livcloud tunnel up}.
     *
     * @throws UnsupportedOperationException if this tunnel technology cannot stretch a segment; the message says why
     * @throws io.livcloud.spi.ExtensionException if an end has no such bridge or the join fails; nothing is left half
     *     made
     */
    default Stretch stretch(StretchSpec spec) {
        throw new UnsupportedOperationException("tunnel " + id() + " cannot stretch a VM segment");
    }

    /** The segments stretched over this tunnel now; empty when none is, or the technology cannot stretch. */
    default List<Stretch> stretches() {
        return List.of();
    }
}
