package io.livcloud.spi.tunnel;

/** How the two ends of a tunnel prove who they are. */
public enum TunnelAuthentication {
    /** A pre-shared key, generated with high entropy and kept in the host's secret store. */
    PRE_SHARED_KEY,
    /** An X.509 certificate per end, issued for the site pair. */
    CERTIFICATE
}
