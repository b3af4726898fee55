package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.probe.Evidence;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.Remedy;
import io.livcloud.spi.probe.SpeedClass;
import io.livcloud.spi.probe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a host's facts and, when it ran, the functional test into a verdict. The functional test wins: evidence can
 * only say what should work, a booted guest says what does.
 */
final class HostVerdict {

    private HostVerdict() {
    }

    /**
     * The report.
     *
     * @param facts what {@link HostInspection} found
     * @param kvmBoot the boot under {@code -accel kvm}, when it ran
     * @param tcgBoot the boot under {@code -accel tcg}, when it ran (the functional test ran iff present)
     * @param functionalTestEvidence how the functional test went, or why it did not run
     */
    static ProbeReport decide(HostFacts facts, Optional<GuestBoot.Outcome> kvmBoot,
            Optional<GuestBoot.Outcome> tcgBoot, List<Evidence> functionalTestEvidence) {
        boolean functional = tcgBoot.isPresent();
        boolean kvmPassed = kvmBoot.map(GuestBoot.Outcome::reachedUserSpace).orElse(false);
        boolean tcgPassed = tcgBoot.map(GuestBoot.Outcome::reachedUserSpace).orElse(false);
        Verdict verdict;
        Optional<Accelerator> accelerator;
        SpeedClass speed;
        String basis;
        if (kvmPassed && facts.pvmOnly()) {
            verdict = Verdict.PVM;
            accelerator = Optional.of(Accelerator.KVM_PVM);
            speed = SpeedClass.PARAVIRTUAL;
            basis = "functional test: the test kernel booted under kvm_pvm, so it is PVM-enabled";
        } else if (kvmPassed) {
            verdict = Verdict.HARDWARE;
            accelerator = Optional.of(Accelerator.KVM);
            speed = SpeedClass.NEAR_NATIVE;
            basis = "functional test: the guest reached user space under -accel kvm";
        } else if (functional && !tcgPassed) {
            verdict = Verdict.NONE;
            accelerator = Optional.empty();
            speed = SpeedClass.NONE;
            basis = "functional test: the guest reached user space under neither kvm nor tcg";
        } else if (!functional && facts.hardwareKvmLikely()) {
            verdict = Verdict.HARDWARE;
            accelerator = Optional.of(Accelerator.KVM);
            speed = SpeedClass.NEAR_NATIVE;
            basis = "evidence only (no functional test): " + facts.hardwareFlag().orElseThrow()
                    + ", a hardware KVM backend and a working /dev/kvm";
        } else if (facts.pvmOnly()) {
            verdict = Verdict.PVM;
            accelerator = Optional.of(Accelerator.TCG);
            speed = SpeedClass.EMULATED;
            basis = (functional ? "functional test: an ordinary guest did not reach user space under -accel kvm; "
                    + "tcg works" : "evidence only (no functional test)")
                    + "; /dev/kvm is kvm_pvm without VMX/SVM, so ordinary guests need TCG and only PVM-enabled "
                    + "guest kernels run as KVM_PVM";
        } else {
            verdict = Verdict.SOFTWARE;
            accelerator = Optional.of(Accelerator.TCG);
            speed = SpeedClass.EMULATED;
            basis = functional
                    ? "functional test: " + (kvmBoot.isPresent() ? "the guest did not reach user space under -accel "
                            + "kvm; " : "kvm not tried (no usable /dev/kvm); ") + "tcg works"
                    : "evidence only (no functional test): no usable hardware KVM";
        }
        List<Evidence> evidence = new ArrayList<>(facts.evidence());
        evidence.addAll(functionalTestEvidence);
        evidence.add(new Evidence("verdict basis", verdict.name(), "this probe", basis));
        return new ProbeReport(verdict, accelerator, speed, facts.platform(), evidence,
                remedies(facts, verdict, functional && !tcgPassed && tcgBoot.map(b -> !b.started()).orElse(false)));
    }

    private static List<Remedy> remedies(HostFacts facts, Verdict verdict, boolean qemuMissing) {
        List<Remedy> remedies = new ArrayList<>();
        if (verdict == Verdict.HARDWARE) {
            return remedies;
        }
        String hardware = "HARDWARE (near-native KVM) instead of " + verdict;
        if (qemuMissing) {
            remedies.add(new Remedy("install QEMU: apt-get install qemu-system-x86", "SOFTWARE (TCG) at least"));
        }
        if (facts.backends().contains("kvm_pvm") && facts.hardwareFlag().isEmpty()) {
            remedies.add(new Remedy("boot guests with a PVM-enabled kernel (CONFIG_PVM_GUEST=y)",
                    "those guests run as KVM_PVM (paravirtual) instead of emulated"));
        }
        if (facts.firmwareDisabled()) {
            remedies.add(new Remedy(facts.cpuVendor().equals("AuthenticAMD")
                    ? "enable SVM (AMD-V) in firmware: VM_CR.SVMDIS is set"
                    : "enable VT-x (Intel Virtualization Technology) in firmware: IA32_FEATURE_CONTROL is locked with "
                            + "VMX disabled", hardware));
        }
        Optional<String> flag = facts.hardwareFlag();
        if (flag.isPresent() && !facts.hardwareBackend()) {
            String module = flag.get().equals("vmx") ? "kvm_intel" : "kvm_amd";
            remedies.add(new Remedy(facts.modulesSupported()
                    ? "load " + module + " with nested=1 (modprobe " + module + " nested=1)"
                    : "boot a kernel with CONFIG_" + module.toUpperCase(java.util.Locale.ROOT)
                            + "=y (this one cannot load modules)", hardware));
        } else if (flag.isPresent() && !facts.kvmUsable()) {
            remedies.add(new Remedy("make /dev/kvm usable: run as root or in group kvm", hardware));
        }
        if (flag.isEmpty()) {
            String platform = facts.platform();
            if (platform.startsWith("EC2")) {
                remedies.add(new Remedy("launch a c8i, m8i or r8i instance with CpuOptions.NestedVirtualization="
                        + "enabled, or a *.metal instance", hardware));
            } else if (platform.equals("Azure")) {
                remedies.add(new Remedy("use a Dv3/Ev3 or later size with security type Standard (Trusted Launch "
                        + "and confidential VMs hide VMX)", hardware));
            } else if (platform.equals("GCP")) {
                remedies.add(new Remedy("create the instance on an Intel machine type with "
                        + "advancedMachineFeatures.enableNestedVirtualization=true", hardware));
            } else if (platform.equals("bare metal") && !facts.firmwareDisabled()) {
                remedies.add(new Remedy("enable VT-x or AMD-V in firmware", hardware));
            } else if (!platform.equals("bare metal")) {
                remedies.add(new Remedy("ask the provider of this " + platform + " for nested virtualization "
                        + "(a CPU model with vmx or svm)", hardware));
            }
        }
        return remedies;
    }
}
