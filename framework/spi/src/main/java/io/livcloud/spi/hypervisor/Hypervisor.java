package io.livcloud.spi.hypervisor;

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

    @Override
    void close();
}
