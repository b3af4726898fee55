package io.livcloud.spi.tunnel;

import java.util.List;
import java.util.Optional;

/**
 * Establishes and finds tunnels of one technology. Created by a {@link TunnelFactory}; closing the driver releases
 * its control connections but leaves established tunnels up (they belong to the migration, not to the process), so an
 * orchestrator restarted after a crash finds them again with {@link #find}.
 */
public interface TunnelDriver extends AutoCloseable {

    /**
     * Brings a tunnel up between the two endpoints and waits until traffic can flow, or fails. Idempotent: a tunnel
     * with the same id that is already up is returned as it is.
     *
     * @throws io.livcloud.spi.ExtensionException naming the cause: daemon missing or not running, peer unreachable,
     *     authentication refused by the peer, no common proposal
     */
    Tunnel establish(TunnelSpec spec);

    /** The tunnel with this id, if this driver has it (up or not). */
    Optional<Tunnel> find(String tunnelId);

    /** The tunnels this driver has. */
    List<Tunnel> list();

    /** Releases control connections; tunnels stay up. */
    @Override
    void close();
}
