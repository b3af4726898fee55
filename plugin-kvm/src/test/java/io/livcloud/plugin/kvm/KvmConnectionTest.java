package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.Architecture;
import io.livcloud.spi.hypervisor.DiskInfo;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.testing.FakeExtensionConfig;
import io.livcloud.testing.TestingExtensionContext;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KvmConnectionTest {

    private static final String SOCKET_A = "qemu:///system?socket=/srv/lab/a/run/libvirt-sock";

    private final FakeLibvirt libvirt = new FakeLibvirt();
    private final FakeLibvirt.Host siteA = libvirt.host(SOCKET_A, "site-a");
    private final KvmHypervisor hypervisor = hypervisor(KvmConfigs.defaults()
            .with(KvmConfig.SHARED_STORAGE_PATHS.key(), List.of("/mnt/nfs")));

    @AfterEach
    void everyConnectionIsClosed() {
        assertThat(libvirt.openConnections()).isZero();
    }

    @Test
    void describesTheHostFromCapabilitiesAndNodeInfo() {
        try (HypervisorConnection connection = hypervisor.connect("/srv/lab/a/run/libvirt-sock")) {
            HostInfo host = connection.host();

            assertThat(connection.uri()).isEqualTo(SOCKET_A);
            assertThat(host.hostname()).isEqualTo("site-a");
            assertThat(host.uri()).isEqualTo(SOCKET_A);
            assertThat(host.architecture()).isEqualTo(Architecture.X86_64);
            assertThat(host.guestArchitectures()).containsExactlyInAnyOrder(Architecture.X86_64, Architecture.I686);
            assertThat(host.accelerators()).as("libvirt lists kvm, but there is no VMX/SVM")
                    .containsExactly(Accelerator.TCG);
            assertThat(host.cpuModel()).isEqualTo("kvm64");
            assertThat(host.cpus()).isEqualTo(2);
            assertThat(host.memoryBytes()).isEqualTo(24L << 30);
            assertThat(host.freeMemoryBytes()).isEqualTo(20L << 30);
            assertThat(host.attributes()).containsEntry("libvirt-version", "9.0.0")
                    .containsEntry("hypervisor-version", "10.0.2")
                    .containsEntry("hardware-virtualization", "none")
                    .containsEntry("accelerator-setting", "auto")
                    .containsEntry("cpu-vendor", "AMD")
                    .containsEntry("host-uuid", "6c1c7d3e-5a0e-4d7b-9c1e-000000000001");
        }
    }

    @Test
    void aLocalHostWithVmxAndKvmIntelHasKvm() {
        KvmHypervisor withVmx = new KvmHypervisor(libvirt, KvmConfig.from(KvmConfigs.defaults()),
                new TestingExtensionContext("kvm"), () -> Optional.of(localHost("vmx", "kvm_intel")));

        try (HypervisorConnection connection = withVmx.connect(SOCKET_A)) {
            assertThat(connection.host().accelerators()).containsExactlyInAnyOrder(Accelerator.KVM, Accelerator.TCG);
            assertThat(connection.host().attributes()).containsEntry("hardware-virtualization", "vmx");
        }
    }

    @Test
    void aRemoteHostIsJudgedByItsCapabilitiesNotByThisMachine() {
        libvirt.host("qemu+tcp://10.99.0.3/system", "site-b").withCpuFeature("svm");
        KvmHypervisor local = new KvmHypervisor(libvirt, KvmConfig.from(KvmConfigs.defaults()),
                new TestingExtensionContext("kvm"), () -> Optional.of(localHost(null, "kvm_pvm")));

        try (HypervisorConnection connection = local.connect("qemu+tcp://10.99.0.3/system")) {
            assertThat(connection.host().accelerators()).containsExactlyInAnyOrder(Accelerator.KVM, Accelerator.TCG);
        }
    }

    /** This machine's facts as the host register probe would find them. */
    private static HostFacts localHost(String hardwareFlag, String... backends) {
        return new HostFacts("", Optional.ofNullable(hardwareFlag), false, true, Set.of(backends), true, "bare metal",
                List.of());
    }

    @Test
    void listsVmsWithArchitectureCpuMemoryDisksAndState() {
        siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);
        siteA.domain("tiny32", "domain-i686-running.xml", DomainState.PAUSED);
        FakeLibvirt.Domain web1 = siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);
        web1.diskCapacity.put("vda", 10L << 30);
        web1.diskCapacity.put("vdb", 1L << 30);
        web1.diskCapacity.put("sda", 366L << 10);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            List<VmInfo> vms = connection.listVms();

            assertThat(vms).extracting(VmInfo::name).containsExactlyInAnyOrder("tiny", "tiny32", "web1");
            VmInfo tiny = connection.findVm("tiny").orElseThrow();
            assertThat(tiny.uuid()).isEqualTo("cc216371-cc98-43df-9c20-28dd2a0e49f9");
            assertThat(tiny.state()).isEqualTo(VmState.RUNNING);
            assertThat(tiny.architecture()).isEqualTo(Architecture.X86_64);
            assertThat(tiny.cpuModel()).isEqualTo("qemu64");
            assertThat(tiny.vcpus()).isEqualTo(1);
            assertThat(tiny.memoryBytes()).isEqualTo(64L << 20);
            assertThat(tiny.attributes()).containsEntry("domain-type", "qemu").containsEntry("cpu-mode", "custom")
                    .containsEntry("machine", "pc-i440fx-10.0");

            VmInfo tiny32 = connection.findVm("tiny32").orElseThrow();
            assertThat(tiny32.architecture()).isEqualTo(Architecture.I686);
            assertThat(tiny32.architecture().bits()).isEqualTo(32);
            assertThat(tiny32.state()).isEqualTo(VmState.PAUSED);

            VmInfo web = connection.findVm("web1").orElseThrow();
            assertThat(web.state()).isEqualTo(VmState.SHUT_OFF);
            assertThat(web.cpuModel()).isEqualTo("host-model");
            assertThat(web.attributes()).containsEntry("domain-type", "kvm");
            assertThat(web.disks()).containsExactly(
                    new DiskInfo("vda", "/var/lib/libvirt/images/web1.qcow2", 10L << 30, false, false),
                    new DiskInfo("vdb", "/srv/cluster/web-shared.img", 1L << 30, true, false),
                    new DiskInfo("vdc", "rbd://ceph-mon1/pool/web1-data", 0, true, false),
                    new DiskInfo("vdd", "/dev/vg0/web1-log", 0, false, false),
                    new DiskInfo("vde", "/mnt/nfs/images/web1-extra.qcow2", 0, true, false),
                    new DiskInfo("sda", "/var/lib/libvirt/images/seed.iso", 366L << 10, false, true),
                    new DiskInfo("sdb", "", 0, false, true));
        }
    }

    @Test
    void aSharedPathPrefixMatchesWholeDirectoriesOnly() {
        FakeLibvirt.Domain web1 = siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);
        web1.xml = web1.xml.replace("/mnt/nfs/images/", "/mnt/nfs-local/images/");

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThat(connection.findVm("web1").orElseThrow().disks())
                    .filteredOn(disk -> disk.target().equals("vde")).extracting(DiskInfo::shared).containsExactly(false);
        }
    }

    @Test
    void anUnknownVmIsEmptyAndAVmThatVanishesIsLeftOut() {
        siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThat(connection.findVm("nope")).isEmpty();
            assertThat(connection.listVms()).hasSize(1);
        }
    }

    @Test
    void aVmOfAnUnknownArchitectureIsLeftOutOfTheListButNamedWhenAskedFor() {
        FakeLibvirt.Domain odd = siteA.domain("odd", "domain-x86_64-running.xml", DomainState.RUNNING);
        odd.xml = odd.xml.replace("<name>tiny</name>", "<name>odd</name>").replace("arch='x86_64'", "arch='s390x'");

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThat(connection.listVms()).isEmpty();
            assertThatThrownBy(() -> connection.findVm("odd"))
                    .isInstanceOf(ExtensionException.class)
                    .hasMessageContaining("'s390x'");
        }
    }

    @Test
    void aFailedConnectionNamesTheUriAndTheFix() {
        assertThatThrownBy(() -> hypervisor.connect("/srv/lab/missing/libvirt-sock"))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("cannot connect to libvirt at qemu:///system?socket=/srv/lab/missing/libvirt-sock: "
                        + "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory")
                .satisfies(e -> {
                    ExtensionException failure = (ExtensionException) e;
                    assertThat(failure.errorCode()).isEqualTo(KvmErrorCode.CONNECT_FAILED);
                    assertThat(failure.errorCode().code()).isEqualTo("KVM_CONNECT_FAILED");
                    assertThat(failure.remedy()).startsWith("start libvirtd for that socket");
                });
    }

    @Test
    void aBlankUriMeansTheConfiguredOne() {
        KvmHypervisor configured = hypervisor(KvmConfigs.defaults().with(KvmConfig.URI.key(), SOCKET_A));

        try (HypervisorConnection connection = configured.connect(" ")) {
            assertThat(connection.uri()).isEqualTo(SOCKET_A);
        }
    }

    @Test
    void capabilitiesTheParserCannotReadAreNamed() {
        siteA.capabilitiesXml = "<capabilities><host></host></capabilities>";

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThatThrownBy(connection::host)
                    .isInstanceOf(ExtensionException.class)
                    .hasMessage("cannot read the capabilities of " + SOCKET_A
                            + ": the capabilities XML has no <host><cpu>")
                    .extracting(e -> ((ExtensionException) e).errorCode())
                    .isEqualTo(KvmErrorCode.UNREADABLE_DESCRIPTION);
        }
    }

    @Test
    void resumeLetsAPausedVmRunAndLeavesARunningOneAsItIs() {
        FakeLibvirt.Domain tiny = siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.PAUSED);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            connection.resume("tiny");
            connection.resume("tiny"); // a reconciliation may ask twice

            assertThat(tiny.state.state()).isEqualTo(DomainState.RUNNING);
            assertThat(siteA.calls).containsExactly("resume tiny");
        }
    }

    @Test
    void aVmPausedByAMigrationThatFailedIsResumed() {
        FakeLibvirt.Domain tiny = siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.PAUSED);
        tiny.state = new DomainState(DomainState.PAUSED, DomainState.PAUSED_MIGRATION);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            connection.resume("tiny");
        }

        assertThat(tiny.state.state()).isEqualTo(DomainState.RUNNING);
    }

    @Test
    void aCopyThatMustNotRunIsNotResumed() {
        siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);
        FakeLibvirt.Domain postCopy = siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.PAUSED);
        postCopy.state = new DomainState(DomainState.PAUSED, DomainState.PAUSED_POSTCOPY);
        FakeLibvirt.Domain switching = siteA.domain("tiny32", "domain-i686-running.xml", DomainState.PAUSED);
        switching.state = new DomainState(DomainState.PAUSED, DomainState.PAUSED_MIGRATION);
        switching.activeJob = FakeLibvirt.migrating(3, 67_000_000, 67_000_000, 0);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThatThrownBy(() -> connection.resume("web1"))
                    .hasMessage("VM 'web1' on " + SOCKET_A + " is SHUT_OFF; only a paused VM can be resumed")
                    .satisfies(e -> assertThat(((ExtensionException) e).remedy()).contains("start web1"))
                    .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_NOT_RUNNING);
            assertThatThrownBy(() -> connection.resume("tiny"))
                    .hasMessageContaining("the paused source of a post-copy migration")
                    .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_IN_POST_COPY);
            assertThatThrownBy(() -> connection.resume("tiny32"))
                    .hasMessageContaining("paused for the switch-over of a migration that still runs")
                    .extracting(e -> ((ExtensionException) e).errorCode())
                    .isEqualTo(KvmErrorCode.MIGRATION_IN_PROGRESS);
            assertThatThrownBy(() -> connection.resume("nope"))
                    .hasMessage("host " + SOCKET_A + " has no VM named 'nope'")
                    .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_NOT_FOUND);
        }
        assertThat(siteA.calls).isEmpty();
        assertThat(postCopy.state.state()).isEqualTo(DomainState.PAUSED);
    }

    @Test
    void stopPowersOffARunningOrPausedVmAndKeepsItsDefinition() {
        FakeLibvirt.Domain tiny = siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);
        FakeLibvirt.Domain tiny32 = siteA.domain("tiny32", "domain-i686-running.xml", DomainState.PAUSED);
        siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            connection.stop("tiny");
            connection.stop("tiny32");
            connection.stop("tiny"); // libvirt would refuse a second destroy: "domain is not running"
            connection.stop("web1");

            assertThat(connection.findVm("tiny").map(VmInfo::state)).contains(VmState.SHUT_OFF);
            assertThat(connection.findVm("tiny32").map(VmInfo::state)).contains(VmState.SHUT_OFF);
            assertThat(siteA.calls).containsExactly("destroy tiny", "destroy tiny32");
            assertThatThrownBy(() -> connection.stop("nope"))
                    .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_NOT_FOUND);
        }
        assertThat(tiny.persistent).isTrue();
        assertThat(tiny32.persistent).isTrue();
    }

    @Test
    void undefineRemovesTheDefinitionOfAVmThatDoesNotRun() {
        siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            connection.undefine("web1");
            connection.undefine("web1"); // gone: nothing to do
            connection.undefine("nope");

            assertThat(connection.findVm("web1")).isEmpty();
        }
        assertThat(siteA.calls).containsExactly("undefine web1");
    }

    @Test
    void aVmThatRunsKeepsItsDefinition() {
        FakeLibvirt.Domain tiny = siteA.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);
        siteA.domain("tiny32", "domain-i686-running.xml", DomainState.PAUSED);

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThatThrownBy(() -> connection.undefine("tiny"))
                    .hasMessage("VM 'tiny' on " + SOCKET_A + " is RUNNING; only the definition of a VM that does not "
                            + "run is removed")
                    .satisfies(e -> assertThat(((ExtensionException) e).remedy())
                            .contains("stop it first", "destroy tiny"))
                    .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_RUNNING);
            assertThatThrownBy(() -> connection.undefine("tiny32"))
                    .hasMessageContaining("is PAUSED")
                    .extracting(e -> ((ExtensionException) e).errorCode()).isEqualTo(KvmErrorCode.VM_RUNNING);
        }
        assertThat(tiny.persistent).as("libvirt would have left it running, transient").isTrue();
        assertThat(siteA.calls).isEmpty();
    }

    @Test
    void aDefinitionLibvirtKeepsIsNamedWithTheReason() {
        FakeLibvirt.Domain web1 = siteA.domain("web1", "domain-kvm-disks-defined.xml", DomainState.SHUTOFF);
        web1.undefineError = new LibvirtError(LibvirtError.OPERATION_INVALID,
                "Requested operation is not valid: cannot delete inactive domain with 1 snapshots");

        try (HypervisorConnection connection = hypervisor.connect(SOCKET_A)) {
            assertThatThrownBy(() -> connection.undefine("web1"))
                    .hasMessage("cannot remove the definition of 'web1' on " + SOCKET_A + ": Requested operation is "
                            + "not valid: cannot delete inactive domain with 1 snapshots")
                    .satisfies(e -> assertThat(((ExtensionException) e).remedy()).contains("snapshot-list web1"))
                    .extracting(e -> ((ExtensionException) e).errorCode())
                    .isEqualTo(KvmErrorCode.LIBVIRT_CALL_FAILED);
        }
    }

    private KvmHypervisor hypervisor(FakeExtensionConfig config) {
        return new KvmHypervisor(libvirt, KvmConfig.from(config), new TestingExtensionContext("kvm"), Optional::empty);
    }
}
