package io.livcloud.engine;

import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import java.util.Locale;

/**
 * Where a migration goes and how its data travels.
 *
 * @param from the source site
 * @param to the destination site
 * @param sourceHost the host the VM runs on
 * @param destinationHost the host it goes to
 * @param peerUri how the source's hypervisor reaches the destination's: the control connection, through the tunnel
 *     whenever {@link #tunnelId} names one
 * @param dataUri where the migration stream goes
 * @param path how the migration stream is protected
 * @param tunnelId the tunnel the route uses (for the data on the tunnel path, for the control connection on the TLS
 *     path), or empty for none
 * @param reason why this path, for people
 */
record Route(Site from, Site to, Host sourceHost, Host destinationHost, String peerUri, String dataUri,
        DataPath path, String tunnelId, String reason) {

    /** How the migration stream crosses between the sites. */
    enum DataPath {
        /** Through the site-to-site IPsec tunnel, to the destination's address inside it. */
        TUNNEL,
        /** Under the hypervisor's own TLS, straight across the WAN to the destination's public address. */
        TLS,
        /** Unencrypted across the WAN; only with allow-plaintext. */
        PLAINTEXT;

        /** Its name in output and in the journal. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the migration stream is encrypted between the sites. */
    boolean encrypted() {
        return path != DataPath.PLAINTEXT;
    }

    /** Whether the CHANNEL phase brings a tunnel up for this route. */
    boolean usesTunnel() {
        return !tunnelId.isEmpty();
    }

    /** One line for people. */
    String describe() {
        String control = " (hypervisor " + peerUri + (usesTunnel() && path == DataPath.TLS
                ? " through tunnel " + tunnelId : "") + ")";
        return switch (path) {
            case TUNNEL -> "through tunnel " + tunnelId + " to " + dataUri + control;
            case TLS -> "under the hypervisor's TLS across the WAN to " + dataUri + control;
            case PLAINTEXT -> "in plaintext across the WAN to " + dataUri + control;
        };
    }
}
