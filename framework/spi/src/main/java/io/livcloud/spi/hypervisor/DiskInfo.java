package io.livcloud.spi.hypervisor;

import java.util.Objects;

/**
 * A VM's disk.
 *
 * @param target the device name inside the VM, e.g. {@code vda}
 * @param source the image file or volume on the host
 * @param sizeBytes the virtual size in bytes
 * @param shared whether both hosts see the same storage (then it need not be copied)
 * @param readOnly whether the disk is read-only (e.g. an installer or config image)
 */
public record DiskInfo(String target, String source, long sizeBytes, boolean shared, boolean readOnly) {

    public DiskInfo {
        Objects.requireNonNull(target, "target is null");
        Objects.requireNonNull(source, "source is null");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("disk '" + target + "' has a negative size");
        }
    }
}
