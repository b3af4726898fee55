package io.livcloud.spi.probe;

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

    @Override
    void close();
}
