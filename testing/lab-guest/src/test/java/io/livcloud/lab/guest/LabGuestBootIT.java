package io.livcloud.lab.guest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.livcloud.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds each lab guest from Debian packages and boots it with plain QEMU under TCG (no libvirt): heartbeats come with
 * increasing sequence numbers, a control line on ttyS1 changes the dirty rate and is acknowledged, and the i686 guest
 * really runs 32-bit code. Without QEMU or a build package the test is skipped, except under CI=true, where it fails.
 */
class LabGuestBootIT {

    private static final Duration FIRST_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration LINE_TIMEOUT = Duration.ofSeconds(10);
    private static final int INITIAL_RATE_MIBPS = 5;
    private static final int INITIAL_WORKING_SET_MIB = 16;
    private static final String GUEST_ADDRESS = "10.99.10.5/24";

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopQemu() throws InterruptedException {
        for (Process process : started) {
            stop(process);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "i686"})
    void guestBootsBeatsAndObeysTheControlPort(String architecture, @TempDir Path directory)
            throws Exception {
        Path cache = LabGuest.defaultCacheDirectory();
        requirePrerequisites(architecture, cache);

        long buildStart = System.nanoTime();
        GuestImage image = LabGuest.build(architecture, cache);
        long buildMillis = millisSince(buildStart);
        assertThat(image.kernel()).isRegularFile();
        assertThat(image.initramfs()).isRegularFile();

        Path serialLog = directory.resolve("serial.log");
        Path controlSocket = directory.resolve("control.sock");
        Path qemuOutput = directory.resolve("qemu.out");
        long bootStart = System.nanoTime();
        Process qemu = startQemu(image, serialLog, controlSocket, qemuOutput);
        HeartbeatLog log = HeartbeatLog.of(serialLog);

        Heartbeat first = await(qemu, qemuOutput, () -> log.waitForSequence(1, FIRST_HEARTBEAT_TIMEOUT));
        long firstHeartbeatMillis = millisSince(bootStart);
        String startLine = log.waitForLine("livcloud-workload started", LINE_TIMEOUT);
        System.out.printf("lab guest %s: %d ms to build (%s), initramfs %d bytes, vmlinuz %d bytes, first heartbeat "
                        + "%d ms after QEMU started (guest uptime %d ms)%n", architecture, buildMillis,
                cache, Files.size(image.initramfs()), Files.size(image.kernel()), firstHeartbeatMillis,
                first.uptimeMillis());

        assertThat(first).isEqualTo(new Heartbeat(1, first.uptimeMillis(), INITIAL_RATE_MIBPS,
                INITIAL_WORKING_SET_MIB));
        assertThat(startLine).contains("arch=" + architecture + " ");
        assertThat(startLine).contains(architecture.equals(LabGuest.I686) ? "bits=32" : "bits=64");
        assertThat(log.lines()).contains("livcloud-init: eth0 " + GUEST_ADDRESS + " up");

        Heartbeat fifth = await(qemu, qemuOutput, () -> log.waitForSequence(5, LINE_TIMEOUT));
        assertThat(fifth.sequence()).isEqualTo(5);
        // Strictly increasing rather than exactly 1, 2, 3: a kernel message can cut a heartbeat line in the log.
        assertThat(log.heartbeats()).extracting(Heartbeat::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(log.hasReset()).isFalse();
        assertThat(log.maxGapMillis()).isBetween(50L, 1000L);

        sendControlLine(controlSocket, "rate 20");
        await(qemu, qemuOutput, () -> log.waitForLine(
                "livcloud-control rate=20 wss=" + INITIAL_WORKING_SET_MIB, LINE_TIMEOUT));
        long afterAcknowledgement = log.lastSequence() + 1;
        Heartbeat next = await(qemu, qemuOutput, () -> log.waitForSequence(afterAcknowledgement, LINE_TIMEOUT));
        assertThat(next.dirtyRateMiBps()).isEqualTo(20);
        assertThat(log.hasReset()).isFalse();

        stop(qemu);
        assertThat(qemu.isAlive()).isFalse();
    }

    private Process startQemu(GuestImage image, Path serialLog, Path controlSocket, Path output) throws IOException {
        String architecture = image.architecture();
        List<String> command = List.of(
                LabGuest.qemuBinary(architecture), "-accel", "tcg", "-machine", "pc", "-cpu",
                LabGuest.cpuModel(architecture), "-m", "256", "-smp", "1",
                "-nodefaults", "-nographic", "-no-reboot",
                "-kernel", image.kernel().toString(),
                "-initrd", image.initramfs().toString(),
                "-append", LabGuest.kernelCommandLine(INITIAL_RATE_MIBPS, INITIAL_WORKING_SET_MIB)
                        + " livcloud.ip=" + GUEST_ADDRESS,
                "-serial", "file:" + serialLog,
                "-chardev", "socket,id=control,path=" + controlSocket + ",server=on,wait=off",
                "-serial", "chardev:control",
                // A NIC on a hub with nothing else on it: the driver and eth0 are exercised, no packet leaves QEMU.
                "-netdev", "hubport,id=lab,hubid=0",
                "-device", "virtio-net-pci,netdev=lab,romfile=");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(process);
        return process;
    }

    private static void sendControlLine(Path controlSocket, String line) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + LINE_TIMEOUT.toNanos();
        while (!Files.exists(controlSocket) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(controlSocket));
            ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** Stops a QEMU this test started, by its handle: SIGTERM, then SIGKILL after 10 s. */
    private static void stop(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private interface Wait<T> {
        T get() throws InterruptedException, TimeoutException;
    }

    /** Waits for the guest, and when it does not come, fails with what QEMU said and whether it still runs. */
    private static <T> T await(Process qemu, Path qemuOutput, Wait<T> wait) throws Exception {
        try {
            return wait.get();
        } catch (TimeoutException e) {
            String said = Files.exists(qemuOutput) ? Files.readString(qemuOutput) : "";
            return fail(e.getMessage() + "\nQEMU " + (qemu.isAlive() ? "is still running" : "exited with "
                    + qemu.exitValue()) + "; its output:\n" + said);
        }
    }

    private static void requirePrerequisites(String architecture, Path cache) {
        List<String> missing = new ArrayList<>(LabGuest.missingBuildPackages(architecture, cache));
        String qemu = LabGuest.qemuBinary(architecture);
        if (!onPath(qemu)) {
            missing.add("qemu-system-x86 (no " + qemu + ")");
        }
        Prerequisites.require(missing.isEmpty(), "the " + architecture + " lab guest cannot be built and booted here;"
                + " missing: " + String.join("; ", missing)
                + ". Install them with scripts/install-lab-prerequisites.sh (as root).");
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
