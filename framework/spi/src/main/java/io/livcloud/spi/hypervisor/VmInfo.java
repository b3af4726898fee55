package io.livcloud.spi.hypervisor;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A VM on a host, as its hypervisor describes it.
 *
 * @param name the VM's name on the host
 * @param uuid the VM's UUID, stable across hosts
 * @param state its state
 * @param architecture the guest architecture (32 or 64 bit)
 * @param cpuModel the virtual CPU model the guest sees, e.g. {@code qemu64} or {@code Skylake-Server}
 * @param vcpus the number of virtual CPUs
 * @param memoryBytes the guest memory
 * @param disks its disks
 * @param attributes hypervisor-specific facts (machine type, domain type); never secrets. {@link #MAC_ADDRESSES} has a
 *     meaning for the migration
 */
public record VmInfo(
        String name,
        String uuid,
        VmState state,
        Architecture architecture,
        String cpuModel,
        int vcpus,
        long memoryBytes,
        List<DiskInfo> disks,
        Map<String, String> attributes) {

    /**
     * Attribute: the VM's network cards' MAC addresses, comma-separated, lower case, e.g. {@code 52:54:00:63:64:0a}.
     * The engine follows them across a stretched segment after the switch-over.
     */
    public static final String MAC_ADDRESSES = "mac-addresses";

    /** {@link #MAC_ADDRESSES} as a list; empty when the hypervisor does not say. */
    public List<String> macAddresses() {
        String macs = attributes.getOrDefault(MAC_ADDRESSES, "");
        return macs.isBlank() ? List.of() : List.of(macs.split(","));
    }

    public VmInfo {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(uuid, "uuid is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(architecture, "architecture is null");
        Objects.requireNonNull(cpuModel, "cpuModel is null");
        disks = List.copyOf(disks);
        attributes = Map.copyOf(attributes);
        if (vcpus < 1 || memoryBytes < 1) {
            throw new IllegalArgumentException("VM '" + name + "' needs at least one vCPU and some memory");
        }
    }
}
