package io.livcloud.plugin.toolkit.ssh;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link HostCommand} on an SSH exec channel: the argument vector quoted for the remote login shell, standard input
 * written and then closed, standard output and error captured, and the timeout enforced on both ends.
 *
 * <p>Why both ends: closing an SSH channel does not stop the program behind it. Without a terminal, sshd only closes
 * the program's pipes, and a program that writes nothing (a {@code sleep}, a hung {@code virsh}) runs on for ever. So
 * the program runs under coreutils' {@code timeout} on the host (GNU coreutils, present on every Debian and Ubuntu
 * host), which sends it and its whole process group TERM at the deadline and KILL two seconds later; and this side
 * closes the channel at the same deadline, so the caller waits no longer than it asked, whatever the host does.
 */
final class SshCommandRun {

    private static final Logger LOG = LoggerFactory.getLogger(SshCommandRun.class);

    /** How long a program that ignores TERM at its deadline has before {@code timeout} sends KILL. */
    private static final String KILL_AFTER = "2s";
    /** {@code timeout}'s exit codes when it stopped the program: with TERM, and with KILL (128 + 9). */
    private static final Set<Integer> STOPPED_BY_TIMEOUT = Set.of(124, 137);
    /** The exit code a shell reports for a program killed by a signal: 128 plus the signal's number. */
    private static final Map<String, Integer> SIGNALS = Map.of("HUP", 1, "INT", 2, "QUIT", 3, "ILL", 4, "ABRT", 6,
            "FPE", 8, "KILL", 9, "SEGV", 11, "PIPE", 13, "TERM", 15);

    private final SshHost host;
    private final HostCommand command;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private long started;
    private ChannelExec channel;

    private SshCommandRun(SshHost host, HostCommand command) {
        this.host = host;
        this.command = command;
    }

    /**
     * Starts the command on the host.
     *
     * @throws ExtensionException when the host cannot be reached (see {@link SshConnector#connect})
     */
    static SshCommandRun start(SshHost host, HostCommand command) {
        SshCommandRun run = new SshCommandRun(host, command);
        String line = remoteLine(command);
        // The command's clock starts before the channel opens, the host's `timeout` after: the host never stops the
        // program before this side's deadline.
        run.started = System.nanoTime();
        run.channel = host.openChannel(session -> {
            ChannelExec exec = session.createExecChannel(line);
            exec.setOut(run.stdout);
            exec.setErr(run.stderr);
            return exec;
        }, "run " + command.program());
        run.feed(command.stdin());
        return run;
    }

    /** The shell line the host runs: the program under {@code timeout}, every word quoted. */
    static String remoteLine(HostCommand command) {
        long millis = Math.max(1, command.timeout().toMillis());
        List<String> argv = new ArrayList<>(List.of("timeout", "--kill-after=" + KILL_AFTER,
                millis / 1000 + "." + String.format("%03d", millis % 1000) + "s"));
        argv.addAll(command.argv());
        return PosixShell.commandLine(argv);
    }

    /**
     * Waits for the program's end, or closes the channel at the deadline.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#SSH_UNREACHABLE} when the connection broke while the
     *     program ran (it may or may not have finished)
     */
    Outcome await() {
        try {
            Duration left = command.timeout().minus(elapsed());
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED),
                    Math.max(1, left.toMillis()));
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                return outcome(CommandResult.TIMED_OUT);
            }
            Integer status = channel.getExitStatus();
            if (status != null) {
                boolean stoppedAtDeadline = STOPPED_BY_TIMEOUT.contains(status)
                        && elapsed().compareTo(command.timeout()) >= 0;
                return outcome(stoppedAtDeadline ? CommandResult.TIMED_OUT : status);
            }
            String signal = channel.getExitSignal();
            if (signal != null) {
                return outcome(128 + SIGNALS.getOrDefault(signal, 127));
            }
            throw host.connector().unreachable(host.sshTarget(), new IOException("the connection closed while '"
                    + command.display() + "' ran; it may or may not have finished"));
        } finally {
            channel.close(true);
        }
    }

    private Outcome outcome(int exitCode) {
        // MINA writes into these from its I/O threads; their methods are synchronized, so this is a consistent copy.
        byte[] out = stdout.toByteArray();
        byte[] err = stderr.toByteArray();
        return new Outcome(new CommandResult(exitCode, new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8)), out);
    }

    private Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Writes standard input and then closes it (the program reads end of file). */
    private void feed(byte[] input) {
        OutputStream programInput = channel.getInvertedIn();
        if (input.length == 0) {
            closeInput(programInput);
            return;
        }
        // On a thread of its own: a program that reads slowly, or not at all, holds the write back (SSH windows), and
        // that must not hold back the deadline. Closing the channel ends the write.
        Thread writer = new Thread(() -> {
            try {
                programInput.write(input);
            } catch (IOException e) {
                LOG.debug("standard input of '{}' on {} not fully written: {}", command.program(), host.target(),
                        e.toString());
            }
            closeInput(programInput);
        }, "ssh-stdin " + command.program());
        writer.setDaemon(true);
        writer.start();
    }

    private void closeInput(OutputStream programInput) {
        try {
            programInput.close();
        } catch (IOException e) {
            LOG.debug("closing the standard input of '{}' on {}: {}", command.program(), host.target(), e.toString());
        }
    }

    /**
     * @param result the command's end, as the SPI has it
     * @param stdout standard output as bytes (a file read with {@code head} need not be text)
     */
    record Outcome(CommandResult result, byte[] stdout) {
    }
}
