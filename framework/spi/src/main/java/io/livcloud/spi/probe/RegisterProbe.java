package io.livcloud.spi.probe;

import io.livcloud.spi.host.HostAccess;

/**
 * Inspects a host and tells whether and how it can run a hypervisor. Created by a {@link RegisterProbeFactory}. Used
 * by {@code livcloud probe} and by the engine's preflight to choose the accelerator on the destination.
 */
public interface RegisterProbe extends AutoCloseable {

    /**
     * Probes the host. Never throws for a check that cannot be made (no permission, no device): that is evidence too,
     * recorded as unreadable with the reason.
     *
     * @throws io.livcloud.spi.ExtensionException only if the host itself cannot be reached
     */
    ProbeReport probe(ProbeRequest request);

    /**
     * Probes another host, reading its files and running its programs (and the functional test boot) through
     * {@code host}; the same evidence and verdict as {@link #probe(ProbeRequest)} gives on that host itself. Called by
     * {@code livcloud probe --site} for each of a site's hosts, and by the engine's preflight; never closes
     * {@code host}.
     *
     * @throws io.livcloud.spi.ExtensionException only if the host itself cannot be reached
     * @throws UnsupportedOperationException if this probe can only inspect the machine it runs on
     */
    default ProbeReport probe(ProbeRequest request, HostAccess host) {
        throw new UnsupportedOperationException("probe through host access");
    }

    @Override
    void close();
}
