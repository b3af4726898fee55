package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.plugin.kvm.probe.HostInspection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Evidence that a host's CPU can run KVM guests in hardware: the VMX (Intel VT-x) or SVM (AMD-V) flag.
 *
 * <p>For a host on this machine (a {@code qemu:///…} URI, with or without {@code ?socket=}) the evidence is what the
 * {@code host} register probe finds ({@link HostInspection}): the kernel's {@code /proc/cpuinfo} flags (which drop
 * VMX when firmware disabled it), a hardware KVM backend ({@code kvm_intel}/{@code kvm_amd}, not {@code kvm_pvm}) and
 * a working {@code /dev/kvm}; so {@code accelerator = auto} and the probe's verdict cannot disagree. The same holds
 * for a host reached through host access: there the inspection reads that host's files and devices. For a host
 * reached by a remote URI it is the feature list of the host CPU in libvirt's capabilities, the same CPUID bits seen
 * from there.
 */
enum HardwareVirtualization {
    /** Intel VT-x. */
    VMX,
    /** AMD-V. */
    SVM,
    /** Neither flag, or no hardware KVM backend behind it: KVM cannot run ordinary guests here. */
    NONE;

    /** Inspects this machine; empty when that fails outright (not Linux). */
    static final Supplier<Optional<HostFacts>> THIS_MACHINE = () -> {
        try {
            return Optional.of(HostInspection.ofThisMachine());
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
    };

    /**
     * The evidence for one host.
     *
     * @param capabilities the host's capabilities
     * @param local whether the host is this machine
     * @param localHost this machine's facts, inspected only when {@code local}
     */
    static HardwareVirtualization of(HostCapabilities capabilities, boolean local,
            Supplier<Optional<HostFacts>> localHost) {
        return of(capabilities, local ? localHost.get() : Optional.empty());
    }

    /**
     * The evidence for one host.
     *
     * @param facts the host's facts as {@link HostInspection} finds them, on this machine or through host access;
     *     empty when they are not known, and then the capabilities tell
     */
    static HardwareVirtualization of(HostCapabilities capabilities, Optional<HostFacts> facts) {
        Optional<String> flag = facts.isPresent()
                ? facts.get().hardwareFlag().filter(present -> facts.get().hardwareKvmLikely())
                : HostInspection.hardwareFlag(capabilities.cpuFeatures());
        return flag.map(name -> name.equals("vmx") ? VMX : SVM).orElse(NONE);
    }

    /** The flags of all {@code flags : …} lines of a {@code /proc/cpuinfo}. */
    static Set<String> cpuinfoFlags(String cpuinfo) {
        return HostInspection.cpuinfoFlags(cpuinfo);
    }
}
