package io.livcloud.plugin.kvm;

import static io.livcloud.plugin.kvm.FakeLibvirt.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.spi.hypervisor.Accelerator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostCapabilitiesTest {

    private static final HostCapabilities CAPTURED = HostCapabilities.parse(resource("capabilities-x86_64-tcg-only.xml"));
    private static final HostCapabilities WITH_VMX = HostCapabilities.parse(resource("capabilities-x86_64-tcg-only.xml")
            .replace("<feature name='vme'/>", "<feature name='vme'/><feature name='vmx'/>"));

    @Test
    void readsTheCapturedHost() {
        assertThat(CAPTURED.hostUuid()).isEqualTo("6c1c7d3e-5a0e-4d7b-9c1e-000000000001");
        assertThat(CAPTURED.architecture()).isEqualTo("x86_64");
        assertThat(CAPTURED.cpuModel()).isEqualTo("kvm64");
        assertThat(CAPTURED.cpuVendor()).isEqualTo("AMD");
        assertThat(CAPTURED.cpuFeatures()).contains("avx2", "hypervisor").doesNotContain("vmx", "svm");
        assertThat(CAPTURED.hostCpuXml()).startsWith("<cpu>").contains("<model>kvm64</model>");
        assertThat(CAPTURED.guestDomainTypes()).containsOnlyKeys("i686", "x86_64");
        assertThat(CAPTURED.guestDomainTypes().get("i686")).containsExactlyInAnyOrder("qemu", "kvm");
        assertThat(CAPTURED.offers("x86_64", "kvm")).isTrue();
        assertThat(CAPTURED.offers("aarch64", "qemu")).isFalse();
    }

    @Test
    void autoDoesNotTrustLibvirtsKvmWithoutVmxOrSvm() {
        HardwareVirtualization none = HardwareVirtualization.of(CAPTURED, false, Optional::empty);

        assertThat(none).isEqualTo(HardwareVirtualization.NONE);
        assertThat(AcceleratorMode.AUTO.usable(CAPTURED, none)).containsExactly(Accelerator.TCG);
        assertThat(AcceleratorMode.KVM.usable(CAPTURED, none)).containsExactlyInAnyOrder(Accelerator.KVM,
                Accelerator.TCG);
        assertThat(AcceleratorMode.TCG.usable(CAPTURED, none)).containsExactly(Accelerator.TCG);
    }

    @Test
    void autoCountsKvmWithHardwareVirtualization() {
        HardwareVirtualization vmx = HardwareVirtualization.of(WITH_VMX, false, Optional::empty);

        assertThat(vmx).isEqualTo(HardwareVirtualization.VMX);
        assertThat(AcceleratorMode.AUTO.usable(WITH_VMX, vmx)).containsExactlyInAnyOrder(Accelerator.KVM,
                Accelerator.TCG);
        assertThat(AcceleratorMode.TCG.usable(WITH_VMX, vmx)).containsExactly(Accelerator.TCG);
    }

    @Test
    void aLocalHostIsJudgedByTheHostProbesEvidence() {
        String amdWithSvm = "processor\t: 0\nflags\t\t: fpu vme de svm lm\n\nprocessor\t: 1\nflags\t\t: fpu svm lm\n";

        assertThat(HardwareVirtualization.of(CAPTURED, true, () -> Optional.of(local("svm", "kvm_amd"))))
                .isEqualTo(HardwareVirtualization.SVM);
        assertThat(HardwareVirtualization.of(WITH_VMX, true, () -> Optional.of(local(null, "kvm_pvm"))))
                .as("firmware may disable VMX, or KVM may be kvm_pvm: this machine's evidence wins")
                .isEqualTo(HardwareVirtualization.NONE);
        assertThat(HardwareVirtualization.of(WITH_VMX, true, () -> Optional.of(local("vmx"))))
                .as("VMX without kvm_intel runs nothing in hardware")
                .isEqualTo(HardwareVirtualization.NONE);
        assertThat(HardwareVirtualization.of(WITH_VMX, true, Optional::empty))
                .as("no /proc: the capabilities decide")
                .isEqualTo(HardwareVirtualization.VMX);
        assertThat(HardwareVirtualization.cpuinfoFlags(amdWithSvm)).isEqualTo(Set.of("fpu", "vme", "de", "svm", "lm"));
    }

    private static HostFacts local(String flag, String... backends) {
        return new HostFacts("", Optional.ofNullable(flag), false, true, Set.of(backends), true, "bare metal",
                List.of());
    }

    @Test
    void aHostWithoutTheQemuTypeHasNoTcg() {
        HostCapabilities kvmOnly = HostCapabilities.parse(resource("capabilities-x86_64-tcg-only.xml")
                .replace("<domain type='qemu'/>", ""));

        assertThat(AcceleratorMode.TCG.usable(kvmOnly, HardwareVirtualization.NONE)).isEmpty();
    }
}
