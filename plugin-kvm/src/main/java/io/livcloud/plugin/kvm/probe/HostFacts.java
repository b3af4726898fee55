package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.probe.Evidence;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link HostInspection} found, distilled for the verdict, plus every fact as {@link Evidence}.
 *
 * @param cpuVendor {@code GenuineIntel}, {@code AuthenticAMD}, or empty
 * @param hardwareFlag {@code vmx} or {@code svm} when the CPU (as the kernel or CPUID reports it) has one
 * @param firmwareDisabled firmware turned virtualization off: IA32_FEATURE_CONTROL locked with VMX outside SMX clear
 *     (Intel), or VM_CR.SVMDIS set (AMD)
 * @param kvmUsable {@code /dev/kvm} opens and answers KVM_GET_API_VERSION with 12
 * @param backends the KVM backends loaded or built in: {@code kvm_intel}, {@code kvm_amd}, {@code kvm_pvm}
 * @param modulesSupported whether the kernel can load modules ({@code CONFIG_MODULES}); true when unknown
 * @param platform where the host runs, e.g. {@code EC2 Nitro}
 * @param evidence every fact, with its source
 */
public record HostFacts(
        String cpuVendor,
        Optional<String> hardwareFlag,
        boolean firmwareDisabled,
        boolean kvmUsable,
        Set<String> backends,
        boolean modulesSupported,
        String platform,
        List<Evidence> evidence) {

    public HostFacts {
        Objects.requireNonNull(cpuVendor, "cpuVendor is null");
        Objects.requireNonNull(hardwareFlag, "hardwareFlag is null");
        backends = Set.copyOf(backends);
        Objects.requireNonNull(platform, "platform is null");
        evidence = List.copyOf(evidence);
    }

    /** A KVM backend that runs ordinary guests in hardware is loaded. */
    public boolean hardwareBackend() {
        return backends.contains("kvm_intel") || backends.contains("kvm_amd");
    }

    /**
     * Whether KVM can run ordinary guests in hardware here, on the evidence alone: VMX or SVM, a hardware backend and a
     * usable {@code /dev/kvm}. The kvm hypervisor's {@code accelerator = auto} and the probe's verdict both ask this.
     */
    public boolean hardwareKvmLikely() {
        return hardwareFlag.isPresent() && hardwareBackend() && kvmUsable && !firmwareDisabled;
    }

    /** KVM is backed by PVM and the CPU has no VMX/SVM: only PVM guest kernels run accelerated. */
    public boolean pvmOnly() {
        return backends.contains("kvm_pvm") && kvmUsable && !hardwareKvmLikely();
    }
}
