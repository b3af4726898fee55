package io.livcloud.lab.guest;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.Set;

/**
 * What {@link LabGuest#domainXml(DomainSpec)} needs to describe a lab guest to libvirt.
 *
 * <p>The serial log is opened in append mode, so that a destination that writes to the same file after a migration
 * continues it rather than truncating it: delete the file before starting a new guest with it, or its heartbeats
 * follow the previous guest's (and {@link HeartbeatLog#hasReset()} is true).
 *
 * @param name the libvirt domain name
 * @param image the kernel and initramfs to boot
 * @param memoryMiB guest memory; {@link #of} uses 256
 * @param vcpus virtual CPUs; {@link #of} uses 1
 * @param dirtyRateMiBps how fast the workload dirties its working set at start ({@code livcloud.rate}), 0 for idle
 * @param workingSetMiB the workload's working set at start ({@code livcloud.wss}), less than the memory
 * @param domainType {@code qemu} for TCG (emulation; what this lab uses), {@code kvm} for hardware virtualization
 * @param serialLogPath where ttyS0 (console, heartbeats) is written, an absolute path on the libvirt host
 * @param controlSocketPath the Unix socket for ttyS1 (control lines), created by QEMU; absolute path on the host
 * @param nic the network card; empty for none
 */
public record DomainSpec(
        String name,
        GuestImage image,
        int memoryMiB,
        int vcpus,
        int dirtyRateMiBps,
        int workingSetMiB,
        String domainType,
        String serialLogPath,
        String controlSocketPath,
        Optional<GuestNic> nic) {

    public static final int DEFAULT_MEMORY_MIB = 256;
    public static final int DEFAULT_WORKING_SET_MIB = 64;
    private static final Set<String> DOMAIN_TYPES = Set.of("qemu", "kvm");

    public DomainSpec {
        requireNonNull(name, "name is null");
        requireNonNull(image, "image is null");
        requireNonNull(domainType, "domainType is null");
        requireNonNull(serialLogPath, "serialLogPath is null");
        requireNonNull(controlSocketPath, "controlSocketPath is null");
        requireNonNull(nic, "nic is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name is blank");
        }
        if (!DOMAIN_TYPES.contains(domainType)) {
            throw new IllegalArgumentException("domainType is '" + domainType + "', expected qemu (TCG) or kvm");
        }
        if (vcpus < 1) {
            throw new IllegalArgumentException("vcpus is " + vcpus + ", expected at least 1");
        }
        if (dirtyRateMiBps < 0) {
            throw new IllegalArgumentException("dirtyRateMiBps is " + dirtyRateMiBps + ", expected 0 or more");
        }
        if (workingSetMiB < 1 || workingSetMiB >= memoryMiB) {
            throw new IllegalArgumentException("workingSetMiB is " + workingSetMiB
                    + ", expected at least 1 and less than the memory (" + memoryMiB + " MiB)");
        }
        if (!serialLogPath.startsWith("/") || !controlSocketPath.startsWith("/")) {
            throw new IllegalArgumentException("serialLogPath and controlSocketPath must be absolute, were '"
                    + serialLogPath + "' and '" + controlSocketPath + "'");
        }
    }

    /** A guest without a network card. */
    public DomainSpec(String name, GuestImage image, int memoryMiB, int vcpus, int dirtyRateMiBps, int workingSetMiB,
            String domainType, String serialLogPath, String controlSocketPath) {
        this(name, image, memoryMiB, vcpus, dirtyRateMiBps, workingSetMiB, domainType, serialLogPath,
                controlSocketPath, Optional.empty());
    }

    /**
     * An idle TCG guest with the defaults: 256 MiB, 1 vCPU, dirty rate 0, working set 64 MiB.
     */
    public static DomainSpec of(String name, GuestImage image, String serialLogPath, String controlSocketPath) {
        return new DomainSpec(name, image, DEFAULT_MEMORY_MIB, 1, 0, DEFAULT_WORKING_SET_MIB, "qemu", serialLogPath,
                controlSocketPath);
    }

    public DomainSpec withMemoryMiB(int memory) {
        return new DomainSpec(name, image, memory, vcpus, dirtyRateMiBps, workingSetMiB, domainType, serialLogPath,
                controlSocketPath, nic);
    }

    public DomainSpec withVcpus(int count) {
        return new DomainSpec(name, image, memoryMiB, count, dirtyRateMiBps, workingSetMiB, domainType, serialLogPath,
                controlSocketPath, nic);
    }

    public DomainSpec withDirtyRateMiBps(int rate) {
        return new DomainSpec(name, image, memoryMiB, vcpus, rate, workingSetMiB, domainType, serialLogPath,
                controlSocketPath, nic);
    }

    public DomainSpec withWorkingSetMiB(int workingSet) {
        return new DomainSpec(name, image, memoryMiB, vcpus, dirtyRateMiBps, workingSet, domainType, serialLogPath,
                controlSocketPath, nic);
    }

    public DomainSpec withDomainType(String type) {
        return new DomainSpec(name, image, memoryMiB, vcpus, dirtyRateMiBps, workingSetMiB, type, serialLogPath,
                controlSocketPath, nic);
    }

    public DomainSpec withNic(GuestNic card) {
        return new DomainSpec(name, image, memoryMiB, vcpus, dirtyRateMiBps, workingSetMiB, domainType, serialLogPath,
                controlSocketPath, Optional.of(card));
    }
}
