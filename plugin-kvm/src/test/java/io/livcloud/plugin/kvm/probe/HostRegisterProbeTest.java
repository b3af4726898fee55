package io.livcloud.plugin.kvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.probe.Evidence;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.ProbeRequest;
import io.livcloud.spi.probe.Remedy;
import io.livcloud.spi.probe.SpeedClass;
import io.livcloud.spi.probe.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host probe on fixture trees of six kinds of host, with a fake guest boot for the functional test. */
class HostRegisterProbeTest {

    private static final ProbeRequest EVIDENCE_ONLY = new ProbeRequest(false, Duration.ofSeconds(20));
    private static final ProbeRequest FUNCTIONAL = new ProbeRequest(true, Duration.ofSeconds(20));

    @TempDir
    Path temporary;

    /** A guest boot that answers as told, per accelerator. */
    record FakeBoot(boolean kvmReaches, boolean tcgReaches, boolean starts) implements GuestBoot {
        @Override
        public Outcome boot(Accelerator accelerator, Duration timeout) {
            boolean reaches = accelerator == Accelerator.KVM ? kvmReaches : tcgReaches;
            return new Outcome(reaches && starts, starts, reaches ? Duration.ofMillis(2900) : timeout,
                    "fake " + accelerator);
        }
    }

    private ProbeReport probe(String fixture, ProbeRequest request, Optional<GuestBoot> boot) throws IOException {
        Path kernel = Files.writeString(temporary.resolve("vmlinuz"), "kernel");
        Path initrd = Files.writeString(temporary.resolve("initrd"), "initrd");
        HostProbeConfig settings = new HostProbeConfig(Optional.of(kernel), Optional.of(initrd),
                Duration.ofSeconds(20), "qemu-system-x86_64");
        HostFacts facts = FixtureHost.inspect(fixture, temporary);
        try (HostRegisterProbe probe = new HostRegisterProbe(() -> facts, settings, boot,
                System.getLogger("test"))) {
            return probe.probe(request);
        }
    }

    private static Evidence evidence(ProbeReport report, String item) {
        return report.evidence().stream().filter(e -> e.item().equals(item)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + item + " in " + report.evidence()));
    }

    private static String value(ProbeReport report, String item) {
        return evidence(report, item).value();
    }

    @Test
    void intelHostWithNestedVmxIsHardwareWhenTheGuestBootsUnderKvm() throws IOException {
        ProbeReport report = probe("intel-nested-vmx", FUNCTIONAL, Optional.of(new FakeBoot(true, true, true)));

        assertThat(report.verdict()).isEqualTo(Verdict.HARDWARE);
        assertThat(report.accelerator()).contains(Accelerator.KVM);
        assertThat(report.speedClass()).isEqualTo(SpeedClass.NEAR_NATIVE);
        assertThat(report.platform()).isEqualTo("bare metal");
        assertThat(report.remedies()).isEmpty();
        assertThat(value(report, "cpu vendor")).isEqualTo("GenuineIntel");
        assertThat(value(report, "cpu flag vmx")).isEqualTo("present");
        assertThat(value(report, "cpu flag svm")).isEqualTo("absent");
        assertThat(value(report, "CPUID.1:ECX[5] (VMX)")).isEqualTo("1");
        assertThat(evidence(report, "IA32_FEATURE_CONTROL (0x3A)"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("0x5"))
                .satisfies(e -> assertThat(e.source()).isEqualTo("/dev/cpu/0/msr"))
                .satisfies(e -> assertThat(e.note()).contains("lock bit 0 = 1", "VMX outside SMX bit 2 = 1"));
        assertThat(value(report, "CR4.VMXE (bit 13) may be set")).isEqualTo("yes");
        assertThat(evidence(report, "kvm backend kvm_intel"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("loaded"))
                .satisfies(e -> assertThat(e.note()).isEqualTo("nested=Y"));
        assertThat(value(report, "KVM_GET_API_VERSION")).isEqualTo("12");
        assertThat(value(report, "KVM_CAP_NESTED_STATE (157)")).isEqualTo("16384");
        assertThat(value(report, "CONFIG_KVM_INTEL")).isEqualTo("m");
        assertThat(value(report, "kernel command line (virtualization)")).isEqualTo("kvm_intel.nested=1");
        assertThat(value(report, "functional test -accel kvm")).startsWith("reached user space");
        assertThat(evidence(report, "verdict basis").note()).contains("under -accel kvm");
    }

    @Test
    void amdHostWithSvmIsHardwareOnEvidenceAloneAndSaysTheFunctionalTestDidNotRun() throws IOException {
        ProbeReport report = probe("amd-svm", EVIDENCE_ONLY, Optional.of(new FakeBoot(true, true, true)));

        assertThat(report.verdict()).isEqualTo(Verdict.HARDWARE);
        assertThat(report.accelerator()).contains(Accelerator.KVM);
        assertThat(report.platform()).isEqualTo("bare metal");
        assertThat(value(report, "cpu flag svm")).isEqualTo("present");
        assertThat(value(report, "CPUID.80000001h:ECX[2] (SVM)")).isEqualTo("1");
        assertThat(evidence(report, "kvm backend kvm_amd").note()).contains("nested=1");
        assertThat(value(report, "functional test")).isEqualTo("not requested");
        assertThat(evidence(report, "verdict basis").note()).startsWith("evidence only");
        assertThat(report.evidence()).noneMatch(e -> e.item().startsWith("IA32_FEATURE_CONTROL"))
                .as("IA32_FEATURE_CONTROL is Intel's; AMD's switch is VM_CR");
        assertThat(evidence(report, "VM_CR (0xC0010114)"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("absent"))
                .satisfies(e -> assertThat(e.note()).contains("msr driver is not loaded"));
    }

    @Test
    void ec2C4OnXenHasNoVmxAndRunsSoftwareWithTheNestedInstanceAsRemedy() throws IOException {
        ProbeReport report = probe("ec2-c4-xen", FUNCTIONAL, Optional.of(new FakeBoot(false, true, true)));

        assertThat(report.verdict()).isEqualTo(Verdict.SOFTWARE);
        assertThat(report.accelerator()).contains(Accelerator.TCG);
        assertThat(report.speedClass()).isEqualTo(SpeedClass.EMULATED);
        assertThat(report.platform()).isEqualTo("EC2 Xen");
        assertThat(value(report, "cpu flag vmx")).isEqualTo("absent");
        assertThat(value(report, "cpu flag hypervisor")).isEqualTo("present");
        assertThat(value(report, "/dev/kvm")).isEqualTo("absent");
        assertThat(evidence(report, "CPUID.1:ECX[5] (VMX)"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("absent"))
                .satisfies(e -> assertThat(e.note()).contains("cpuid driver is not loaded").isNotEmpty());
        assertThat(value(report, "hypervisor type")).isEqualTo("xen");
        assertThat(value(report, "functional test -accel kvm")).isEqualTo("not run");
        assertThat(value(report, "functional test -accel tcg")).startsWith("reached user space");
        assertThat(report.remedies()).extracting(Remedy::action)
                .anyMatch(action -> action.contains("c8i") && action.contains("NestedVirtualization=enabled")
                        && action.contains("*.metal"));
    }

    @Test
    void ec2C8iWithNestedVirtualizationEnabledIsHardware() throws IOException {
        ProbeReport report = probe("ec2-c8i-nested", FUNCTIONAL, Optional.of(new FakeBoot(true, true, true)));

        assertThat(report.verdict()).isEqualTo(Verdict.HARDWARE);
        assertThat(report.accelerator()).contains(Accelerator.KVM);
        assertThat(report.platform()).isEqualTo("EC2 Nitro");
        assertThat(value(report, "CPUID.40000000h vendor signature")).isEqualTo("KVMKVMKVM");
        assertThat(value(report, "CPUID.1:ECX[31] (hypervisor)")).isEqualTo("1");
        assertThat(value(report, "dmi product_name")).isEqualTo("c8i.large");
        assertThat(report.remedies()).isEmpty();
    }

    @Test
    void pvmHostLikeTheDevelopmentMachineIsPvmWithTcgForOrdinaryGuests() throws IOException {
        ProbeReport report = probe("pvm-host", FUNCTIONAL, Optional.of(new FakeBoot(false, true, true)));

        assertThat(report.verdict()).isEqualTo(Verdict.PVM);
        assertThat(report.accelerator()).contains(Accelerator.TCG);
        assertThat(report.speedClass()).isEqualTo(SpeedClass.EMULATED);
        assertThat(report.platform()).isEqualTo("KVM guest");
        assertThat(value(report, "cpu vendor")).isEqualTo("AuthenticAMD");
        assertThat(value(report, "cpu flag vmx")).isEqualTo("absent");
        assertThat(value(report, "cpu flag svm")).isEqualTo("absent");
        assertThat(value(report, "CPUID.80000001h:ECX[2] (SVM)")).isEqualTo("0");
        assertThat(value(report, "CPUID.40000000h vendor signature")).isEqualTo("KVMKVMKVM");
        assertThat(evidence(report, "kvm backend kvm_pvm").value()).isEqualTo("loaded");
        assertThat(value(report, "kvm backend kvm_intel")).isEqualTo("absent");
        assertThat(value(report, "CONFIG_KVM_PVM")).isEqualTo("y");
        assertThat(value(report, "CONFIG_KVM_INTEL")).isEqualTo("not set");
        assertThat(value(report, "CONFIG_MODULES")).isEqualTo("not set");
        assertThat(value(report, "CONFIG_X86_MSR")).isEqualTo("not set");
        assertThat(evidence(report, "VM_CR (0xC0010114)"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("absent"))
                .satisfies(e -> assertThat(e.note()).contains("/dev/cpu/0/msr does not exist", "CONFIG_MODULES"));
        assertThat(value(report, "kernel command line (virtualization)")).contains("nested_pvm=1");
        assertThat(value(report, "/dev/kvm")).isEqualTo("present, opens read-write");
        assertThat(value(report, "functional test -accel kvm")).startsWith("no user space after");
        assertThat(report.remedies()).extracting(Remedy::action)
                .anyMatch(action -> action.contains("PVM-enabled kernel"));
    }

    @Test
    void pvmHostRunsAPvmGuestKernelAsKvmPvm() throws IOException {
        ProbeReport withPvmKernel = probe("pvm-host", FUNCTIONAL, Optional.of(new FakeBoot(true, true, true)));
        ProbeReport evidenceOnly = probe("pvm-host", EVIDENCE_ONLY, Optional.empty());

        assertThat(withPvmKernel.verdict()).isEqualTo(Verdict.PVM);
        assertThat(withPvmKernel.accelerator()).contains(Accelerator.KVM_PVM);
        assertThat(withPvmKernel.speedClass()).isEqualTo(SpeedClass.PARAVIRTUAL);
        assertThat(evidenceOnly.verdict()).isEqualTo(Verdict.PVM);
        assertThat(evidenceOnly.accelerator()).contains(Accelerator.TCG);
    }

    @Test
    void hostWithVtxDisabledInFirmwareIsSoftwareAndNamesTheFirmwareSwitch() throws IOException {
        ProbeReport report = probe("no-virtualization", EVIDENCE_ONLY, Optional.empty());

        assertThat(report.verdict()).isEqualTo(Verdict.SOFTWARE);
        assertThat(report.accelerator()).contains(Accelerator.TCG);
        assertThat(report.platform()).isEqualTo("bare metal");
        assertThat(value(report, "cpu flag vmx")).isEqualTo("absent");
        assertThat(value(report, "CPUID.1:ECX[5] (VMX)")).as("the CPU has it; firmware turned it off").isEqualTo("1");
        assertThat(value(report, "IA32_FEATURE_CONTROL (0x3A)")).isEqualTo("0x1");
        assertThat(value(report, "/dev/kvm")).isEqualTo("absent");
        assertThat(report.remedies()).extracting(Remedy::action)
                .containsExactly("enable VT-x (Intel Virtualization Technology) in firmware: IA32_FEATURE_CONTROL "
                        + "is locked with VMX disabled");
    }

    @Test
    void hostWhereNoGuestBootsIsNone() throws IOException {
        ProbeReport report = probe("no-virtualization", FUNCTIONAL, Optional.of(new FakeBoot(false, true, false)));

        assertThat(report.verdict()).isEqualTo(Verdict.NONE);
        assertThat(report.accelerator()).isEmpty();
        assertThat(report.speedClass()).isEqualTo(SpeedClass.NONE);
        assertThat(value(report, "functional test -accel tcg")).isEqualTo("did not start");
        assertThat(report.remedies()).extracting(Remedy::action)
                .contains("install QEMU: apt-get install qemu-system-x86");
    }

    @Test
    void functionalTestWithoutAKernelIsUnavailableAndSaysSo() throws IOException {
        ProbeReport report = probe("intel-nested-vmx", FUNCTIONAL, Optional.empty());

        assertThat(evidence(report, "functional test"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("unavailable"))
                .satisfies(e -> assertThat(e.note()).contains("functional-test-kernel", "evidence only"));
        assertThat(report.verdict()).isEqualTo(Verdict.HARDWARE);
    }
}
