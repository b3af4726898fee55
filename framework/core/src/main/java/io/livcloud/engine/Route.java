package io.livcloud.engine;

import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;

/**
 * Where a migration goes and how its data travels.
 *
 * @param from the source site
 * @param to the destination site
 * @param sourceHost the host the VM runs on
 * @param destinationHost the host it goes to
 * @param peerUri how the source's hypervisor reaches the destination's (through the tunnel when encrypted)
 * @param dataUri where the migration stream goes
 * @param encrypted whether that path is the tunnel
 * @param tunnelId the tunnel it crosses, when encrypted
 */
record Route(Site from, Site to, Host sourceHost, Host destinationHost, String peerUri, String dataUri,
        boolean encrypted, String tunnelId) {

    /** One line for people. */
    String describe() {
        return (encrypted ? "through tunnel " + tunnelId : "in plaintext across the WAN") + " to " + dataUri
                + " (hypervisor " + peerUri + ")";
    }
}
