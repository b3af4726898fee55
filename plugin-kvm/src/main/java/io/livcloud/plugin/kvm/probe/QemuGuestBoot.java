package io.livcloud.plugin.kvm.probe;

import io.livcloud.plugin.toolkit.process.ProcessErrorCode;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.hypervisor.Accelerator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Boots a kernel and initramfs under {@code qemu-system-x86_64 -nographic} and watches the serial console for a line
 * that only user space prints. No {@code -cpu host}: on a PVM host it aborts on MSR 0x10a before the guest runs, which
 * would test QEMU's CPU model instead of the accelerator. The toolkit's runner stops QEMU once the line shows, or at
 * the timeout.
 */
public final class QemuGuestBoot implements GuestBoot {

    /** What the lab guest's init prints once user space runs. */
    public static final String USER_SPACE_LINE = "livcloud-workload started";

    private final ProcessRunner processes = new ProcessRunner();
    private final String qemuBinary;
    private final Path kernel;
    private final Path initrd;

    public QemuGuestBoot(String qemuBinary, Path kernel, Path initrd) {
        this.qemuBinary = Objects.requireNonNull(qemuBinary, "qemuBinary is null");
        this.kernel = Objects.requireNonNull(kernel, "kernel is null");
        this.initrd = Objects.requireNonNull(initrd, "initrd is null");
    }

    List<String> command(Accelerator accelerator) {
        return command(qemuBinary, kernel.toString(), initrd.toString(), accelerator);
    }

    /** The emulator's command line, the same on this machine and on another host ({@link RemoteGuestBoot}). */
    static List<String> command(String qemuBinary, String kernel, String initrd, Accelerator accelerator) {
        return List.of(qemuBinary, "-accel", accelerator == Accelerator.TCG ? "tcg" : "kvm", "-nographic",
                "-no-reboot", "-m", "128", "-kernel", kernel, "-initrd", initrd, "-append", "console=ttyS0 panic=-1");
    }

    @Override
    public Outcome boot(Accelerator accelerator, Duration timeout) {
        HostCommand command = HostCommand.of(timeout, command(accelerator));
        String shown = command.display();
        AtomicReference<String> lastLine = new AtomicReference<>("");
        AtomicLong reachedAt = new AtomicLong(); // System.nanoTime() when the line showed; 0 until then
        long start = System.nanoTime();
        CommandResult result;
        try {
            result = processes.runUntil(command, line -> {
                if (!line.isBlank()) {
                    lastLine.set(line.strip());
                }
                boolean reached = line.contains(USER_SPACE_LINE);
                if (reached) {
                    reachedAt.set(System.nanoTime());
                }
                return reached;
            });
        } catch (ExtensionException e) {
            if (e.errorCode() == ProcessErrorCode.INTERRUPTED) {
                return new Outcome(false, true, Duration.ofNanos(System.nanoTime() - start), shown + ": interrupted");
            }
            return new Outcome(false, false, Duration.ZERO, e.getMessage());
        }
        // The line may also come with the last output of a guest that then ended: it reached user space all the same.
        boolean inTime = reachedAt.get() != 0;
        Duration elapsed = Duration.ofNanos((inTime ? reachedAt.get() : System.nanoTime()) - start);
        return judge(shown, inTime, elapsed, result, lastLine.get(), timeout);
    }

    /**
     * What a boot that started gave, wherever QEMU ran.
     *
     * @param shown the command, for the detail
     * @param reachedUserSpace the console showed {@link #USER_SPACE_LINE}
     * @param result how QEMU ended: stopped at the line, timed out, or exited by itself
     * @param lastLine the last console line that was not blank
     */
    static Outcome judge(String shown, boolean reachedUserSpace, Duration elapsed, CommandResult result,
            String lastLine, Duration timeout) {
        String end = reachedUserSpace ? "reached user space" : result.timedOut() ? "no user space within " + timeout
                : "exited with " + result.exitCode() + " before user space";
        return new Outcome(reachedUserSpace, true, elapsed, shown + ": " + end + "; last console line: " + lastLine);
    }
}
