package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.CommandResult;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.provider.ReachabilityWatch;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Probes from inside a lab site: commands run in the site's network namespace, where its gateway is, so a probe
 * takes the path a client entering through that gateway takes.
 */
final class LabProber implements SiteProber {

    /** ping's shortest interval for root is 2 ms; below 10 ms a TCG guest's answers are what is measured. */
    private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(2);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(1);

    private final LabHost host;
    private final Path workDirectory;
    /** Wall-clock time, which ping's -D stamps are in (the host's {@code now()} is monotonic, not wall time). */
    private final Clock wallClock;

    LabProber(LabHost host, Path workDirectory, Clock wallClock) {
        this.host = requireNonNull(host, "host is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
        this.wallClock = requireNonNull(wallClock, "wallClock is null");
    }

    @Override
    public ProbeAnswer probe(Site site, ReachabilityTarget target, Duration timeout) {
        String namespace = namespace(site);
        Instant start = host.now();
        Instant deadline = start.plus(timeout);
        int tries = 0;
        String last = "";
        do {
            tries++;
            CommandResult result = host.run(probeCommand(namespace, target), PROBE_WAIT.plusSeconds(2));
            if (result.succeeded()) {
                return new ProbeAnswer(true, target + " answered " + site.name() + "'s gateway after " + tries
                        + (tries == 1 ? " try" : " tries") + " (" + Duration.between(start, host.now()).toMillis()
                        + " ms)");
            }
            last = result.output().strip();
            host.pause(Duration.ofMillis(100));
        } while (host.now().isBefore(deadline));
        return new ProbeAnswer(false, target + " did not answer " + site.name() + "'s gateway in "
                + timeout.toMillis() + " ms (" + tries + " tries" + (last.isEmpty() ? "" : "; last: " + lastLine(last))
                + ")");
    }

    private static List<String> probeCommand(String namespace, ReachabilityTarget target) {
        String wait = Long.toString(PROBE_WAIT.toSeconds());
        return switch (target.protocol()) {
            case ICMP -> List.of("ip", "netns", "exec", namespace, "ping", "-n", "-q", "-c", "1", "-W", wait,
                    target.address());
            // bash opens the connection itself; timeout bounds a SYN nobody answers.
            case TCP -> List.of("ip", "netns", "exec", namespace, "timeout", wait, "bash", "-c",
                    "exec 3<>/dev/tcp/" + target.address() + "/" + target.port());
        };
    }

    @Override
    public ReachabilityWatch watch(Site site, ReachabilityTarget target, Duration interval, Duration limit) {
        String namespace = namespace(site);
        if (interval.compareTo(SHORTEST_INTERVAL) < 0) {
            throw new ExtensionException(LabErrorCode.INVALID_PROBE, "a probing interval of " + interval.toMillis()
                    + " ms is below ping's shortest, " + SHORTEST_INTERVAL.toMillis() + " ms", "probe every 10ms");
        }
        Path log;
        try {
            Files.createDirectories(workDirectory);
            log = Files.createTempFile(workDirectory, "watch-" + site.name() + "-", ".log");
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot create a probe log in " + workDirectory
                    + ": " + e, "check the lab directory's permissions", e);
        }
        // -D stamps each answer, -O reports a probe still unanswered when the next goes, -w ends ping by itself.
        List<String> command = List.of("ip", "netns", "exec", namespace, "ping", "-n", "-D", "-O",
                "-i", String.format(Locale.ROOT, "%.3f", interval.toNanos() / 1e9), "-W", "1",
                "-w", Long.toString(Math.max(1, limit.toSeconds())), target.address());
        Instant started = wallClock.instant();
        long pid = host.startDetached(command, log);
        return new Watch(pid, log, started, interval);
    }

    /**
     * The site's namespace: the one its gateway names, or in ssh mode (where it names none, as a remote host would
     * not) the lab's own name for the site. The lab's prober stays on this machine in both modes until probes run
     * through host access.
     */
    private String namespace(Site site) {
        String namespace = site.gateway().attributes().getOrDefault(Attributes.NAMESPACE,
                site.provider().equals(Lab.PROVIDER) ? LabSite.namespaceOf(site.name()) : "");
        if (namespace.isBlank() || !host.networkNamespaces().contains(namespace)) {
            throw new ExtensionException(LabErrorCode.SITE_NOT_FOUND, "site " + site.name() + " has no network"
                    + " namespace on this machine to probe from", "bring it up: livcloud lab up");
        }
        return namespace;
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines[lines.length - 1];
    }

    /** A running ping; its log is read once it is stopped. */
    private final class Watch implements ReachabilityWatch {
        private final long pid;
        private final Path log;
        private final Instant started;
        private final Duration interval;
        private Result result;

        Watch(long pid, Path log, Instant started, Duration interval) {
            this.pid = pid;
            this.log = log;
            this.started = started;
            this.interval = interval;
        }

        @Override
        public synchronized Result stop() {
            if (result != null) {
                return result;
            }
            Instant stopped = wallClock.instant();
            end();
            try {
                result = PingLog.read(Files.readAllLines(log, StandardCharsets.UTF_8), started, stopped, interval);
                Files.deleteIfExists(log);
                return result;
            } catch (IOException e) {
                throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot read the probe log " + log + ": "
                        + e, "check the lab directory's permissions", e);
            }
        }

        @Override
        public synchronized void close() {
            end();
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // Only a leftover log file in the lab's directory.
            }
        }

        private void end() {
            host.signal(pid, false);
            Instant deadline = host.now().plusSeconds(5);
            while (host.process(pid).filter(LabHost.ProcessInfo::running).isPresent()
                    && host.now().isBefore(deadline)) {
                host.pause(Duration.ofMillis(20));
            }
        }
    }
}
