package io.livcloud.spi.tunnel;

/** The state of a {@link Tunnel}. */
public enum TunnelState {
    /** Not established. */
    DOWN,
    /** Negotiating. */
    CONNECTING,
    /** Established and carrying traffic. */
    UP,
    /** Gave up; {@link TunnelStatus#detail()} says why. */
    FAILED
}
