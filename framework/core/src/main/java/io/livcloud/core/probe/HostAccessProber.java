package io.livcloud.core.probe;

import static java.util.Objects.requireNonNull;

import io.livcloud.core.host.HostAccesses;
import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.provider.ReachabilityWatch;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes from a site's gateway through its host access, for every provider whose hosts LivCloud can reach: a probe
 * then takes the path a client entering through that gateway takes, wherever the gateway is. ICMP with {@code ping},
 * TCP with bash's {@code /dev/tcp} (both on every Debian host); a watch is one {@code ping -D -O} on the gateway whose
 * stamped answers {@link PingLog} reads afterwards.
 *
 * <p>The watch's answers are stamped by the gateway's clock and its start and end by this machine's: both are
 * wall-clock time kept by NTP on real hosts, so the gaps at the edges are off by at most the clocks' difference;
 * the gaps between answers, which are what matters, are the gateway's own.
 */
public final class HostAccessProber implements SiteProber {

    /** ping's shortest interval for root is 2 ms; below 10 ms a TCG guest's answers are what is measured. */
    private static final Duration SHORTEST_INTERVAL = Duration.ofMillis(2);
    private static final Duration PROBE_WAIT = Duration.ofSeconds(1);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    private static final Duration START_WAIT = Duration.ofSeconds(10);
    private static final Duration START_POLL = Duration.ofMillis(20);

    private final HostAccesses hosts;
    private final Clock wallClock;

    public HostAccessProber(HostAccesses hosts, Clock wallClock) {
        this.hosts = requireNonNull(hosts, "hosts is null");
        this.wallClock = requireNonNull(wallClock, "wallClock is null");
    }

    @Override
    public ProbeAnswer probe(Site site, ReachabilityTarget target, Duration timeout) {
        HostAccess gateway = gateway(site);
        Instant start = wallClock.instant();
        Instant deadline = start.plus(timeout);
        int tries = 0;
        String last = "";
        do {
            tries++;
            CommandResult result = gateway.run(HostCommand.of(COMMAND_TIMEOUT, probeCommand(target)));
            if (result.succeeded()) {
                return new ProbeAnswer(true, target + " answered " + site.name() + "'s gateway after " + tries
                        + (tries == 1 ? " try" : " tries") + " (" + Duration.between(start, wallClock.instant())
                        .toMillis() + " ms)");
            }
            last = result.output();
            pause(RETRY_PAUSE);
        } while (wallClock.instant().isBefore(deadline));
        return new ProbeAnswer(false, target + " did not answer " + site.name() + "'s gateway in "
                + timeout.toMillis() + " ms (" + tries + " tries" + (last.isEmpty() ? "" : "; last: " + lastLine(last))
                + ")");
    }

    private static List<String> probeCommand(ReachabilityTarget target) {
        String wait = Long.toString(PROBE_WAIT.toSeconds());
        return switch (target.protocol()) {
            case ICMP -> List.of("ping", "-n", "-q", "-c", "1", "-W", wait, target.address());
            // bash opens the connection itself; timeout bounds a SYN nobody answers. The address and port are
            // checked by ReachabilityTarget (an IPv4 address, a number), so the script holds nothing else.
            case TCP -> List.of("timeout", wait, "bash", "-c", "exec 3<>/dev/tcp/" + target.address() + "/"
                    + target.port());
        };
    }

    @Override
    public ReachabilityWatch watch(Site site, ReachabilityTarget target, Duration interval, Duration limit) {
        if (interval.compareTo(SHORTEST_INTERVAL) < 0) {
            throw new ExtensionException(ProbeErrorCode.INVALID_PROBE, "a probing interval of " + interval.toMillis()
                    + " ms is below ping's shortest, " + SHORTEST_INTERVAL.toMillis() + " ms", "probe every 10ms");
        }
        HostAccess gateway = gateway(site);
        // The ping's pid goes to a file only this watch knows, so that stop() can end it early with SIGINT (ping
        // then prints what it saw and exits); -w ends it by itself at the limit, and the command's timeout after.
        String pidFile = "/tmp/livcloud-watch-" + UUID.randomUUID() + ".pid";
        String script = "echo $$ > " + pidFile + " && exec ping -n -D -O -i "
                + String.format(Locale.ROOT, "%.3f", interval.toNanos() / 1e9) + " -W 1 -w "
                + Math.max(1, limit.toSeconds()) + " " + target.address();
        HostCommand ping = HostCommand.of(limit.plus(COMMAND_TIMEOUT), "sh", "-c", script);
        Instant started = wallClock.instant();
        CompletableFuture<CommandResult> running = CompletableFuture.supplyAsync(() -> gateway.run(ping),
                runnable -> {
                    Thread thread = new Thread(runnable, "livcloud-watch-" + site.name());
                    thread.setDaemon(true);
                    thread.start();
                });
        awaitStart(gateway, running, pidFile);
        return new Watch(gateway, running, pidFile, started, interval, limit);
    }

    /**
     * Waits until the ping runs (its pid file exists), so that a stop right after the start can end it; a ping that
     * could not start is reported at once.
     */
    private static void awaitStart(HostAccess gateway, CompletableFuture<CommandResult> running, String pidFile) {
        Instant deadline = Instant.now().plus(START_WAIT);
        while (Instant.now().isBefore(deadline)) {
            if (running.isDone() || gateway.run(HostCommand.of(COMMAND_TIMEOUT, "test", "-f", pidFile)).succeeded()) {
                return;
            }
            pause(START_POLL);
        }
        throw new ExtensionException(ProbeErrorCode.PROBE_FAILED, "the reachability watch did not start on "
                + gateway.target() + " within " + START_WAIT.toSeconds() + " s", "check that the host answers and has"
                + " ping");
    }

    private HostAccess gateway(Site site) {
        return hosts.require(site.name(), site.gateway().name());
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\n");
        return lines[lines.length - 1];
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why a probe could not be made. */
    enum ProbeErrorCode implements ErrorCode {
        INVALID_PROBE,
        PROBE_FAILED;

        @Override
        public String code() {
            return name();
        }
    }

    /** A ping running on the gateway; its output is read once it is stopped. */
    private final class Watch implements ReachabilityWatch {
        private final HostAccess gateway;
        private final CompletableFuture<CommandResult> running;
        private final String pidFile;
        private final Instant started;
        private final Duration interval;
        private final Duration limit;
        private Result result;

        Watch(HostAccess gateway, CompletableFuture<CommandResult> running, String pidFile, Instant started,
                Duration interval, Duration limit) {
            this.gateway = gateway;
            this.running = running;
            this.pidFile = pidFile;
            this.started = started;
            this.interval = interval;
            this.limit = limit;
        }

        @Override
        public synchronized Result stop() {
            if (result != null) {
                return result;
            }
            Instant stopped = wallClock.instant();
            CommandResult output = end();
            if (output.stdout().isBlank() && !output.succeeded()) {
                throw new ExtensionException(ProbeErrorCode.PROBE_FAILED, "the reachability watch on "
                        + gateway.target() + " failed: " + output.output(), "check that ping runs on that host");
            }
            result = PingLog.read(output.stdout().lines().toList(), started, stopped, interval);
            return result;
        }

        @Override
        public synchronized void close() {
            if (result == null) {
                end();
            }
        }

        private CommandResult end() {
            // Only a ping still running is signalled: the pid of one that ended may belong to another process now.
            String script = running.isDone() ? "rm -f " + pidFile
                    : "[ -f " + pidFile + " ] && kill -INT \"$(cat " + pidFile + ")\"; rm -f " + pidFile;
            gateway.run(HostCommand.of(COMMAND_TIMEOUT, "sh", "-c", script));
            try {
                return running.get(limit.plus(COMMAND_TIMEOUT).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExtensionException(ProbeErrorCode.PROBE_FAILED, "interrupted while ending the watch on "
                        + gateway.target(), "", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof ExtensionException extension ? extension
                        : new ExtensionException(ProbeErrorCode.PROBE_FAILED, "the watch on " + gateway.target()
                                + " failed: " + e.getCause(), "", e.getCause());
            } catch (TimeoutException e) {
                throw new ExtensionException(ProbeErrorCode.PROBE_FAILED, "the watch on " + gateway.target()
                        + " did not end", "check the host", e);
            }
        }
    }
}
