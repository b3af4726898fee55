package io.livcloud.plugin.toolkit.process;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A program {@link ProcessRunner} started and that may still run: its output is being read, its input written, and
 * its deadline (start plus the command's timeout) applies whenever the caller waits with {@link #await()}.
 *
 * <p>Stopping it (at the deadline, by {@link #stop()} or {@link #close()}) stops the whole tree: the program and
 * every process it started that is still its descendant get SIGTERM, and those still alive after
 * {@link #STOP_GRACE} get SIGKILL, so that a shell's children or {@code ip netns exec}'s program never outlive a
 * command that ran too long.
 *
 * <p>Thread-safe. Close it when done; closing one that has ended does nothing.
 */
public final class RunningCommand implements AutoCloseable {

    /** How long a stopped program may take to end on SIGTERM before it gets SIGKILL. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(2);

    /** How long a SIGKILLed tree may take to be gone (a process in uninterruptible sleep dies only when it wakes). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    /**
     * How long output is still read once the program has ended. Its end closes the pipes unless a process it left
     * behind holds them (a daemon it forked); then the result is what came so far, and the rest is read and dropped so
     * that the daemon never blocks on a full pipe.
     */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(1);

    private final HostCommand command;
    private final Process process;
    private final long deadline;
    private final OutputPump stdout;
    private final OutputPump stderr;
    private CommandResult result; // guarded by this

    RunningCommand(HostCommand command, Process process, Consumer<String> lines) {
        this.command = command;
        this.process = process;
        this.deadline = System.nanoTime() + saturatedNanos(command.timeout());
        // Both pumps hand lines to one caller's consumer, which need not be thread-safe.
        Object oneLineAtATime = new Object();
        Consumer<String> serialized = line -> {
            synchronized (oneLineAtATime) {
                lines.accept(line);
            }
        };
        String name = "process-" + process.pid() + "-" + command.program();
        this.stdout = new OutputPump(process.getInputStream(), serialized, name + "-stdout");
        this.stderr = new OutputPump(process.getErrorStream(), serialized, name + "-stderr");
        byte[] input = command.stdin();
        if (input.length > 0) {
            // Written by a thread of its own: a program that reads its input late must not hold up the deadline.
            Thread writer = new Thread(() -> write(process.getOutputStream(), input), name + "-stdin");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** The command as it was given. */
    public HostCommand command() {
        return command;
    }

    /** The program's pid. */
    public long pid() {
        return process.pid();
    }

    /**
     * Waits up to {@code wait} for the program to end by itself, without stopping it, e.g. between two looks at a
     * migration's progress.
     *
     * @return whether it has ended
     * @throws ExtensionException {@link ProcessErrorCode#INTERRUPTED}, after stopping it
     */
    public boolean awaitEnd(Duration wait) {
        try {
            return process.waitFor(saturatedNanos(wait), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Waits for the program's end, or stops it at its deadline.
     *
     * @return its exit code and output; {@link CommandResult#TIMED_OUT} when it was stopped at the deadline
     * @throws ExtensionException {@link ProcessErrorCode#INTERRUPTED}, after stopping it
     */
    public CommandResult await() {
        try {
            if (process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return finish(false);
            }
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
        stopTree(process.toHandle());
        return finish(true);
    }

    /**
     * Stops the program and what it started now, if it still runs.
     *
     * @return what it printed; its exit code as the stopped process reports it (128 plus the signal's number), or its
     *     own if it had ended already
     */
    public CommandResult stop() {
        // Not once it has ended: what it left running on purpose (a daemon it forked) is no longer its tree.
        if (process.isAlive()) {
            stopTree(process.toHandle());
        }
        return finish(false);
    }

    /** Stops it if it still runs; the result, if wanted, comes from {@link #await()} or {@link #stop()} first. */
    @Override
    public void close() {
        stop();
    }

    /** Runs {@code action} once the program has ended. */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** Waits for {@code signal} until the deadline; stops the program and throws when interrupted. */
    void awaitBeforeDeadline(CountDownLatch signal) {
        try {
            signal.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private synchronized CommandResult finish(boolean timedOut) {
        if (result == null) {
            long until = System.nanoTime() + OUTPUT_GRACE.toNanos();
            String out = stdout.text(until);
            String err = stderr.text(until);
            // Still alive after SIGKILL and KILL_WAIT (uninterruptible sleep): no exit code exists yet.
            int exitCode = timedOut || process.isAlive() ? CommandResult.TIMED_OUT : process.exitValue();
            result = new CommandResult(exitCode, out, err);
        }
        return result;
    }

    private ExtensionException interrupted(InterruptedException e) {
        stopTree(process.toHandle());
        Thread.currentThread().interrupt();
        return new ExtensionException(ProcessErrorCode.INTERRUPTED, "interrupted while running '" + command.display()
                + "'; it was stopped", "", e);
    }

    /**
     * SIGTERM to the process and its descendants, SIGKILL after {@link #STOP_GRACE} to those still alive. The
     * descendants are listed before any signal: once a parent is gone its children are no longer its descendants.
     * An interrupt does not cut this short (the tree must go); it is kept for the caller.
     */
    static void stopTree(ProcessHandle root) {
        List<ProcessHandle> tree = Stream.concat(Stream.of(root), root.descendants()).toList();
        tree.forEach(ProcessHandle::destroy);
        boolean interrupted = awaitAll(tree, STOP_GRACE);
        List<ProcessHandle> left = tree.stream().filter(ProcessHandle::isAlive).toList();
        left.stream().flatMap(ProcessHandle::descendants).forEach(ProcessHandle::destroyForcibly);
        left.forEach(ProcessHandle::destroyForcibly);
        interrupted |= awaitAll(left, KILL_WAIT);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until all have ended or the time is up; whether the thread was interrupted meanwhile. Polled: the JDK's
     * {@code onExit} of a process that is not this JVM's child (a descendant, reparented once its parent died) polls
     * with growing sleeps and takes over a second to notice.
     */
    private static boolean awaitAll(List<ProcessHandle> processes, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        boolean interrupted = false;
        while (processes.stream().anyMatch(RunningCommand::running) && System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        return interrupted;
    }

    /**
     * Alive and not a zombie: where the init process does not reap (a container whose first process is this JVM), a
     * dead descendant stays a zombie, which no signal ends and which holds nothing.
     */
    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int commandEnd = stat.lastIndexOf(')'); // the state follows the command name, which may hold ')'
            return commandEnd < 0 || commandEnd + 2 >= stat.length() || stat.charAt(commandEnd + 2) != 'Z';
        } catch (IOException e) {
            return false; // gone between the two looks
        }
    }

    private static void write(OutputStream stdin, byte[] input) {
        try (stdin) {
            stdin.write(input);
        } catch (IOException e) {
            // The program ended, or closed its input, before reading all of it: its own business.
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // centuries: no deadline in practice, and deadline arithmetic cannot overflow
        }
    }

    /** Reads one output stream to its end on a thread of its own, keeping the bytes and handing on whole lines. */
    private static final class OutputPump {
        private final Thread thread;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        private boolean taken; // guarded by captured: the result was made; later output and lines are dropped

        OutputPump(InputStream stream, Consumer<String> lines, String name) {
            thread = new Thread(() -> pump(stream, lines), name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Lines end as {@link java.io.BufferedReader#readLine()} ends them: at {@code \n}, {@code \r} or both. */
        private void pump(InputStream stream, Consumer<String> lines) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean afterReturn = false; // a \n right after a \r ends no second line
            byte[] chunk = new byte[8192];
            try (stream) {
                for (int read = stream.read(chunk); read >= 0; read = stream.read(chunk)) {
                    synchronized (captured) {
                        if (taken) {
                            continue; // drained for a process left behind, which nobody reads any more
                        }
                        captured.write(chunk, 0, read);
                    }
                    for (int i = 0; i < read; i++) {
                        byte next = chunk[i];
                        if (next == '\r' || (next == '\n' && !afterReturn)) {
                            lines.accept(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else if (next != '\n') {
                            line.write(next);
                        }
                        afterReturn = next == '\r';
                    }
                }
            } catch (IOException e) {
                // The stream was closed while the program was stopped: what came before it stays.
            }
            if (line.size() > 0 && !isTaken()) {
                lines.accept(line.toString(StandardCharsets.UTF_8));
            }
        }

        private boolean isTaken() {
            synchronized (captured) {
                return taken;
            }
        }

        /** What the stream carried, once it ended or at {@code until} ({@link System#nanoTime()}). */
        String text(long until) {
            try {
                TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, until - System.nanoTime()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the result is made from what came so far
            }
            synchronized (captured) {
                taken = true;
                return captured.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
