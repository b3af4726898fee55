package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.hypervisor.Accelerator;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The functional test on another host, through its host access: the kernel and initramfs are copied into a private
 * folder there ({@code mktemp -d}, mode 0700), QEMU boots them there with the command line {@link QemuGuestBoot} uses
 * here, and the console is judged as it judges it. {@link #close()} removes the folder.
 *
 * <p>A host access runs a command to its end, while the lab guest never powers off; so a small POSIX shell script on
 * the host ({@link #BOOT}) reads QEMU's console from a FIFO and ends QEMU at the user-space line, or at the timeout
 * through a watchdog of its own. Without it every boot would last its whole timeout, and a QEMU whose host access was
 * cut (an SSH channel closed at its timeout) would run on there with nobody to stop it.
 */
final class RemoteGuestBoot implements GuestBoot, AutoCloseable {

    /** Exit code of {@link #BOOT} when its watchdog ended QEMU; 125 to 127: QEMU did not start. */
    static final int TIMED_OUT = 124;

    /**
     * {@code $1} the private folder, {@code $2} the line that ends the boot, {@code $3} the timeout in seconds, then
     * QEMU's command. Prints the console up to and including that line. The watchdog ends its {@code sleep} when it
     * is stopped, so nothing of the boot outlives the script; its output goes nowhere, so that it holds no stream of
     * the host access open meanwhile.
     */
    static final String BOOT = """
            folder=$1 line=$2 seconds=$3
            shift 3
            mkfifo "$folder/console" || exit 125
            "$@" </dev/null >"$folder/console" 2>&1 &
            qemu=$!
            {
                sleep "$seconds" &
                sleeper=$!
                trap 'kill "$sleeper"; exit 0' TERM
                wait "$sleeper" && : >"$folder/timed-out" && kill -KILL "$qemu"
            } </dev/null >/dev/null 2>&1 &
            watchdog=$!
            reached=
            while IFS= read -r console; do
                printf '%s\\n' "$console"
                case $console in *"$line"*) reached=yes; break ;; esac
            done <"$folder/console"
            kill -KILL "$qemu" 2>/dev/null
            wait "$qemu"
            status=$?
            kill "$watchdog" 2>/dev/null
            rm -f "$folder/console"
            [ -n "$reached" ] && exit 0
            [ -e "$folder/timed-out" ] && { rm -f "$folder/timed-out"; exit 124; }
            exit "$status"
            """;
    /** Writes standard input to {@code $1} and prints how many bytes arrived there. */
    static final String COPY = "cat >\"$1\" && wc -c <\"$1\"";
    /** mktemp's template: a name that says whose it is, should a crash leave it behind. */
    static final String FOLDER_TEMPLATE = "/tmp/livcloud-probe.XXXXXXXX";

    /** For copying a kernel or an initramfs (a few MiB each) to the host. */
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(2);
    /** Beyond the boot's own timeout, for the script's start and end and the host access's round trip. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final HostAccess host;
    private final String qemuBinary;
    private final String folder;
    private final System.Logger logger;

    private RemoteGuestBoot(HostAccess host, String qemuBinary, String folder, System.Logger logger) {
        this.host = host;
        this.qemuBinary = qemuBinary;
        this.folder = folder;
        this.logger = logger;
    }

    /** Why the test guest could not be put on the host; the verdict then rests on evidence only. */
    static final class NotCopied extends Exception {
        NotCopied(String message) {
            super(message);
        }
    }

    /**
     * Makes the private folder on the host and copies the kernel and initramfs of this machine into it.
     *
     * @throws NotCopied when a file cannot be read here, or the folder or a copy cannot be made there (the folder is
     *     removed again)
     * @throws io.livcloud.spi.ExtensionException when the host cannot be reached
     */
    static RemoteGuestBoot copyTo(HostAccess host, String qemuBinary, Path kernel, Path initrd,
            System.Logger logger) throws NotCopied {
        Objects.requireNonNull(host, "host is null");
        HostCommand mktemp = HostCommand.of(OverHostAccess.TIMEOUT, "mktemp", "-d", FOLDER_TEMPLATE);
        CommandResult made = host.run(mktemp);
        String folder = made.stdout().strip();
        if (!made.succeeded() || !folder.startsWith("/") || folder.contains("\n")) {
            throw new NotCopied("cannot make a private folder for the test guest on " + host.target() + ": "
                    + OverHostAccess.failure(mktemp, made));
        }
        RemoteGuestBoot boot = new RemoteGuestBoot(host, qemuBinary, folder, logger);
        try {
            boot.copy(kernel, "vmlinuz");
            boot.copy(initrd, "initrd");
        } catch (NotCopied | RuntimeException e) {
            boot.close();
            throw e;
        }
        return boot;
    }

    private void copy(Path local, String name) throws NotCopied {
        byte[] content;
        try {
            content = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new NotCopied("cannot read " + local + " to copy it to " + host.target() + ": " + e);
        }
        HostCommand command = new HostCommand(List.of("sh", "-c", COPY, "sh", folder + "/" + name), content,
                COPY_TIMEOUT);
        CommandResult result = host.run(command);
        if (!result.succeeded() || !result.stdout().strip().equals(Integer.toString(content.length))) {
            throw new NotCopied("cannot copy " + local + " (" + content.length + " bytes) to " + folder + " on "
                    + host.target() + ": " + OverHostAccess.failure(command, result));
        }
    }

    /** The private folder on the host. */
    String folder() {
        return folder;
    }

    @Override
    public Outcome boot(Accelerator accelerator, Duration timeout) {
        List<String> qemu = QemuGuestBoot.command(qemuBinary, folder + "/vmlinuz", folder + "/initrd", accelerator);
        String shown = String.join(" ", qemu);
        List<String> argv = new ArrayList<>(List.of("sh", "-c", BOOT, "sh", folder, QemuGuestBoot.USER_SPACE_LINE,
                Long.toString(Math.max(1, (timeout.toMillis() + 999) / 1000))));
        argv.addAll(qemu);
        long start = System.nanoTime();
        CommandResult result = host.run(new HostCommand(argv, new byte[0], timeout.plus(MARGIN)));
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        List<String> console = result.stdout().lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        String lastLine = console.isEmpty() ? "" : console.get(console.size() - 1);
        boolean reached = console.stream().anyMatch(line -> line.contains(QemuGuestBoot.USER_SPACE_LINE));
        if (!reached && result.exitCode() >= 125 && result.exitCode() <= 127) {
            return new Outcome(false, false, Duration.ZERO, "cannot run '" + shown + "' on " + host.target() + ": "
                    + (lastLine.isEmpty() ? result.output() : lastLine));
        }
        CommandResult judged = result.exitCode() == TIMED_OUT
                ? new CommandResult(CommandResult.TIMED_OUT, result.stdout(), result.stderr()) : result;
        return QemuGuestBoot.judge(shown, reached, elapsed, judged, lastLine, timeout);
    }

    /** Removes the folder and what is in it; a failure is logged, the probe's report stands. */
    @Override
    public void close() {
        HostCommand remove = HostCommand.of(OverHostAccess.TIMEOUT, "rm", "-rf", "--", folder);
        try {
            CommandResult result = host.run(remove);
            if (!result.succeeded()) {
                logger.log(Level.WARNING, "the test guest''s folder is left on {0}: {1}", host.target(),
                        OverHostAccess.failure(remove, result));
            }
        } catch (RuntimeException e) {
            logger.log(Level.WARNING, "the test guest''s folder {0} is left on {1}: {2}", folder, host.target(),
                    e.getMessage());
        }
    }
}
