package io.livcloud.spi.hypervisor;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A host's facts as its hypervisor reports them.
 *
 * @param hostname the host's name
 * @param uri the hypervisor URI it was reached at
 * @param architecture the host's own architecture
 * @param guestArchitectures the guest architectures the host can run (a 64-bit host usually runs 32-bit guests too)
 * @param accelerators the accelerators the hypervisor can actually use here, best first
 * @param cpuModel the host CPU model
 * @param cpus the number of logical CPUs
 * @param memoryBytes total memory
 * @param freeMemoryBytes memory free for new guests
 * @param attributes hypervisor-specific facts (versions, host UUID); never secrets
 */
public record HostInfo(
        String hostname,
        String uri,
        Architecture architecture,
        Set<Architecture> guestArchitectures,
        Set<Accelerator> accelerators,
        String cpuModel,
        int cpus,
        long memoryBytes,
        long freeMemoryBytes,
        Map<String, String> attributes) {

    public HostInfo {
        Objects.requireNonNull(hostname, "hostname is null");
        Objects.requireNonNull(uri, "uri is null");
        Objects.requireNonNull(architecture, "architecture is null");
        guestArchitectures = Set.copyOf(guestArchitectures);
        accelerators = Set.copyOf(accelerators);
        Objects.requireNonNull(cpuModel, "cpuModel is null");
        attributes = Map.copyOf(attributes);
    }
}
