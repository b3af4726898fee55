package io.livcloud.spi.tunnel;

import java.util.Optional;

/**
 * A VM segment stretched over a tunnel: the bridges of both ends joined into one layer-2 network, so that a VM keeps
 * its address and MAC when it moves between the sites and its clients keep talking to it. Obtained from
 * {@link Tunnel#stretch} or {@link Tunnel#stretches}; lives until {@link #remove()} or until the tunnel is torn down.
 */
public interface Stretch {

    /** What was joined. */
    StretchSpec spec();

    /**
     * Whether both ends are joined now, read from the hosts (not remembered).
     *
     * @throws io.livcloud.spi.ExtensionException if an end cannot be asked
     */
    StretchStatus status();

    /**
     * The site whose bridge has learned this MAC address on one of its own ports (a VM attached there), as opposed to
     * across the stretch. After a migration the destination's announcement moves it: the engine checks that here.
     *
     * @param mac a MAC address, e.g. {@code 52:54:00:63:64:0a}
     * @return the site's name; empty when no end has learned it on a local port
     */
    Optional<String> siteOf(String mac);

    /** Separates the two ends again; VMs stay on their own site's bridge. Idempotent. */
    void remove();
}
