package io.livcloud.plugin.kvm.libvirt;

import java.util.Optional;

/**
 * What the kvm plugin uses of libvirt, and nothing more: the seam between the plugin's logic and libvirt's C library.
 * {@link LibvirtJavaFacade} implements it with libvirt-java and a few direct JNA calls; tests implement it by hand.
 * No libvirt-java or JNA type crosses it.
 */
public interface LibvirtFacade {

    /**
     * Why libvirt cannot be used on this machine, e.g. its client library {@code libvirt.so.0} is not installed; empty
     * when it can. Loads the library but opens no connection.
     */
    Optional<String> unavailableReason();

    /**
     * Opens a read-write connection.
     *
     * @param uri a libvirt URI as libvirt accepts it, e.g. {@code qemu:///system?socket=/run/x/libvirt-sock}
     * @throws LibvirtError if libvirt refuses or cannot reach the daemon
     */
    LibvirtConnection connect(String uri);
}
