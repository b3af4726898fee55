package io.livcloud.plugin.kvm.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.probe.HostRegisterProbeTest.FakeBoot;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.probe.Evidence;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.ProbeRequest;
import io.livcloud.spi.probe.Remedy;
import io.livcloud.spi.probe.Verdict;
import io.livcloud.testing.FakeHostAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host probe on another host, through a fake host access that answers from the same fixture trees as
 * {@link HostRegisterProbeTest}: the same evidence and verdict as the local probe on the same host, the test guest
 * copied there and booted there, and what cannot be read over host access said so.
 */
class RemoteHostRegisterProbeTest {

    private static final ProbeRequest EVIDENCE_ONLY = new ProbeRequest(false, Duration.ofSeconds(20));
    private static final ProbeRequest FUNCTIONAL = new ProbeRequest(true, Duration.ofSeconds(20));

    @TempDir
    Path temporary;
    private Path kernel;
    private Path initrd;
    private HostProbeConfig settings;

    @BeforeEach
    void testGuest() throws IOException {
        kernel = Files.write(temporary.resolve("vmlinuz"), new byte[] {(byte) 0x4d, (byte) 0x5a, (byte) 0xff, 0});
        initrd = Files.write(temporary.resolve("initrd"), new byte[] {(byte) 0x1f, (byte) 0x8b, 8, (byte) 0x80});
        settings = new HostProbeConfig(Optional.of(kernel), Optional.of(initrd), Duration.ofSeconds(20),
                "qemu-system-x86_64");
    }

    private ProbeReport local(String fixture, ProbeRequest request, GuestBoot boot) {
        HostFacts facts = FixtureHost.inspect(fixture, temporary);
        try (HostRegisterProbe probe = probe(() -> facts, Optional.of(boot))) {
            return probe.probe(request);
        }
    }

    private ProbeReport remote(FixtureHostAccess host, ProbeRequest request) {
        try (HostRegisterProbe probe = probe(() -> {
            throw new AssertionError("the remote probe inspected this machine");
        }, Optional.empty())) {
            return probe.probe(request, host.fake());
        }
    }

    private HostRegisterProbe probe(Supplier<HostFacts> facts, Optional<GuestBoot> boot) {
        return new HostRegisterProbe(facts, settings, boot, System.getLogger("test"));
    }

    private static Evidence evidence(ProbeReport report, String item) {
        return report.evidence().stream().filter(e -> e.item().equals(item)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + item + " in " + report.evidence()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"intel-nested-vmx", "amd-svm", "ec2-c4-xen", "ec2-c8i-nested", "pvm-host",
            "no-virtualization"})
    void theSameHostGivesTheSameEvidenceAndVerdictThroughHostAccess(String fixture) {
        FakeBoot boots = new FakeBoot(!fixture.equals("ec2-c4-xen") && !fixture.equals("pvm-host"), true, true);
        ProbeReport here = local(fixture, FUNCTIONAL, boots);
        ProbeReport there = remote(FixtureHostAccess.of(fixture, temporary).booting(boots), FUNCTIONAL);

        assertThat(there.verdict()).isEqualTo(here.verdict());
        assertThat(there.accelerator()).isEqualTo(here.accelerator());
        assertThat(there.speedClass()).isEqualTo(here.speedClass());
        assertThat(there.platform()).isEqualTo(here.platform());
        assertThat(ComparableEvidence.of(there)).containsExactlyElementsOf(ComparableEvidence.of(here));
        assertThat(there.remedies()).isEqualTo(here.remedies());
    }

    @Test
    void intelHostIsHardwareWithTheGuestCopiedToAPrivateFolderBootedThereAndRemovedAfterwards() {
        FixtureHostAccess host = FixtureHostAccess.of("intel-nested-vmx", temporary)
                .booting(new FakeBoot(true, true, true));

        ProbeReport report = remote(host, FUNCTIONAL);

        assertThat(report.verdict()).isEqualTo(Verdict.HARDWARE);
        assertThat(report.accelerator()).contains(Accelerator.KVM);
        assertThat(evidence(report, "functional test -accel kvm").value()).startsWith("reached user space in");
        assertThat(evidence(report, "functional test -accel kvm").note()).startsWith("qemu-system-x86_64 -accel kvm")
                .contains("-kernel " + FixtureHostAccess.FOLDER + "/vmlinuz",
                        "-initrd " + FixtureHostAccess.FOLDER + "/initrd", ": reached user space; last console line: "
                                + QemuGuestBoot.USER_SPACE_LINE);
        assertThat(host.copied().get(FixtureHostAccess.FOLDER + "/vmlinuz")).isEqualTo(bytes(kernel));
        assertThat(host.copied().get(FixtureHostAccess.FOLDER + "/initrd")).isEqualTo(bytes(initrd));
        List<String> lines = host.fake().commandLines();
        assertThat(lines).filteredOn(line -> !line.startsWith("test ") && !line.startsWith("ls ")
                        && !line.contains("[ -e \"$1\" ]") && !line.contains("command -v perl"))
                .extracting(line -> line.length() > 60 ? line.substring(0, 60) : line)
                .containsExactly("mktemp -d /tmp/livcloud-probe.XXXXXXXX",
                        ("sh -c " + RemoteGuestBoot.COPY + " sh " + FixtureHostAccess.FOLDER + "/vmlinuz")
                                .substring(0, 60),
                        ("sh -c " + RemoteGuestBoot.COPY + " sh " + FixtureHostAccess.FOLDER + "/initrd")
                                .substring(0, 60),
                        ("sh -c " + RemoteGuestBoot.BOOT).substring(0, 60),
                        ("sh -c " + RemoteGuestBoot.BOOT).substring(0, 60),
                        "rm -rf -- " + FixtureHostAccess.FOLDER);
        HostCommand kvmBoot = host.fake().commands().stream()
                .filter(command -> command.argv().get(2).equals(RemoteGuestBoot.BOOT)).findFirst().orElseThrow();
        assertThat(kvmBoot.argv().subList(3, 7)).as("arguments, never pasted into the script")
                .containsExactly("sh", FixtureHostAccess.FOLDER, QemuGuestBoot.USER_SPACE_LINE, "20");
        assertThat(kvmBoot.timeout()).isGreaterThan(Duration.ofSeconds(20));
    }

    @Test
    void pvmHostIsPvmWithTcgForOrdinaryGuests() {
        ProbeReport report = remote(FixtureHostAccess.of("pvm-host", temporary)
                .booting(new FakeBoot(false, true, true)), FUNCTIONAL);

        assertThat(report.verdict()).isEqualTo(Verdict.PVM);
        assertThat(report.accelerator()).contains(Accelerator.TCG);
        assertThat(evidence(report, "kvm backend kvm_pvm").value()).isEqualTo("loaded");
        assertThat(evidence(report, "VM_CR (0xC0010114)").note()).contains("/dev/cpu/0/msr does not exist");
        assertThat(evidence(report, "functional test -accel kvm").value()).startsWith("no user space after");
        assertThat(evidence(report, "functional test -accel kvm").note()).contains("no user space within PT20S");
    }

    @Test
    void ec2XenHostIsSoftwareAndKvmIsNotTried() {
        ProbeReport report = remote(FixtureHostAccess.of("ec2-c4-xen", temporary)
                .booting(new FakeBoot(false, true, true)), FUNCTIONAL);

        assertThat(report.verdict()).isEqualTo(Verdict.SOFTWARE);
        assertThat(report.platform()).isEqualTo("EC2 Xen");
        assertThat(evidence(report, "/dev/kvm").value()).isEqualTo("absent");
        assertThat(evidence(report, "functional test -accel kvm").value()).isEqualTo("not run");
        assertThat(evidence(report, "functional test -accel tcg").value()).startsWith("reached user space");
    }

    @Test
    void aKernelConfigThatCannotBeReadThereIsSaidSoAndTheVerdictRestsOnTheRest() {
        FixtureHostAccess host = FixtureHostAccess.of("intel-nested-vmx", temporary).unreadable("/proc/config.gz");

        ProbeReport report = remote(host, EVIDENCE_ONLY);

        assertThat(evidence(report, "CONFIG_KVM_INTEL"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("unreadable"))
                .satisfies(e -> assertThat(e.note()).isEqualTo("unreadable over host access: /proc/config.gz exists "
                        + "on fake ssh root@intel-nested-vmx but its contents could not be read (not root there?)"));
        assertThat(report.verdict()).as("kvm_intel is loaded (/sys/module): the config only adds built-in backends")
                .isEqualTo(Verdict.HARDWARE);
    }

    @Test
    void aKernelConfigThatIsNotThereIsAbsentNotUnreadable() {
        FixtureHostAccess host = FixtureHostAccess.of("intel-nested-vmx", temporary).without("/proc/config.gz");

        ProbeReport report = remote(host, EVIDENCE_ONLY);

        assertThat(evidence(report, "CONFIG_KVM").value()).isEqualTo("absent");
        assertThat(evidence(report, "CONFIG_KVM").note()).isEqualTo("/proc/config.gz does not exist");
    }

    @Test
    void withoutPerlOrPythonTheKvmIoctlsAreUnreadableAndNotGuessed() {
        ProbeReport report = remote(FixtureHostAccess.of("intel-nested-vmx", temporary).withoutIoctlInterpreter(),
                EVIDENCE_ONLY);

        assertThat(evidence(report, "/dev/kvm").value()).isEqualTo("present, opens read-write");
        assertThat(evidence(report, "KVM_GET_API_VERSION"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("unreadable"))
                .satisfies(e -> assertThat(e.note()).isEqualTo("unreadable over host access: ioctl 0xAE00 on /dev/kvm:"
                        + " fake ssh root@intel-nested-vmx has neither perl nor python3, and no standard command makes"
                        + " an ioctl"));
        assertThat(report.verdict()).as("KVM is not known to work there").isEqualTo(Verdict.SOFTWARE);
        assertThat(report.remedies()).extracting(Remedy::action)
                .containsExactly("make /dev/kvm usable: run as root or in group kvm");
    }

    @Test
    void aHostWithoutQemuDidNotStartAndTheRemedyInstallsIt() {
        ProbeReport report = remote(FixtureHostAccess.of("no-virtualization", temporary)
                .booting(new FakeBoot(false, true, false)), FUNCTIONAL);

        assertThat(report.verdict()).isEqualTo(Verdict.NONE);
        assertThat(evidence(report, "functional test -accel tcg"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("did not start"))
                .satisfies(e -> assertThat(e.note()).startsWith("cannot run 'qemu-system-x86_64 -accel tcg")
                        .endsWith("' on fake ssh root@no-virtualization: sh: 4: qemu-system-x86_64: not found"));
        assertThat(report.remedies()).extracting(Remedy::action)
                .contains("install QEMU: apt-get install qemu-system-x86");
    }

    @Test
    void aGuestThatCannotBeCopiedThereLeavesTheVerdictToTheEvidence() {
        FixtureHostAccess host = FixtureHostAccess.of("amd-svm", temporary).booting(new FakeBoot(true, true, true))
                .failingCopy("sh: 1: cannot create " + FixtureHostAccess.FOLDER + "/vmlinuz: No space left on device");

        ProbeReport report = remote(host, FUNCTIONAL);

        assertThat(evidence(report, "functional test"))
                .satisfies(e -> assertThat(e.value()).isEqualTo("unavailable"))
                .satisfies(e -> assertThat(e.note()).startsWith("cannot copy " + kernel + " (4 bytes) to "
                        + FixtureHostAccess.FOLDER + " on fake ssh root@amd-svm: ")
                        .contains("No space left on device")
                        .endsWith("; the verdict rests on evidence only"));
        assertThat(host.fake().commandLines()).last().isEqualTo("rm -rf -- " + FixtureHostAccess.FOLDER);
    }

    @Test
    void aHostThatCannotBeReachedFailsTheProbe() {
        FakeHostAccess host = new FakeHostAccess("fake ssh root@203.0.113.10")
                .failNext(new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET,
                        "ssh root@203.0.113.10:22 does not answer", "check the address"));

        try (HostRegisterProbe probe = probe(() -> {
            throw new AssertionError("the remote probe inspected this machine");
        }, Optional.empty())) {
            assertThatThrownBy(() -> probe.probe(EVIDENCE_ONLY, host))
                    .isInstanceOf(ExtensionException.class)
                    .hasMessage("ssh root@203.0.113.10:22 does not answer");
        }
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
