package io.livcloud.plugin.toolkit.process;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs programs on this machine: the local form of {@link io.livcloud.spi.host.HostAccess#run}, speaking its
 * {@link HostCommand} and {@link CommandResult}, so that a host access for this machine or for a network namespace on
 * it ({@code ip netns exec NS ...}) is a thin layer over this class. Plugins (strongswan, lab, kvm) and the lab tools
 * call it wherever they start a program.
 *
 * <p>Every program gets its argument vector as it is (never a shell line), is found on PATH and then in
 * {@link #SYSTEM_FOLDERS}, and runs with that search path as its own PATH and {@code LC_ALL=C}, so that what it prints
 * reads the same on every machine. A program that runs to its end is read through {@link RunningCommand}: both output
 * streams are read as they come (a chatty program never blocks on a full pipe), and at its timeout the program and
 * every process it started are stopped.
 *
 * <p>The methods that run or start a program throw {@link ExtensionException} with
 * {@link ProcessErrorCode#PROGRAM_NOT_FOUND} when the program is nowhere on the search path,
 * {@link ProcessErrorCode#START_FAILED} when the operating system refuses to start it, and
 * {@link ProcessErrorCode#INTERRUPTED} when the calling thread is interrupted while it waits (the program is stopped
 * first). A program that exits non-zero, or is killed at its timeout, is no exception: its result says so.
 *
 * <p>Immutable and thread-safe: one instance may serve a whole plugin.
 */
public final class ProcessRunner {

    /** Searched after PATH: root's programs (ip, unshare, libvirtd) live in sbin, which a user's PATH may lack. */
    public static final List<String> SYSTEM_FOLDERS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private static final File NO_INPUT = new File("/dev/null");

    private final List<String> searchPath;

    /** A runner that searches this process's PATH, then {@link #SYSTEM_FOLDERS}. */
    public ProcessRunner() {
        this(System.getenv("PATH"));
    }

    /** A runner that searches {@code path} (a PATH value; {@code null} for none), then {@link #SYSTEM_FOLDERS}. */
    ProcessRunner(String path) {
        Set<String> folders = new LinkedHashSet<>();
        if (path != null) {
            for (String folder : path.split(File.pathSeparator)) {
                if (!folder.isEmpty()) {
                    folders.add(folder);
                }
            }
        }
        folders.addAll(SYSTEM_FOLDERS);
        this.searchPath = List.copyOf(folders);
    }

    /**
     * Where a program is: a name is searched on PATH and then in {@link #SYSTEM_FOLDERS}; a name with a {@code /} is
     * taken as the path itself.
     *
     * @return the executable, or empty when there is none
     */
    public Optional<Path> find(String program) {
        requireNonNull(program, "program is null");
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String folder : searchPath) {
            Path candidate = Path.of(folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a command to its end, or stops it (and what it started) at its timeout.
     *
     * @return its exit code and both output streams; {@link CommandResult#timedOut()} when it was stopped
     * @throws ExtensionException {@link ProcessErrorCode#PROGRAM_NOT_FOUND}, {@code START_FAILED} or
     *     {@code INTERRUPTED}
     */
    public CommandResult run(HostCommand command) {
        return run(command, Map.of());
    }

    /**
     * {@link #run(HostCommand)} with more environment variables, e.g. {@code STRONGSWAN_CONF} for charon's tools; they
     * override this process's own and the runner's PATH and LC_ALL.
     */
    public CommandResult run(HostCommand command, Map<String, String> environment) {
        try (RunningCommand running = start(command, environment, line -> { })) {
            return running.await();
        }
    }

    /**
     * Runs a command until a line of its output (standard output or error) satisfies {@code stopAt}, then stops it
     * and what it started; or to its end, or to its timeout, whichever comes first. For a program that never ends by
     * itself, such as an emulator booting a guest that prints a line once it is up.
     *
     * @param stopAt called with each line, without its line end, one line at a time, up to and including the first for
     *     which it answers {@code true}; it may keep what it needs, e.g. the last line
     * @return what the program printed; its exit code is the one of the stopped process (128 plus the signal's number)
     *     when {@code stopAt} stopped it, {@link CommandResult#TIMED_OUT} at the timeout
     * @throws ExtensionException as {@link #run(HostCommand)}
     */
    public CommandResult runUntil(HostCommand command, Predicate<String> stopAt) {
        requireNonNull(stopAt, "stopAt is null");
        AtomicBoolean matched = new AtomicBoolean();
        CountDownLatch lineOrEnd = new CountDownLatch(1);
        Consumer<String> watch = line -> {
            if (!matched.get() && stopAt.test(line)) {
                matched.set(true);
                lineOrEnd.countDown();
            }
        };
        try (RunningCommand running = start(command, Map.of(), watch)) {
            running.onExit(lineOrEnd::countDown);
            running.awaitBeforeDeadline(lineOrEnd);
            return matched.get() ? running.stop() : running.await();
        }
    }

    /**
     * Starts a command and returns at once, for a caller that watches it while it runs (a migration it may abort, a
     * server it stops once its client is done); close the returned command to stop it if it still runs.
     *
     * @param environment more environment variables, as {@link #run(HostCommand, Map)}
     * @param lines called with each line of its output (standard output or error, without its line end) as it
     *     arrives, one at a time, until its result is made; e.g. to echo a build's progress, or to keep both streams
     *     in the order they came
     * @throws ExtensionException {@link ProcessErrorCode#PROGRAM_NOT_FOUND} or {@code START_FAILED}
     */
    public RunningCommand start(HostCommand command, Map<String, String> environment, Consumer<String> lines) {
        requireNonNull(command, "command is null");
        requireNonNull(lines, "lines is null");
        ProcessBuilder builder = builder(command.argv(), environment);
        if (command.stdin().length == 0) {
            // End of file at once: a program that reads its input never waits on a pipe that nobody writes.
            builder.redirectInput(NO_INPUT);
        }
        Process process = start(builder, command.display(), "");
        return new RunningCommand(command, process, lines);
    }

    /**
     * Starts a daemon that outlives this call (and this process, when it begins with {@code setsid} or detaches
     * itself): standard input from {@code /dev/null}, standard output and error appended to {@code log}. It stays this
     * JVM's child while this JVM runs, so the JDK collects its exit status and no zombie is left where the init
     * process does not reap; the caller stops it through the handle or its pid when it is done.
     *
     * @param environment more environment variables, as {@link #run(HostCommand, Map)}
     * @param log where its output goes; created if missing, its folder must exist
     * @return the daemon's process, whose pid the caller may record
     * @throws ExtensionException {@link ProcessErrorCode#PROGRAM_NOT_FOUND} or {@code START_FAILED}
     */
    public ProcessHandle startDaemon(List<String> argv, Map<String, String> environment, Path log) {
        requireNonNull(log, "log is null");
        ProcessBuilder builder = builder(argv, environment)
                .redirectInput(NO_INPUT)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectErrorStream(true);
        return start(builder, String.join(" ", argv), " with its output in " + log).toHandle();
    }

    private ProcessBuilder builder(List<String> argv, Map<String, String> environment) {
        requireNonNull(environment, "environment is null");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        String program = argv.get(0);
        Path executable = find(program).orElseThrow(() -> notFound(program, String.join(" ", argv)));
        List<String> resolved = new ArrayList<>(argv);
        resolved.set(0, executable.toString());
        ProcessBuilder builder = new ProcessBuilder(resolved);
        Map<String, String> variables = builder.environment();
        // The program's own children (ip netns exec's, a shell's) find what this runner finds.
        variables.put("PATH", String.join(File.pathSeparator, searchPath));
        // Output that callers parse (ip, virsh, tc) in one language on every machine.
        variables.put("LC_ALL", "C");
        variables.putAll(environment);
        return builder;
    }

    private ExtensionException notFound(String program, String display) {
        if (program.contains("/")) {
            return new ExtensionException(ProcessErrorCode.PROGRAM_NOT_FOUND, "cannot run '" + display + "': "
                    + program + " is not an executable file", "check the path, or install the program there");
        }
        return new ExtensionException(ProcessErrorCode.PROGRAM_NOT_FOUND, "cannot run '" + display + "': " + program
                + " is not installed (not on PATH, nor in " + String.join(", ", SYSTEM_FOLDERS) + ")",
                "install " + program + ", or put the folder that holds it on PATH");
    }

    private static Process start(ProcessBuilder builder, String display, String where) {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ExtensionException(ProcessErrorCode.START_FAILED, "cannot start '" + display + "'" + where + ": "
                    + e.getMessage(), "check that " + builder.command().get(0) + " is a program for this machine and"
                    + " that LivCloud may run it", e);
        }
    }
}
