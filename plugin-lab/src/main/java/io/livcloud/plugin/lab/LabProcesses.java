package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.ProcessInfo;
import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * How the lab handles the daemons it starts for a site (libvirtd, charon, sshd): pid files, ending a process it has
 * verified, and the part of a daemon's log its last start wrote.
 *
 * <p>A process is signalled only while it still passes the caller's check (its command line, its network namespace):
 * the pid in a stale pid file may belong to anything by now, and a pid may be reused while the lab waits.
 */
final class LabProcesses {

    /** How often a start or a stop looks again. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(10);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);

    private final LabHost host;

    LabProcesses(LabHost host) {
        this.host = requireNonNull(host, "host is null");
    }

    /**
     * Ends a verified process: SIGTERM, then SIGKILL after 10 s. Before each signal and while waiting, the process
     * must still pass {@code stillOurs}; one that fails it (ended, a zombie, a pid reused) is gone.
     *
     * @return why it could not be ended, or empty when it is gone
     */
    Optional<String> stop(long pid, Predicate<ProcessInfo> stillOurs) {
        if (host.process(pid).filter(stillOurs).isEmpty()) {
            return Optional.empty();
        }
        host.signal(pid, false);
        if (waitUntilGone(pid, stillOurs, TERMINATE_GRACE)) {
            return Optional.empty();
        }
        host.signal(pid, true);
        if (waitUntilGone(pid, stillOurs, KILL_GRACE)) {
            return Optional.empty();
        }
        return Optional.of("still running " + (TERMINATE_GRACE.plus(KILL_GRACE).toSeconds())
                + " s after SIGTERM and SIGKILL");
    }

    private boolean waitUntilGone(long pid, Predicate<ProcessInfo> stillOurs, Duration grace) {
        Instant deadline = host.now().plus(grace);
        while (host.process(pid).filter(stillOurs).isPresent()) {
            if (!host.now().isBefore(deadline)) {
                return false;
            }
            host.pause(POLL_INTERVAL);
        }
        return true;
    }

    /**
     * Ends the daemon a pid file names, when the process there is that daemon ({@code isDaemon}) in the site's network
     * namespace, and removes the pid file; a pid file whose process is gone or is something else is only removed. When
     * the namespace is gone nothing can be verified: a matching process is a leftover, and its pid file is kept.
     *
     * @param resource how the report names the process, e.g. {@code charon} or {@code qemu/<vm>}
     * @param label how a message names it, e.g. {@code charon}
     * @return the pid it ended or tried to end
     */
    Optional<Long> stopDaemon(String resource, String label, Path pidFile, Optional<String> namespaceId,
            Predicate<ProcessInfo> isDaemon, TeardownSteps teardown) {
        Optional<ProcessInfo> process = readPid(pidFile).flatMap(host::process).filter(ProcessInfo::running);
        Predicate<ProcessInfo> ours = candidate -> candidate.running() && isDaemon.test(candidate)
                && namespaceId.map(candidate.networkNamespaceId()::equals).orElse(false);
        if (process.isPresent() && ours.test(process.get())) {
            long pid = process.get().pid();
            teardown.step("process/" + resource + "/" + pid, () -> stop(pid, ours).or(() -> deleteQuietly(pidFile)));
            return Optional.of(pid);
        }
        if (process.isPresent() && namespaceId.isEmpty() && isDaemon.test(process.get())) {
            teardown.leftover("process/" + resource + "/" + process.get().pid(), "the site's network namespace is"
                    + " gone, so the lab cannot verify that this " + label + " is the site's; it was not ended (its pid"
                    + " file " + pidFile + " is kept)");
            return Optional.empty();
        }
        if (Files.exists(pidFile)) {
            teardown.step("file" + pidFile, () -> deleteQuietly(pidFile));
        }
        return Optional.empty();
    }

    /**
     * A daemon the lab has just started, for {@link #awaitReady}.
     *
     * @param name how messages name it, e.g. {@code the charon of site a}
     * @param pid the pid it was started as
     * @param ready what it does once it is ready, in the past tense, e.g. {@code answered on <socket>}
     * @param log its log, whose lines since {@code marker} end an error message
     * @param marker the line {@link #markStart} wrote before this start
     * @param failure the error code a failed start is reported with
     * @param remedy what to do when it fails
     * @param started the process as it starts (checked before the stop at the timeout)
     */
    record Started(String name, long pid, String ready, Path log, String marker, ErrorCode failure, String remedy,
            Predicate<ProcessInfo> started) {
    }

    /**
     * Waits until the daemon is {@code ready}, for at most {@code timeout}.
     *
     * @throws ExtensionException the daemon's failure code, with the end of its log: when it exits first, or when it
     *     is not ready in time (then it is stopped first)
     */
    void awaitReady(Started daemon, BooleanSupplier ready, Duration timeout) {
        Instant deadline = host.now().plus(timeout);
        while (!ready.getAsBoolean()) {
            // Alive, not "is the daemon": until its last exec the process may still be setsid, ip, unshare or sh.
            if (host.process(daemon.pid()).filter(ProcessInfo::running).isEmpty()) {
                throw new ExtensionException(daemon.failure(), daemon.name() + " (pid " + daemon.pid() + ") exited"
                        + " before it " + daemon.ready() + "; the end of " + daemon.log() + ":\n"
                        + logSince(daemon.log(), daemon.marker()), daemon.remedy());
            }
            if (!host.now().isBefore(deadline)) {
                stop(daemon.pid(), daemon.started());
                throw new ExtensionException(daemon.failure(), daemon.name() + " (pid " + daemon.pid() + ") had not "
                        + daemon.ready() + " after " + timeout.toMillis() + " ms; stopped it; the end of "
                        + daemon.log() + ":\n" + logSince(daemon.log(), daemon.marker()), daemon.remedy()
                                + ", or raise livcloud.extensions.provider.lab.start-timeout");
            }
            host.pause(POLL_INTERVAL);
        }
    }

    /** The pid a pid file holds; empty when it is missing or holds no number. */
    static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Deletes a file if it is there; why it could not, or empty. */
    static Optional<String> deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot delete it: " + e);
        }
    }

    /**
     * Appends a line that marks a start to a daemon's log (which is appended to across starts), so that an error shows
     * only what this start wrote ({@link #logSince}).
     *
     * @throws IOException when the log cannot be written
     */
    static void markStart(Path log, String marker) throws IOException {
        Files.writeString(log, marker + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** The last lines a daemon wrote to its log since the last line that begins with {@code marker}. */
    static String logSince(Path log, String marker) {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            int start = text.lastIndexOf(marker);
            String sinceStart = start < 0 ? text : text.substring(text.indexOf('\n', start) + 1);
            return sinceStart.isBlank() ? "(nothing yet)" : LabCommands.lastLines(sinceStart);
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }
}
