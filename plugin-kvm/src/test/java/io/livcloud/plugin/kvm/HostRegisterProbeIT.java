package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloud;
import io.livcloud.lab.guest.GuestImage;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.plugin.kvm.probe.ComparableEvidence;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.probe.Evidence;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.ProbeRequest;
import io.livcloud.spi.probe.RegisterProbe;
import io.livcloud.spi.probe.Verdict;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.plugin.BuiltPluginZip;
import io.livcloud.testing.plugin.LocalHostAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code host} register probe from the built zip, on this machine, with the functional test booting the lab guest.
 * Whatever the host, the verdict must agree with the boots, the kvm hypervisor's {@code accelerator = auto} (asked
 * through a private libvirtd) must count KVM exactly when the probe says KVM, and the probe through host access must
 * say what the local probe says.
 */
class HostRegisterProbeIT {

    private static final Duration BOOT_TIMEOUT = Duration.ofSeconds(20);
    private static final String NAMESPACE = "livcloud-kvm-probe-it";

    @Test
    void verdictAgreesWithTheFunctionalTestAndWithTheKvmHypervisorsAutoMode(@TempDir Path plugins,
            @TempDir Path state) throws IOException, InterruptedException {
        Prerequisites.require(PrivateLibvirtd.missing().isEmpty(), PrivateLibvirtd.missing().orElse(""));
        String config = functionalTestConfig();

        try (LivCloud livCloud = BuiltPluginZip.start(plugins, state, config)) {
            long start = System.nanoTime();
            ProbeReport report;
            try (RegisterProbe probe = livCloud.registerProbe("host")) {
                report = probe.probe(new ProbeRequest(true, BOOT_TIMEOUT));
            }
            print(report, Duration.ofNanos(System.nanoTime() - start));

            String kvm = value(report, "functional test -accel kvm");
            assertThat(value(report, "functional test -accel tcg")).as("TCG runs anything")
                    .startsWith("reached user space");
            if (kvm.startsWith("reached user space")) {
                assertThat(report.verdict()).isIn(Verdict.HARDWARE, Verdict.PVM);
                assertThat(report.accelerator().orElseThrow()).isIn(Accelerator.KVM, Accelerator.KVM_PVM);
            } else {
                assertThat(report.verdict()).as("kvm did not boot the guest: %s", kvm)
                        .isIn(Verdict.SOFTWARE, Verdict.PVM);
                assertThat(report.accelerator()).contains(Accelerator.TCG);
            }

            Path site = Path.of("target/it-probe/site").toAbsolutePath();
            PrivateLibvirtd libvirtd = PrivateLibvirtd.start(site, "6c1c7d3e-5a0e-4d7b-9c1e-00000000000c",
                    Path.of("target/it-probe/cache").toAbsolutePath());
            try (Hypervisor hypervisor = livCloud.hypervisor("kvm");
                    HypervisorConnection connection = hypervisor.connect(libvirtd.uri())) {
                HostInfo host = connection.host();
                System.out.printf("[probe IT] kvm hypervisor, accelerator = auto: %s (hardware-virtualization %s)%n",
                        host.accelerators(), host.attributes().get("hardware-virtualization"));
                assertThat(host.accelerators().contains(Accelerator.KVM))
                        .as("auto counts KVM exactly when the probe says KVM; the probe says %s", report.accelerator())
                        .isEqualTo(report.accelerator().equals(Optional.of(Accelerator.KVM)));
                assertThat(host.accelerators()).contains(Accelerator.TCG);
            } finally {
                libvirtd.close();
            }
        }
    }

    /**
     * This machine once more, as a host reached through host access whose commands run in a network namespace of
     * this test's own ({@code ip netns exec}, as the lab's namespace mode reaches a site): real devices, real
     * {@code dd}, {@code perl} and QEMU there must give the same verdict and the same evidence as the local probe, and
     * the test guest's folder there is removed.
     */
    @Test
    void thisMachineThroughHostAccessGivesTheSameVerdictAndEvidenceAsTheLocalProbe(@TempDir Path plugins,
            @TempDir Path state) throws IOException, InterruptedException {
        Prerequisites.requireCommand("ip", "iproute2");
        String config = functionalTestConfig();
        Set<Path> foldersBefore = probeFolders();
        LocalHostAccess host = LocalHostAccess.inNamespace(NAMESPACE);

        ProbeReport here;
        ProbeReport there;
        ip("netns", "add", NAMESPACE);
        try (LivCloud livCloud = BuiltPluginZip.start(plugins, state, config);
                RegisterProbe probe = livCloud.registerProbe("host")) {
            here = probe.probe(new ProbeRequest(true, BOOT_TIMEOUT));
            long start = System.nanoTime();
            there = probe.probe(new ProbeRequest(true, BOOT_TIMEOUT), host);
            print(there, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            ip("netns", "delete", NAMESPACE);
        }

        assertThat(there.verdict()).isEqualTo(here.verdict());
        assertThat(there.accelerator()).isEqualTo(here.accelerator());
        assertThat(there.speedClass()).isEqualTo(here.speedClass());
        assertThat(there.platform()).isEqualTo(here.platform());
        assertThat(ComparableEvidence.of(there)).containsExactlyElementsOf(ComparableEvidence.of(here));
        assertThat(there.evidence()).extracting(Evidence::note).as("all of it could be read there")
                .noneMatch(note -> note.startsWith("unreadable over host access"));
        assertThat(there.remedies()).isEqualTo(here.remedies());
        assertThat(host.commandLines()).as("the guest was copied there and booted there")
                .anyMatch(line -> line.startsWith("mktemp -d /tmp/livcloud-probe."))
                .anyMatch(line -> line.startsWith("rm -rf -- /tmp/livcloud-probe."));
        assertThat(probeFolders()).as("the test folder is removed").isEqualTo(foldersBefore);
    }

    /** The probe's settings for a functional test that boots the lab guest, built (or found in its cache) first. */
    private static String functionalTestConfig() throws IOException, InterruptedException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("qemu-system-x86_64", "qemu-system-x86");
        List<String> missing = LabGuest.missingBuildPackages(LabGuest.X86_64, LabGuest.defaultCacheDirectory());
        Prerequisites.require(missing.isEmpty(), "the lab guest cannot be built: " + missing);
        GuestImage guest = LabGuest.build(LabGuest.X86_64, LabGuest.defaultCacheDirectory());
        return """
                livcloud.extensions.register-probe.host {
                  functional-test-kernel = "%s"
                  functional-test-initrd = "%s"
                }
                """.formatted(guest.kernel(), guest.initramfs());
    }

    private static Set<Path> probeFolders() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/tmp"))) {
            return new TreeSet<>(entries.filter(path -> path.getFileName().toString().startsWith("livcloud-probe."))
                    .toList());
        }
    }

    private static void ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
        }
    }

    private static void print(ProbeReport report, Duration elapsed) {
        System.out.printf("[probe IT] %s, accelerator %s, %s, platform %s, in %d ms%n", report.verdict(),
                report.accelerator().map(Enum::name).orElse("-"), report.speedClass(), report.platform(),
                elapsed.toMillis());
        report.evidence().forEach(e -> System.out.printf("[probe IT]   %-38s | %-36s | %s%s%n", e.item(), e.value(),
                e.source(), e.note().isEmpty() ? "" : " | " + e.note()));
        report.remedies().forEach(r -> System.out.printf("[probe IT]   remedy: %s -> %s%n", r.action(), r.effect()));
    }

    private static String value(ProbeReport report, String item) {
        return report.evidence().stream().filter(e -> e.item().equals(item)).map(Evidence::value).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence " + item + " in " + report.evidence()));
    }
}
