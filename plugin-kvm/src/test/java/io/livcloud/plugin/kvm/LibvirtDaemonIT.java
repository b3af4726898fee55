package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.LivCloud;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.Architecture;
import io.livcloud.spi.hypervisor.Compatibility.Problem;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationProgress;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.plugin.LocalHostAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The built plugin zip, loaded by a real LivCloud runtime, against two real libvirtds of this test's own
 * ({@link PrivateLibvirtd}), with tiny TCG guests that sit in SeaBIOS: inventory, host facts, compatibility as libvirt
 * judges it, the JNA-bound calls, live migrations over loopback (completed, cancelled, post-copy and multifd, one
 * keeping the source's definition), resume, stop and undefine, and all of it reached through host access.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LibvirtDaemonIT {

    private static final Path ROOT = Path.of("target/it-libvirt").toAbsolutePath();
    private static final Duration MIGRATION_TIMEOUT = Duration.ofMinutes(2);
    private static final int BALLAST_MIB = 48;

    private static PrivateLibvirtd siteA;
    private static PrivateLibvirtd siteB;
    private static LivCloud livCloud;
    private static Hypervisor hypervisor;
    private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startTwoDaemons() throws IOException, InterruptedException {
        Prerequisites.require(PrivateLibvirtd.missing().isEmpty(), PrivateLibvirtd.missing().orElse(""));
        for (String site : List.of("site-a", "site-b")) {
            deleteRecursively(ROOT.resolve(site));
        }
        siteA = PrivateLibvirtd.start(ROOT.resolve("site-a"), "6c1c7d3e-5a0e-4d7b-9c1e-00000000000a",
                ROOT.resolve("cache-a"));
        siteB = PrivateLibvirtd.start(ROOT.resolve("site-b"), "6c1c7d3e-5a0e-4d7b-9c1e-00000000000b",
                ROOT.resolve("cache-b"));

        Path ballast = ROOT.resolve("site-a/ballast.bin");
        try (OutputStream out = Files.newOutputStream(ballast)) {
            byte[] block = new byte[1 << 20];
            Random random = new Random(42);
            for (int i = 0; i < BALLAST_MIB; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        siteA.define("tiny", domain("tiny", "qemu", "x86_64", 64, ""));
        siteA.define("tiny32", domain("tiny32", "qemu", "i686", 64, ""));
        siteA.define("sky", domain("sky", "qemu", "x86_64", 64,
                "<cpu mode='custom' match='exact'><model fallback='forbid'>Skylake-Server</model></cpu>"));
        siteA.define("kvmguest", domain("kvmguest", "kvm", "x86_64", 64, ""));
        // 48 MiB of random bytes in guest RAM (QEMU's generic loader), so a migration has real work to do.
        siteA.define("loaded", domain("loaded", "qemu", "x86_64", 128, "").replace("</domain>", """
                  <qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
                    <qemu:arg value='-device'/>
                    <qemu:arg value='loader,file=%s,addr=0x1000000,force-raw=on'/>
                  </qemu:commandline>
                </domain>""".formatted(ballast)));
        siteA.virsh("start", "tiny");
        siteA.virsh("start", "tiny32");
        siteA.virsh("start", "loaded");

        Path plugins = Files.createDirectories(ROOT.resolve("plugins"));
        deleteRecursively(plugins);
        Files.createDirectories(plugins);
        Path zip = Path.of(System.getProperty("test.plugin.zip"));
        Files.copy(zip, plugins.resolve(zip.getFileName()));
        livCloud = LivCloud.builder()
                .pluginsDirectory(plugins)
                .stateDirectory(Files.createDirectories(ROOT.resolve("state")))
                .systemProperties(Map.of())
                .configText("livcloud.extensions.hypervisor.kvm.progress-interval = 200ms")
                .build();
        livCloud.subscribe(EVENTS::add);
        hypervisor = livCloud.hypervisor("kvm");
    }

    @AfterAll
    static void stopTheDaemons() {
        if (hypervisor != null) {
            hypervisor.close();
        }
        if (livCloud != null) {
            livCloud.close();
        }
        if (siteB != null) {
            siteB.close();
        }
        if (siteA != null) {
            siteA.close();
        }
    }

    @Test
    @Order(1)
    void listsTheVmsOfARealDaemon() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri().substring("qemu:///system?socket=".length()))) {
            assertThat(a.uri()).isEqualTo(siteA.uri());
            assertThat(a.listVms()).extracting(VmInfo::name)
                    .containsExactlyInAnyOrder("tiny", "tiny32", "sky", "kvmguest", "loaded");

            VmInfo tiny = a.findVm("tiny").orElseThrow();
            assertThat(tiny.state()).isEqualTo(VmState.RUNNING);
            assertThat(tiny.architecture()).isEqualTo(Architecture.X86_64);
            assertThat(tiny.cpuModel()).isEqualTo("qemu64");
            assertThat(tiny.vcpus()).isEqualTo(1);
            assertThat(tiny.memoryBytes()).isEqualTo(64L << 20);
            assertThat(tiny.attributes()).containsEntry("domain-type", "qemu").containsEntry("cpu-mode", "custom");

            VmInfo tiny32 = a.findVm("tiny32").orElseThrow();
            assertThat(tiny32.architecture()).isEqualTo(Architecture.I686);
            assertThat(tiny32.cpuModel()).isEqualTo("qemu32");

            assertThat(a.findVm("sky").orElseThrow().state()).isEqualTo(VmState.SHUT_OFF);
            assertThat(a.findVm("sky").orElseThrow().cpuModel()).isEqualTo("Skylake-Server");
        }
    }

    @Test
    @Order(2)
    void describesTheHost() throws IOException {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri())) {
            HostInfo host = a.host();

            assertThat(host.architecture()).isEqualTo(Architecture.X86_64);
            assertThat(host.guestArchitectures()).contains(Architecture.X86_64, Architecture.I686);
            assertThat(host.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(host.memoryBytes()).isPositive();
            assertThat(host.freeMemoryBytes()).isPositive().isLessThanOrEqualTo(host.memoryBytes());
            assertThat(host.attributes().get("libvirt-version")).matches("\\d+\\.\\d+\\.\\d+");
            assertThat(host.attributes()).containsEntry("host-uuid", "6c1c7d3e-5a0e-4d7b-9c1e-00000000000a");
            boolean hardware = Files.readString(Path.of("/proc/cpuinfo")).matches("(?s).*\\b(vmx|svm)\\b.*");
            if (hardware) {
                assertThat(host.accelerators()).contains(Accelerator.KVM, Accelerator.TCG);
            } else {
                assertThat(host.accelerators()).as("/dev/kvm without VMX/SVM is not KVM")
                        .containsExactly(Accelerator.TCG);
            }
            System.out.printf("[kvm IT] host %s: %s, libvirt %s, QEMU %s, accelerators %s, hw %s%n", host.hostname(),
                    host.cpuModel(), host.attributes().get("libvirt-version"),
                    host.attributes().get("hypervisor-version"), host.accelerators(),
                    host.attributes().get("hardware-virtualization"));
        }
    }

    @Test
    @Order(3)
    void libvirtJudgesCompatibility() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri());
                HypervisorConnection b = hypervisor.connect(siteB.uri())) {
            HostInfo destination = b.host();

            assertThat(a.checkCompatibility(a.findVm("tiny").orElseThrow(), destination).problems()).isEmpty();
            assertThat(a.checkCompatibility(a.findVm("tiny32").orElseThrow(), destination).problems()).isEmpty();
            assertThat(a.checkCompatibility(a.findVm("sky").orElseThrow(), destination).problems())
                    .as("TCG cannot emulate Skylake-Server (AVX-512): virConnectCompareHypervisorCPU says so")
                    .extracting(Problem::check).containsExactly("cpu-model");
            if (!destination.accelerators().contains(Accelerator.KVM)) {
                assertThat(a.checkCompatibility(a.findVm("kvmguest").orElseThrow(), destination).problems())
                        .extracting(Problem::check).contains("accelerator");
            }
            HostInfo full = new HostInfo(destination.hostname(), destination.uri(), destination.architecture(),
                    Set.of(Architecture.I686), destination.accelerators(), destination.cpuModel(), destination.cpus(),
                    destination.memoryBytes(), 1 << 20, destination.attributes());
            assertThat(a.checkCompatibility(a.findVm("tiny").orElseThrow(), full).problems())
                    .extracting(Problem::check).containsExactly("architecture", "memory");
        }
    }

    @Test
    @Order(4)
    void anIdleVmHasNoJob() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri())) {
            assertThat(a.activeMigration("tiny")).as("virDomainGetJobStats through JNA: no job").isEmpty();
            assertThat(a.activeMigration("sky")).as("a shut-off VM").isEmpty();
            assertThat(a.activeMigration("nope")).isEmpty();
        }
    }

    @Test
    @Order(5)
    void aVmMovesLiveToTheOtherDaemonAndBack() throws IOException {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri());
                HypervisorConnection b = hypervisor.connect(siteB.uri())) {
            EVENTS.clear();
            MigrationJob job = a.migrate(new MigrationRequest("tiny", siteB.peerUri(), dataUri(), policy(0,
                    Set.of())));
            MigrationOutcome outcome = job.awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
            report("tiny A->B, defaults", outcome);

            assertThat(outcome.phase()).as(outcome.detail()).isEqualTo(MigrationPhase.COMPLETED);
            assertThat(outcome.downtime()).isPresent();
            assertThat(outcome.downtime().orElseThrow()).isPositive().isLessThan(Duration.ofSeconds(5));
            assertThat(outcome.bytesTransferred()).isPositive();
            assertThat(outcome.detail()).contains("downtime", "its definition on");
            assertThat(b.findVm("tiny").map(VmInfo::state)).contains(VmState.RUNNING);
            assertThat(a.findVm("tiny")).as("undefined on the source after reading its statistics").isEmpty();
            assertThat(EVENTS).extracting(Event::type).endsWith("migration.completed");

            MigrationJob back = b.migrate(new MigrationRequest("tiny", siteA.peerUri(), dataUri(), policy(0,
                    EnumSet.of(MigrationFeature.MULTIFD))));
            MigrationOutcome returned = back.awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
            report("tiny B->A, multifd x2", returned);

            assertThat(returned.phase()).as(returned.detail()).isEqualTo(MigrationPhase.COMPLETED);
            assertThat(a.findVm("tiny").map(VmInfo::state)).contains(VmState.RUNNING);
        }
    }

    @Test
    @Order(6)
    void abortLeavesTheVmRunningOnTheSource() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri());
                HypervisorConnection b = hypervisor.connect(siteB.uri())) {
            EVENTS.clear();
            MigrationJob job = a.migrate(new MigrationRequest("loaded", siteB.peerUri(), dataUri(),
                    policy(2L << 20, Set.of())));

            MigrationProgress progress = job.progress();
            assertThat(progress.phase()).isIn(MigrationPhase.SETUP, MigrationPhase.PRE_COPY);
            assertThat(progress.memoryTotalBytes()).isGreaterThanOrEqualTo(128L << 20);
            assertThat(a.activeMigration("loaded")).containsSame(job);
            waitFor(() -> EVENTS.stream().anyMatch(event -> event.type().equals("migration.progress")
                    && event.attributes().get("phase").equals("PRE_COPY")), "a pre-copy progress event");

            job.abort();
            MigrationOutcome outcome = job.awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
            report("loaded A->B at 2 MiB/s, aborted", outcome);

            assertThat(outcome.phase()).as(outcome.detail()).isEqualTo(MigrationPhase.CANCELLED);
            assertThat(outcome.downtime()).isEmpty();
            assertThat(a.findVm("loaded").map(VmInfo::state)).contains(VmState.RUNNING);
            assertThat(b.findVm("loaded")).as("libvirt removed the incoming domain").isEmpty();
            assertThat(EVENTS).extracting(Event::type).endsWith("migration.cancelled");
        }
    }

    @Test
    @Order(7)
    void postCopyFinishesFromTheDestination() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri());
                HypervisorConnection b = hypervisor.connect(siteB.uri())) {
            MigrationJob job = a.migrate(new MigrationRequest("loaded", siteB.peerUri(), dataUri(),
                    policy(4L << 20, EnumSet.of(MigrationFeature.POST_COPY))));
            waitFor(() -> job.progress().memoryTransferredBytes() > (4L << 20), "some pre-copy");

            job.startPostCopy();
            waitFor(() -> job.progress().phase() == MigrationPhase.POST_COPY
                    || job.awaitCompletion(Duration.ZERO).isPresent(), "post-copy or the end");
            boolean postCopySeen = job.progress().phase() == MigrationPhase.POST_COPY;
            MigrationOutcome outcome = job.awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
            report("loaded A->B, post-copy after 4 MiB (post-copy phase seen: " + postCopySeen + ")", outcome);

            assertThat(outcome.phase()).as(outcome.detail()).isEqualTo(MigrationPhase.COMPLETED);
            assertThat(outcome.totalTime()).as("at 4 MiB/s, pre-copy alone would take 12 s for 48 MiB")
                    .isLessThan(Duration.ofSeconds(8));
            assertThat(b.findVm("loaded").map(VmInfo::state)).contains(VmState.RUNNING);
        }
    }

    @Test
    @Order(8)
    void whatLibvirt90CannotDoIsRefusedBeforeAnythingChanges() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri())) {
            String version = a.host().attributes().get("libvirt-version");
            Prerequisites.require(version.compareTo("9.4") < 0 && version.startsWith("9."),
                    "this check is about libvirt < 9.4; found " + version);
            MigrationPolicy compressed = new MigrationPolicy(Duration.ofMillis(300), 0,
                    EnumSet.of(MigrationFeature.MULTIFD, MigrationFeature.COMPRESSION), 2, "zstd",
                    Duration.ofMinutes(1));

            assertThatThrownBy(() -> a.migrate(new MigrationRequest("tiny", siteB.peerUri(), dataUri(), compressed)))
                    .isInstanceOf(ExtensionException.class)
                    .hasMessageContaining("cannot compress multifd channels");
            assertThat(a.findVm("tiny").map(VmInfo::state)).contains(VmState.RUNNING);
        }
    }

    @Test
    @Order(9)
    void aDaemonThatIsNotThereIsNamedWithTheFix() {
        assertThatThrownBy(() -> hypervisor.connect(ROOT.resolve("nowhere/libvirt-sock").toString()))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("cannot connect to libvirt at qemu:///system?socket=" + ROOT)
                .satisfies(e -> assertThat(((ExtensionException) e).remedy()).contains("start libvirtd"));
    }

    @Test
    @Order(10)
    void aCompletedMigrationCanKeepTheSourceDefinitionUntilItIsRemoved() {
        try (HypervisorConnection a = hypervisor.connect(siteA.uri());
                HypervisorConnection b = hypervisor.connect(siteB.uri())) {
            MigrationJob job = a.migrate(new MigrationRequest("tiny", siteB.peerUri(), dataUri(), policy(0,
                    Set.of()), true));
            MigrationOutcome outcome = job.awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
            report("tiny A->B, source definition kept", outcome);

            assertThat(outcome.phase()).as(outcome.detail()).isEqualTo(MigrationPhase.COMPLETED);
            assertThat(outcome.downtime()).as("the statistics are read from the kept source all the same").isPresent();
            assertThat(outcome.detail()).endsWith("; its definition on " + a.host().hostname()
                    + " is kept for rollback");
            assertThat(a.findVm("tiny").map(VmInfo::state)).contains(VmState.SHUT_OFF);
            assertThat(b.findVm("tiny").map(VmInfo::state)).contains(VmState.RUNNING);
            assertThatThrownBy(() -> b.undefine("tiny")).as("libvirt itself would leave it running, transient")
                    .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KVM_VM_RUNNING"));
            assertThat(b.findVm("tiny").map(VmInfo::state)).contains(VmState.RUNNING);

            a.undefine("tiny"); // the rollback window has passed
            a.undefine("tiny"); // gone: nothing to do

            assertThat(a.findVm("tiny")).isEmpty();
        }
    }

    @Test
    @Order(11)
    void aRunningVmIsResumedFromAPauseAndStopped() {
        try (HypervisorConnection b = hypervisor.connect(siteB.uri())) {
            siteB.virsh("suspend", "tiny");
            assertThat(b.findVm("tiny").map(VmInfo::state)).contains(VmState.PAUSED);

            b.resume("tiny");
            b.resume("tiny"); // running: nothing to do

            assertThat(b.findVm("tiny").map(VmInfo::state)).contains(VmState.RUNNING);

            b.stop("tiny");
            b.stop("tiny"); // shut off: nothing to do, where virDomainDestroy would fail

            assertThat(b.findVm("tiny").map(VmInfo::state)).as("migrated with PERSIST_DEST: still defined")
                    .contains(VmState.SHUT_OFF);
            assertThatThrownBy(() -> b.resume("tiny"))
                    .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KVM_VM_NOT_RUNNING"));
            assertThatThrownBy(() -> b.stop("nope"))
                    .satisfies(e -> assertThat(errorCode(e)).isEqualTo("KVM_VM_NOT_FOUND"));
            b.undefine("tiny");
            assertThat(b.findVm("tiny")).isEmpty();
        }
    }

    /**
     * Both daemons as hosts reached through host access, the way the orchestrator reaches a remote host: libvirt over
     * a relay whose every connection is a stream of the host access to the daemon's socket. The same VMs and host
     * facts as directly, compatibility judged between two relayed hosts, and a live migration whose job outlives the
     * connection that started it; the relays are gone afterwards.
     */
    @Test
    @Order(12)
    void throughHostAccessTheDaemonsAnswerAsDirectlyAndAVmMovesLive() throws IOException {
        String socketA = siteA.uri().substring("qemu:///system?socket=".length());
        String socketB = siteB.uri().substring("qemu:///system?socket=".length());
        LocalHostAccess hostA = LocalHostAccess.processes();
        LocalHostAccess hostB = LocalHostAccess.processes();
        MigrationJob job;
        try (HypervisorConnection direct = hypervisor.connect(siteA.uri());
                HypervisorConnection a = hypervisor.connect(siteA.uri(), hostA);
                HypervisorConnection b = hypervisor.connect("qemu:///system?socket=" + socketB, hostB)) {
            assertThat(a.uri()).isEqualTo(siteA.uri());
            assertThat(a.listVms()).containsExactlyInAnyOrderElementsOf(direct.listVms());
            HostInfo relayed = a.host();
            HostInfo reached = direct.host();
            assertThat(relayed.uri()).as("the relay, in the plugin's work directory")
                    .startsWith("qemu:///system?socket=" + ROOT.resolve("state/plugins/kvm/work/r"));
            assertThat(relayed.hostname()).isEqualTo(reached.hostname());
            assertThat(relayed.cpuModel()).isEqualTo(reached.cpuModel());
            assertThat(relayed.accelerators()).as("auto, from inspecting the host through its access")
                    .isEqualTo(reached.accelerators());
            assertThat(relayed.attributes()).isEqualTo(reached.attributes());

            HostInfo destination = b.host();
            assertThat(a.checkCompatibility(a.findVm("tiny32").orElseThrow(), destination).problems()).isEmpty();
            assertThat(a.checkCompatibility(a.findVm("sky").orElseThrow(), destination).problems())
                    .extracting(Problem::check).containsExactly("cpu-model");

            job = a.migrate(new MigrationRequest("tiny32", siteB.peerUri(), dataUri(), policy(0, Set.of())));
        }
        MigrationOutcome outcome = job.awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
        report("tiny32 A->B through host access, its connection closed at once", outcome);
        assertThat(outcome.phase()).as(outcome.detail()).isEqualTo(MigrationPhase.COMPLETED);
        assertThat(hostA.socketsOpened()).as("every libvirt connection was a stream of the host access")
                .hasSizeGreaterThanOrEqualTo(4).containsOnly(socketA);
        assertThat(hostB.socketsOpened()).isNotEmpty().containsOnly(socketB);
        waitFor(() -> relayFolders().isEmpty(), "the relays closed once the connections and the job ended");

        try (HypervisorConnection b = hypervisor.connect(socketB, LocalHostAccess.processes())) {
            MigrationOutcome back = b.migrate(new MigrationRequest("tiny32", siteA.peerUri(), dataUri(), policy(0,
                    Set.of()))).awaitCompletion(MIGRATION_TIMEOUT).orElseThrow();
            assertThat(back.phase()).as(back.detail()).isEqualTo(MigrationPhase.COMPLETED);
        }
        try (HypervisorConnection a = hypervisor.connect(siteA.uri())) {
            assertThat(a.findVm("tiny32").map(VmInfo::state)).contains(VmState.RUNNING);
        }
    }

    private static List<Path> relayFolders() {
        Path work = ROOT.resolve("state/plugins/kvm/work");
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(work)) {
            return entries.toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code of an {@link ExtensionException}: the plugin's own error code enum is of the plugin's class loader. */
    private static String errorCode(Throwable e) {
        assertThat(e).isInstanceOf(ExtensionException.class);
        return ((ExtensionException) e).errorCode().code();
    }

    private static MigrationPolicy policy(long bandwidth, Set<MigrationFeature> features) {
        return new MigrationPolicy(Duration.ofMillis(300), bandwidth, features, 2, "zstd", MIGRATION_TIMEOUT);
    }

    /** A free loopback port for the migration stream. */
    private static String dataUri() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "tcp://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    private static String domain(String name, String type, String arch, int mebibytes, String cpu) {
        return """
                <domain type='%s'>
                  <name>%s</name>
                  <memory unit='MiB'>%d</memory>
                  <vcpu>1</vcpu>
                  <os><type arch='%s'>hvm</type></os>
                  <features><acpi/></features>
                  %s
                </domain>
                """.formatted(type, name, mebibytes, arch, cpu);
    }

    private static void report(String what, MigrationOutcome outcome) {
        System.out.printf("[kvm IT] %s: %s in %d ms, downtime %s, %d bytes; %s%n", what, outcome.phase(),
                outcome.totalTime().toMillis(), outcome.downtime().map(d -> d.toMillis() + " ms").orElse("-"),
                outcome.bytesTransferred(), outcome.detail());
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what + "; the last events: "
                        + EVENTS.subList(Math.max(0, EVENTS.size() - 5), EVENTS.size()));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path each : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(each);
            }
        }
    }
}
