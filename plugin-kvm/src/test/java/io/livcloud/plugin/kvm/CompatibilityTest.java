package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.libvirt.CpuComparison;
import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.Architecture;
import io.livcloud.spi.hypervisor.Compatibility;
import io.livcloud.spi.hypervisor.Compatibility.Problem;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.testing.TestingExtensionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The compatibility rules, asked of a source connection about a destination host. */
class CompatibilityTest {

    private static final String SOURCE = "qemu:///system?socket=/srv/lab/a/run/libvirt-sock";
    private static final String DESTINATION = "qemu:///system?socket=/srv/lab/b/run/libvirt-sock";

    private final FakeLibvirt libvirt = new FakeLibvirt();
    private final FakeLibvirt.Host source = libvirt.host(SOURCE, "site-a");
    private final FakeLibvirt.Host destination = libvirt.host(DESTINATION, "site-b");
    private final KvmHypervisor hypervisor = new KvmHypervisor(libvirt,
            KvmConfig.from(KvmConfigs.defaults()), new TestingExtensionContext("kvm"), Optional::empty);
    private HypervisorConnection connection;

    @BeforeEach
    void connect() {
        source.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);
        source.domain("tiny32", "domain-i686-running.xml", DomainState.RUNNING);
        source.domain("web1", "domain-kvm-disks-defined.xml", DomainState.RUNNING);
        connection = hypervisor.connect(SOURCE);
    }

    @AfterEach
    void close() {
        connection.close();
        assertThat(libvirt.openConnections()).as("the destination's connection is closed too").isZero();
    }

    @Test
    void aTcgGuestMovesToAnotherTcgHost() {
        Compatibility compatibility = connection.checkCompatibility(vm("tiny"), destinationInfo());

        assertThat(compatibility.problems()).isEmpty();
        assertThat(destination.comparedVirtTypes).as("TCG: QEMU's emulated CPU is what counts")
                .containsExactly("x86_64/qemu");
    }

    @Test
    void a64BitGuestNeedsAHostThatRuns64BitGuests() {
        HostInfo only32 = destination(Set.of(Architecture.I686), Set.of(Accelerator.TCG), 8L << 30);

        assertThat(connection.checkCompatibility(vm("tiny"), only32).problems()).containsExactly(new Problem(
                "architecture",
                "VM 'tiny' is a 64-bit x86_64 guest; host 'site-b' runs only i686 guests",
                "choose a destination whose hypervisor runs x86_64 guests: a 64-bit host"));
    }

    @Test
    void a32BitGuestMayGoToA64BitHostThatRunsI686Guests() {
        HostInfo both = destinationInfo();
        HostInfo only64 = destination(Set.of(Architecture.X86_64), Set.of(Accelerator.TCG), 8L << 30);

        assertThat(connection.checkCompatibility(vm("tiny32"), both).isCompatible()).isTrue();
        assertThat(destination.comparedVirtTypes).containsExactly("i686/qemu");
        assertThat(connection.checkCompatibility(vm("tiny32"), only64).problems())
                .extracting(Problem::check, Problem::remedy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("architecture",
                        "choose a destination that runs i686 guests: a 64-bit x86 host with qemu-system-i386 "
                                + "(package qemu-system-x86) lists them"));
    }

    @Test
    void aKvmGuestCannotMoveToATcgOnlyHost() {
        Compatibility compatibility = connection.checkCompatibility(vm("web1"), destinationInfo());

        assertThat(compatibility.problems()).extracting(Problem::check).containsExactly("accelerator");
        assertThat(compatibility.problems().get(0).reason()).isEqualTo(
                "VM 'web1' runs under KVM (<domain type='kvm'>); host 'site-b' has no usable KVM (no VMX/SVM), only "
                        + "[TCG]");
        assertThat(compatibility.problems().get(0).remedy()).contains("<domain type='qemu'>");
    }

    @Test
    void aKvmGuestsCpuIsComparedWithTheDestinationHostsCpu() {
        HostInfo kvmHost = destination(Set.of(Architecture.X86_64), Set.of(Accelerator.KVM, Accelerator.TCG),
                8L << 30);
        destination.hostCpu = xml -> xml.contains("host-model") ? CpuComparison.INCOMPATIBLE : CpuComparison.SUPERSET;

        Compatibility compatibility = connection.checkCompatibility(vm("web1"), kvmHost);

        assertThat(compatibility.problems()).containsExactly(new Problem("cpu-model",
                "host 'site-b' cannot provide VM 'web1''s CPU model host-model",
                "redefine the VM with <cpu mode='custom' match='exact'><model>Westmere</model></cpu>, the model both "
                        + "hosts provide, and restart it"));
        assertThat(destination.comparedVirtTypes).isEmpty();
    }

    @Test
    void hostPassthroughComparesTheSourceHostsCpu() {
        FakeLibvirt.Domain web1 = source.domains.get("web1");
        web1.xml = web1.xml.replace("<cpu mode='host-model' check='partial'/>", "<cpu mode='host-passthrough'/>");
        HostInfo kvmHost = destination(Set.of(Architecture.X86_64), Set.of(Accelerator.KVM), 8L << 30);
        destination.hostCpu = xml -> xml.contains("<model>kvm64</model>") && xml.contains("<vendor>AMD</vendor>")
                ? CpuComparison.IDENTICAL : CpuComparison.INCOMPATIBLE;

        assertThat(connection.checkCompatibility(vm("web1"), kvmHost).isCompatible()).isTrue();
    }

    @Test
    void aModelTcgCannotEmulateIsAProblem() {
        destination.hypervisorCpu = xml -> CpuComparison.INCOMPATIBLE;

        Compatibility compatibility = connection.checkCompatibility(vm("tiny"), destinationInfo());

        assertThat(compatibility.problems()).containsExactly(new Problem("cpu-model",
                "QEMU's emulation (TCG) on host 'site-b' cannot provide VM 'tiny''s CPU model qemu64",
                "redefine the VM with a model TCG emulates (virsh domcapabilities --virttype qemu lists the usable "
                        + "ones; qemu64 always works) and restart it"));
    }

    @Test
    void aModelTheDestinationsLibvirtDoesNotKnowIsAProblem() {
        destination.hypervisorCpu = xml -> {
            throw new LibvirtError(LibvirtError.INTERNAL_ERROR, "internal error: Unknown CPU model EPYC-Genoa");
        };

        assertThat(connection.checkCompatibility(vm("tiny"), destinationInfo()).problems())
                .extracting(Problem::check, Problem::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cpu-model",
                        "host 'site-b' cannot judge VM 'tiny''s CPU model qemu64: internal error: Unknown CPU model "
                                + "EPYC-Genoa"));
    }

    @Test
    void anUnreachableDestinationIsAProblemNotAFailure() {
        HostInfo elsewhere = new HostInfo("site-c", "qemu+tcp://10.99.0.9/system", Architecture.X86_64,
                Set.of(Architecture.X86_64), Set.of(Accelerator.TCG), "kvm64", 2, 8L << 30, 8L << 30, Map.of());

        assertThat(connection.checkCompatibility(vm("tiny"), elsewhere).problems())
                .extracting(Problem::check, Problem::remedy)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("cpu-model",
                        "make the destination's libvirt URI reachable from this machine, then check again"));
    }

    @Test
    void theDestinationMustHoldTheGuestsMemory() {
        HostInfo small = destination(Set.of(Architecture.X86_64), Set.of(Accelerator.TCG), 32L << 20);

        assertThat(connection.checkCompatibility(vm("tiny"), small).problems()).containsExactly(new Problem("memory",
                "VM 'tiny' needs 64.0 MiB; host 'site-b' has 32.0 MiB free",
                "free memory on 'site-b' (stop or move other VMs) or choose another host"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        HostInfo hopeless = destination(Set.of(Architecture.I686), Set.of(Accelerator.TCG), 1L << 20);
        destination.hostCpu = xml -> CpuComparison.INCOMPATIBLE;

        assertThat(connection.checkCompatibility(vm("web1"), hopeless).problems()).extracting(Problem::check)
                .containsExactly("architecture", "accelerator", "cpu-model", "memory");
    }

    @Test
    void theSameHostIsAskedOverTheSameConnection() {
        HostInfo self = connection.host();

        assertThat(connection.checkCompatibility(vm("tiny"), self).isCompatible()).isTrue();
        assertThat(source.comparedVirtTypes).containsExactly("x86_64/qemu");
    }

    @Test
    void aVmNotOnThisHostCannotBeChecked() {
        VmInfo elsewhere = new VmInfo("ghost", "u", io.livcloud.spi.hypervisor.VmState.RUNNING, Architecture.X86_64,
                "qemu64", 1, 1L << 20, List.of(), Map.of());

        assertThatThrownBy(() -> connection.checkCompatibility(elsewhere, destinationInfo()))
                .isInstanceOf(ExtensionException.class)
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(KvmErrorCode.VM_NOT_FOUND);
    }

    private VmInfo vm(String name) {
        return connection.findVm(name).orElseThrow();
    }

    private HostInfo destinationInfo() {
        try (HypervisorConnection destinationConnection = hypervisor.connect(DESTINATION)) {
            return destinationConnection.host();
        }
    }

    private static HostInfo destination(Set<Architecture> guests, Set<Accelerator> accelerators, long free) {
        return new HostInfo("site-b", DESTINATION, Architecture.X86_64, guests, accelerators, "kvm64", 2, 8L << 30,
                free, Map.of());
    }
}
