package io.livcloud.plugin.kvm;

import static io.livcloud.plugin.kvm.FakeLibvirt.migrating;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.testing.FakeHostAccess;
import io.livcloud.testing.TestingExtensionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connect(uri, host)}: libvirt reached at the host's own socket through a relay in the plugin's work
 * directory, against {@link FakeLibvirt} (which says hello through the relay) and a {@link FakeHostAccess} whose
 * socket echoes.
 */
class KvmHostAccessTest {

    private static final String TARGET = "fake ssh root@203.0.113.10";
    private static final String LAB_SOCKET = "/var/lib/livcloud/lab/sites/a/run/libvirt-sock";

    @TempDir
    Path work;

    private final FakeLibvirt libvirt = new FakeLibvirt();
    private final FakeLibvirt.Host remote = libvirt.hostBehindAnySocket("site-a-host");
    private final FakeHostAccess host = new FakeHostAccess(TARGET);

    private KvmHypervisor hypervisor() {
        return new KvmHypervisor(libvirt, KvmConfig.from(KvmConfigs.defaults()
                .with(KvmConfig.PROGRESS_INTERVAL.key(), Duration.ofMillis(20))),
                new TestingExtensionContext("kvm").withWorkDirectory(work),
                () -> {
                    throw new AssertionError("a host reached through host access was judged by this machine");
                });
    }

    @AfterEach
    void nothingIsLeftOpen() {
        assertThat(libvirt.openConnections()).isZero();
        assertThat(host.closed()).as("the host access is the caller's").isFalse();
    }

    @Test
    void theSystemDaemonIsReachedAtLibvirtsDefaultSocketThroughARelayInTheWorkDirectory() throws IOException {
        host.echoSocket("/var/run/libvirt/libvirt-sock");

        try (HypervisorConnection connection = hypervisor().connect("qemu:///system", host)) {
            assertThat(connection.uri()).isEqualTo("qemu:///system");
            String reached = libvirt.connectedUris().get(0);
            assertThat(reached).startsWith("qemu:///system?socket=" + work.toAbsolutePath() + "/r")
                    .endsWith("/libvirt-sock");
            assertThat(connection.host().uri()).as("where another connection reaches this host")
                    .isEqualTo(reached);
            assertThat(connection.listVms()).isEmpty();
        }
        assertThat(relayFolders()).as("the relay and its folder are gone with the connection").isEmpty();
    }

    @Test
    void theSocketIsTakenFromTheUriAndABareSocketPathIsTheSame() {
        host.echoSocket(LAB_SOCKET);

        for (String uri : List.of("qemu:///system?socket=" + LAB_SOCKET, LAB_SOCKET,
                "qemu+unix:///system?socket=" + LAB_SOCKET)) {
            try (HypervisorConnection connection = hypervisor().connect(uri, host)) {
                assertThat(connection.listVms()).isEmpty();
            }
        }
        assertThat(libvirt.connectedUris()).hasSize(3).allMatch(uri -> uri.startsWith("qemu:///system?socket="
                + work.toAbsolutePath()) && uri.endsWith("/libvirt-sock"));
    }

    @Test
    void messagesNameTheHostsTargetAndTheUriAsSeenThere() {
        host.echoSocket(LAB_SOCKET);

        try (HypervisorConnection connection = hypervisor().connect(LAB_SOCKET, host)) {
            assertThatThrownBy(() -> connection.resume("web1"))
                    .isInstanceOf(ExtensionException.class)
                    .hasMessage("host qemu:///system?socket=" + LAB_SOCKET + " on " + TARGET
                            + " has no VM named 'web1'")
                    .satisfies(e -> assertThat(((ExtensionException) e).remedy())
                            .isEqualTo("list the VMs there (virsh -c 'qemu:///system?socket=" + LAB_SOCKET
                                    + "' list --all) and check the name"));
        }
    }

    @Test
    void aSocketThatCannotBeReachedFailsWithTheHostAccessesOwnWordsAndLeavesNoRelay() {
        assertThatThrownBy(() -> hypervisor().connect("qemu:///system", host))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("nothing listens on /var/run/libvirt/libvirt-sock at " + TARGET)
                .extracting(e -> ((ExtensionException) e).errorCode())
                .isEqualTo(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET);
        assertThat(libvirt.connectedUris()).isEmpty();
        assertThat(relayFolders()).isEmpty();
    }

    @Test
    void whenLibvirtFailsTheMessageNamesTheHostsSocketNotTheRelay() {
        host.socket("/var/run/libvirt/libvirt-sock", SilentSocket::new);

        assertThatThrownBy(() -> hypervisor().connect("qemu:///system", host))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("cannot connect to libvirt at qemu:///system on " + TARGET + ": End of file while reading"
                        + " data: got '' through /var/run/libvirt/libvirt-sock on " + TARGET)
                .satisfies(e -> assertThat(((ExtensionException) e).remedy()).contains(
                        "check that libvirtd runs on " + TARGET + " with its socket at /var/run/libvirt/libvirt-sock"));
        assertThat(relayFolders()).isEmpty();
    }

    /** A socket whose far end closes at once, as a daemon that drops every client. */
    private static final class SilentSocket implements HostChannel {
        @Override
        public InputStream input() {
            return InputStream.nullInputStream();
        }

        @Override
        public OutputStream output() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public String description() {
            return "a silent socket";
        }

        @Override
        public void close() {
            // Nothing held.
        }
    }

    @Test
    void onlyAnAddressAsSeenOnTheHostIsAccepted() {
        host.echoSocket("/var/run/libvirt/libvirt-sock");
        KvmHypervisor hypervisor = hypervisor();

        for (String uri : List.of("qemu+tcp://10.99.0.3/system", "qemu+ssh://root@203.0.113.10/system",
                "qemu+tcp:///system", "test:///default", "qemu:///session")) {
            assertThatThrownBy(() -> hypervisor.connect(uri, host))
                    .as(uri)
                    .isInstanceOf(ExtensionException.class)
                    .extracting(e -> ((ExtensionException) e).errorCode())
                    .isEqualTo(KvmErrorCode.INVALID_URI);
        }
        assertThatThrownBy(() -> hypervisor.connect("qemu:///session", host)).hasMessageContaining("?socket=");
        assertThat(host.calls()).as("nothing was tried on the host").isZero();
    }

    @Test
    void aMigrationKeepsTheRelayOpenAfterItsConnectionClosedUntilItEnds() throws Exception {
        host.echoSocket("/var/run/libvirt/libvirt-sock");
        FakeLibvirt.Domain tiny = remote.domain("tiny", "domain-x86_64-running.xml", DomainState.RUNNING);
        CountDownLatch release = new CountDownLatch(1);
        tiny.migration = FakeLibvirt.Migration.until(release, migrating(2, 67_000_000, 50_000_000, 17_000_000));
        MigrationJob job;
        try (HypervisorConnection connection = hypervisor().connect("qemu:///system", host)) {
            job = connection.migrate(new MigrationRequest("tiny", "qemu+tcp://10.99.0.3/system",
                    "tcp://10.99.0.3:49152", new MigrationPolicy(Duration.ofMillis(300), 0, Set.of(), 1, "zstd",
                            Duration.ofMinutes(5))));
        }

        assertThat(relayFolders()).as("the job's connections still use it").hasSize(1);
        release.countDown();
        assertThat(job.awaitCompletion(Duration.ofSeconds(10)).orElseThrow().phase())
                .isEqualTo(MigrationPhase.COMPLETED);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!relayFolders().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(relayFolders()).as("closed once the job ended").isEmpty();
    }

    @Test
    void acceleratorAutoJudgesTheHostByInspectingItThroughItsAccess() {
        host.echoSocket("/var/run/libvirt/libvirt-sock")
                .file("/proc/cpuinfo", ("vendor_id\t: GenuineIntel\nflags\t\t: fpu vmx sse2\n")
                        .getBytes(StandardCharsets.UTF_8))
                .program("test", command -> exit(List.of("/dev/kvm", "/sys/module/kvm_intel")
                        .contains(command.argv().get(2)) ? 0 : 1, ""))
                .program("sh", command -> command.argv().contains("0xAE00") ? exit(0, "12\n")
                        : command.argv().contains("0xAE03") ? exit(0, "1\n")
                        : command.argv().get(2).contains("dd if") ? exit(3, "") : exit(0, ""));

        try (HypervisorConnection connection = hypervisor().connect("qemu:///system", host)) {
            HostInfo info = connection.host();

            assertThat(info.accelerators()).as("libvirt's captured capabilities lack vmx; the host has it")
                    .containsExactlyInAnyOrder(Accelerator.KVM, Accelerator.TCG);
            assertThat(info.attributes()).containsEntry("hardware-virtualization", "vmx");
            connection.host();
        }
        assertThat(host.commandLines()).filteredOn(line -> line.contains("0xAE00")).as("inspected once").hasSize(1);
    }

    private static CommandResult exit(int code, String stdout) {
        return new CommandResult(code, stdout, "");
    }

    private List<Path> relayFolders() {
        try (Stream<Path> entries = Files.list(work)) {
            return entries.toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
