package io.livcloud.plugin.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Evidence that a host's CPU can run KVM guests in hardware: the VMX (Intel VT-x) or SVM (AMD-V) flag.
 *
 * <p>For a host on this machine (a {@code qemu:///…} URI, with or without {@code ?socket=}) the evidence is the
 * kernel's {@code /proc/cpuinfo}, which also drops the flag when firmware disabled it. For a remote host it is the
 * feature list of the host CPU in libvirt's capabilities, the same CPUID bits seen from there.
 */
enum HardwareVirtualization {
    /** Intel VT-x. */
    VMX,
    /** AMD-V. */
    SVM,
    /** Neither flag: KVM cannot run ordinary guests here. */
    NONE;

    /** Reads {@code /proc/cpuinfo}; empty when it cannot be read (not Linux). */
    static final Supplier<Optional<String>> PROC_CPUINFO = () -> {
        try {
            return Optional.of(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return Optional.empty();
        }
    };

    /**
     * The evidence for one host.
     *
     * @param capabilities the host's capabilities
     * @param local whether the host is this machine
     * @param cpuinfo this machine's {@code /proc/cpuinfo}, read only when {@code local}
     */
    static HardwareVirtualization of(HostCapabilities capabilities, boolean local,
            Supplier<Optional<String>> cpuinfo) {
        Set<String> flags = local
                ? cpuinfo.get().map(HardwareVirtualization::cpuinfoFlags).orElse(capabilities.cpuFeatures())
                : capabilities.cpuFeatures();
        if (flags.contains("vmx")) {
            return VMX;
        }
        return flags.contains("svm") ? SVM : NONE;
    }

    /** The flags of all {@code flags : …} lines of a {@code /proc/cpuinfo}. */
    static Set<String> cpuinfoFlags(String cpuinfo) {
        return cpuinfo.lines()
                .filter(line -> line.startsWith("flags"))
                .map(line -> line.substring(line.indexOf(':') + 1))
                .flatMap(flags -> Arrays.stream(flags.trim().split("\\s+")))
                .collect(Collectors.toSet());
    }
}
