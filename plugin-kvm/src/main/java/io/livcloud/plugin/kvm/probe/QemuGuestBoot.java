package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.hypervisor.Accelerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Boots a kernel and initramfs under {@code qemu-system-x86_64 -nographic} and watches the serial console for a line
 * that only user space prints. No {@code -cpu host}: on a PVM host it aborts on MSR 0x10a before the guest runs, which
 * would test QEMU's CPU model instead of the accelerator. The process is killed by its own handle afterwards.
 */
public final class QemuGuestBoot implements GuestBoot {

    /** What the lab guest's init prints once user space runs. */
    public static final String USER_SPACE_LINE = "livcloud-workload started";

    private final String qemuBinary;
    private final Path kernel;
    private final Path initrd;

    public QemuGuestBoot(String qemuBinary, Path kernel, Path initrd) {
        this.qemuBinary = Objects.requireNonNull(qemuBinary, "qemuBinary is null");
        this.kernel = Objects.requireNonNull(kernel, "kernel is null");
        this.initrd = Objects.requireNonNull(initrd, "initrd is null");
    }

    List<String> command(Accelerator accelerator) {
        return List.of(qemuBinary, "-accel", accelerator == Accelerator.TCG ? "tcg" : "kvm", "-nographic",
                "-no-reboot", "-m", "128", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", "console=ttyS0 panic=-1");
    }

    @Override
    public Outcome boot(Accelerator accelerator, Duration timeout) {
        List<String> command = command(accelerator);
        String shown = String.join(" ", command);
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Outcome(false, false, Duration.ZERO, shown + " did not start: " + e.getMessage());
        }
        CountDownLatch reached = new CountDownLatch(1);
        AtomicReference<String> lastLine = new AtomicReference<>("");
        Thread reader = new Thread(() -> {
            try (BufferedReader console = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = console.readLine(); line != null; line = console.readLine()) {
                    if (!line.isBlank()) {
                        lastLine.set(line.strip());
                    }
                    if (line.contains(USER_SPACE_LINE)) {
                        reached.countDown();
                    }
                }
            } catch (IOException e) {
                // The process was killed: the console ends.
            }
        }, "functional-test-console-" + accelerator.name().toLowerCase(Locale.ROOT));
        reader.setDaemon(true);
        reader.start();
        try {
            boolean inTime = awaitLineOrExit(reached, process, timeout);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String end = inTime ? "reached user space" : process.isAlive() ? "no user space within " + timeout
                    : "exited with " + process.exitValue() + " before user space";
            return new Outcome(inTime, true, elapsed, shown + ": " + end + "; last console line: " + lastLine.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, true, Duration.ofNanos(System.nanoTime() - start), shown + ": interrupted");
        } finally {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean awaitLineOrExit(CountDownLatch reached, Process process, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (reached.await(100, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (!process.isAlive()) {
                // Let the reader drain what the process printed before it ended.
                return reached.await(500, TimeUnit.MILLISECONDS);
            }
        }
        return false;
    }
}
