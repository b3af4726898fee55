package io.livcloud.spi.hypervisor;

import io.livcloud.spi.host.HostAccess;

/**
 * One hypervisor technology; opens {@link HypervisorConnection}s to hosts. Created by a {@link HypervisorFactory};
 * closing it closes nothing the caller still holds.
 */
public interface Hypervisor extends AutoCloseable {

    /**
     * Connects to a host.
     *
     * @param uri the host's hypervisor address as a site reports it, e.g. {@code qemu:///system} or
     *     {@code qemu+tcp://10.99.1.2/system}
     * @throws io.livcloud.spi.ExtensionException if the host cannot be reached or refuses, naming the URI and the fix
     */
    HypervisorConnection connect(String uri);

    /**
     * Connects to a host's hypervisor through the host's own access (an SSH-carried stream to its local socket), so
     * that no hypervisor connection crosses a network unauthenticated or in plaintext. Called by the engine and the
     * core for every host whose provider gives access; the connection keeps {@code host} open only as long as it
     * needs it, and never closes it.
     *
     * @param uri the hypervisor's address as seen <em>on that host</em>, e.g. {@code qemu:///system} or
     *     {@code qemu:///system?socket=/var/lib/livcloud/lab/sites/a/run/libvirt-sock}
     * @throws io.livcloud.spi.ExtensionException if the host cannot be reached or its hypervisor refuses, naming the
     *     host and the fix
     * @throws UnsupportedOperationException if this hypervisor can only connect by address
     */
    default HypervisorConnection connect(String uri, HostAccess host) {
        throw new UnsupportedOperationException("connect through host access");
    }

    @Override
    void close();
}
