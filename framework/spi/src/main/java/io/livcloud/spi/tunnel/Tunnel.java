package io.livcloud.spi.tunnel;

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

    /** Takes the tunnel down on both ends and forgets its keys. Idempotent. */
    void tearDown();
}
