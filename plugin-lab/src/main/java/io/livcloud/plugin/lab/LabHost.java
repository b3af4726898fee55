package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the lab needs of the operating system, and nothing more: commands with a timeout, a detached daemon, what
 * {@code /proc} and {@code ip} say. The site logic ({@link Lab}) talks only to this, so it is tested against a
 * hand-written fake that records every command; {@link SystemLabHost} is the real machine.
 */
interface LabHost {

    /** Whether this process runs as root. */
    boolean isRoot();

    /** Where the named program is, searching the PATH and the sbin folders a non-login PATH may lack. */
    Optional<Path> executable(String name);

    /** Runs a command to its end (or until the timeout, when it is killed), capturing stdout and stderr together. */
    CommandResult run(List<String> command, Duration timeout);

    /**
     * Starts a long-running command that outlives this process (the command itself begins with {@code setsid}), its
     * stdin from {@code /dev/null} and its stdout and stderr appended to {@code logFile}.
     *
     * @return the pid of the started process
     */
    long startDetached(List<String> command, Path logFile);

    /** The named network namespaces ({@code /run/netns}). */
    Set<String> networkNamespaces();

    /** The identity of a named network namespace, as {@code /proc/<pid>/ns/net} shows it ({@code net:[4026532247]}). */
    Optional<String> networkNamespaceId(String namespace);

    /**
     * The network interfaces of a named network namespace, or of this process's own when {@code namespace} is
     * {@link #OWN_NAMESPACE}; empty when it does not exist.
     */
    List<NetworkLink> links(String namespace);

    /** What {@link #links} takes for this process's own network namespace (which has no name). */
    String OWN_NAMESPACE = "";

    /** The running kernel's build configuration ({@code /proc/config.gz}, unpacked); empty when it is not exposed. */
    Optional<String> kernelConfig();

    /**
     * Whether a charon answers a VICI {@code version} request on this Unix socket within a second ({@link LabVici});
     * false when nothing listens there.
     */
    boolean charonAnswers(Path viciSocket);

    /** What {@code /proc/<pid>} says of a process; empty when there is no such process. */
    Optional<ProcessInfo> process(long pid);

    /** The pids of the processes in the network namespace with this identity. */
    List<Long> processesInNetworkNamespace(String namespaceId);

    /** Sends SIGTERM, or SIGKILL when {@code forcibly}, to a process the caller has verified. */
    void signal(long pid, boolean forcibly);

    /** Whether the user exists (as {@code getent passwd} sees it). */
    boolean userExists(String user);

    /** The mount points of this process's mount namespace ({@code /proc/self/mountinfo}). */
    List<String> mountPoints();

    /** A monotonic clock for timeouts. */
    Instant now();

    /** Waits; the fake only advances its clock. */
    void pause(Duration duration);

    /**
     * A finished command.
     *
     * @param exitCode its exit code; -1 when it timed out or could not start
     * @param output stdout and stderr, interleaved
     * @param timedOut whether it was killed at its timeout
     */
    record CommandResult(int exitCode, String output, boolean timedOut) {
        public CommandResult {
            requireNonNull(output, "output is null");
        }

        static CommandResult success(String output) {
            return new CommandResult(0, output, false);
        }

        static CommandResult failure(int exitCode, String output) {
            return new CommandResult(exitCode, output, false);
        }

        boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }
    }

    /**
     * A process as {@code /proc/<pid>} shows it.
     *
     * @param pid its pid
     * @param commandLine {@code /proc/<pid>/cmdline}, one element per argument; empty for a zombie
     * @param networkNamespaceId {@code /proc/<pid>/ns/net}, e.g. {@code net:[4026532247]}; empty for a zombie
     * @param zombie whether it has exited and waits for its parent to collect it
     * @param parentPid its parent's pid ({@code /proc/<pid>/stat}); 0 when unknown
     */
    record ProcessInfo(long pid, List<String> commandLine, String networkNamespaceId, boolean zombie, long parentPid) {
        public ProcessInfo {
            commandLine = List.copyOf(commandLine);
            requireNonNull(networkNamespaceId, "networkNamespaceId is null");
        }

        /** A process whose parent is not known. */
        ProcessInfo(long pid, List<String> commandLine, String networkNamespaceId, boolean zombie) {
            this(pid, commandLine, networkNamespaceId, zombie, 0);
        }

        /** Whether it still runs: a zombie has ended, only its entry is left. */
        boolean running() {
            return !zombie;
        }
    }

    /**
     * A network interface.
     *
     * @param name its name, without the {@code @ifN} peer suffix {@code ip} shows
     * @param alias its {@code ifalias}, where the lab writes which lab directory created it; empty when unset
     * @param up whether it is administratively up
     * @param addresses its IPv4 addresses in CIDR notation
     */
    record NetworkLink(String name, String alias, boolean up, List<String> addresses) {
        public NetworkLink {
            requireNonNull(name, "name is null");
            requireNonNull(alias, "alias is null");
            addresses = List.copyOf(addresses);
        }
    }
}
