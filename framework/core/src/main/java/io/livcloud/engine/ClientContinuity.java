package io.livcloud.engine;

import io.livcloud.TunnelInfo;
import io.livcloud.engine.journal.Journal;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.provider.SiteProber;
import io.livcloud.spi.tunnel.StretchStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One migration's care for the VM's clients: the segment stretched in CHANNEL, the client-side watch during the move,
 * and in VERIFY the destination's announcement on the stretched bridges and the reachability probe from where the
 * clients are. Records its checks and the longest gap the clients saw in the journal; the engine decides what an
 * unreachable VM means (roll back or keep).
 */
final class ClientContinuity implements AutoCloseable {

    /** How long the destination's announcement may take to reach the stretched segment's bridges. */
    static final Duration ANNOUNCEMENT_WAIT = Duration.ofSeconds(2);
    private static final Duration ANNOUNCEMENT_POLL = Duration.ofMillis(100);
    /** The journal's context key for the longest gap the client-side watch saw. */
    static final String CLIENT_GAP_MS = "client-gap-ms";

    private final String migrationId;
    private final String from;
    private final String to;
    private final Journal journal;
    private final TunnelService tunnels;
    private final Transfer.EventSink events;
    private final VmReachability reachability;
    private final Duration clientProbeInterval;
    private List<String> macAddresses = List.of();
    private boolean stretched;

    ClientContinuity(String migrationId, String from, String to, EnginePolicy.Reachability policy, SiteDirectory sites,
            TunnelService tunnels, Journal journal, Transfer.EventSink events) {
        this.migrationId = migrationId;
        this.from = from;
        this.to = to;
        this.journal = journal;
        this.tunnels = tunnels;
        this.events = events;
        this.reachability = new VmReachability(policy, from, sites);
        this.clientProbeInterval = policy.clientProbeInterval();
    }

    /** Whether the policy asks for a reachability probe. */
    boolean probing() {
        return reachability.asked();
    }

    /** Where the probes come from. */
    String vantageSite() {
        return reachability.vantageSite();
    }

    /** CHANNEL brought the tunnel up: note (and tell) whether a segment is stretched over it. */
    void channel(TunnelInfo tunnel) {
        stretched = tunnel.stretches().stream().anyMatch(StretchStatus::joined);
        tunnel.stretches().forEach(stretch -> events.event("channel", Phase.CHANNEL, (stretch.joined()
                ? "stretched " : "NOT stretched: ") + stretch.detail(), Map.of()));
    }

    /**
     * Before TRANSFER: remembers the VM's MACs for the announcement check and starts the client-side watch when the
     * policy probes; a watch that cannot run is said, and the migration goes on without the figure.
     *
     * @param limit how long the watch may run at most (it stops by itself after that)
     */
    void beforeTransfer(VmInfo vm, Duration limit) {
        macAddresses = vm.macAddresses();
        if (!reachability.asked()) {
            return;
        }
        try {
            reachability.startWatch(limit);
            events.event("watch", Phase.PREPARE, "probing " + reachability.targetAddress() + " from "
                    + reachability.vantageSite() + " every " + clientProbeInterval.toMillis() + " ms while it moves",
                    Map.of());
        } catch (RuntimeException e) {
            events.event("watch", Phase.PREPARE, "the client-side watch cannot run (" + e.getMessage()
                    + "): the interruption clients see is not measured", Map.of());
        }
    }

    /**
     * VERIFY, after the hypervisors agree the VM runs at the destination only: the announcement (when a segment is
     * stretched and the VM's MACs are known), then the probe (when the policy asks), which also stops the watch.
     *
     * @return why the VM is unreachable from where its clients are; empty when it answered or nothing was asked
     */
    Optional<String> verify() {
        if (stretched && !macAddresses.isEmpty()) {
            checkAnnouncement();
        }
        if (!reachability.asked()) {
            return Optional.empty();
        }
        SiteProber.ProbeAnswer answer = probeQuietly();
        if (answer.answered()) {
            // Let the watch see the answers resume before it stops: its last gap ends with them.
            MigrationEngine.pause(clientProbeInterval.multipliedBy(5));
        }
        stopWatch();
        journal.recordCheck(migrationId, answer.answered()
                ? Preflight.pass("reachability-after-move", answer.detail())
                : Preflight.fail("reachability-after-move", answer.detail(), "stretch the VM's network to " + to
                        + " (a segment both sites share), or give the VM an address there"));
        events.event("verify", Phase.VERIFY, (answer.answered() ? "reachable: " : "UNREACHABLE: ") + answer.detail(),
                Map.of("reachable", Boolean.toString(answer.answered())));
        return answer.answered() ? Optional.empty() : Optional.of(answer.detail());
    }

    /** One probe now; a probe that cannot be sent counts as no answer. */
    SiteProber.ProbeAnswer probeQuietly() {
        try {
            return reachability.probe();
        } catch (RuntimeException e) {
            return new SiteProber.ProbeAnswer(false, "cannot probe from " + reachability.vantageSite() + ": "
                    + e.getMessage());
        }
    }

    /** The longest gap the client-side watch saw, once recorded. */
    Optional<Duration> clientGap() {
        return journal.find(migrationId).map(record -> record.context().get(CLIENT_GAP_MS)).map(Long::parseLong)
                .map(Duration::ofMillis);
    }

    /** Stops a watch still running (an abort, a failure); idempotent. */
    @Override
    public void close() {
        reachability.close();
    }

    /**
     * After the switch-over the destination announces the VM, so the stretched segment's bridges learn its MACs at
     * the destination; until they do, frames for it still go to the source. Recorded as a check; whether the VM
     * answers is the probe's to decide.
     */
    private void checkAnnouncement() {
        List<String> elsewhere = macAddresses;
        // Counted in real pauses, not clock readings: the bridges learn in real time.
        for (long tries = ANNOUNCEMENT_WAIT.dividedBy(ANNOUNCEMENT_POLL); ; tries--) {
            try {
                elsewhere = macAddresses.stream().filter(mac -> !tunnels.siteOf(from, to, mac).map(to::equals)
                        .orElse(false)).toList();
            } catch (RuntimeException e) {
                events.event("verify", Phase.VERIFY, "cannot read the stretched segment's forwarding tables: "
                        + e.getMessage(), Map.of());
                return;
            }
            if (elsewhere.isEmpty() || tries <= 1) {
                break;
            }
            MigrationEngine.pause(ANNOUNCEMENT_POLL);
        }
        MigrationReport.Check check = elsewhere.isEmpty()
                ? Preflight.pass("announcement", "the stretched segment learned " + String.join(", ", macAddresses)
                        + " at " + to + " (the destination announced the VM)")
                : Preflight.fail("announcement", "the stretched segment has not learned " + String.join(", ",
                        elsewhere) + " at " + to + " within " + ANNOUNCEMENT_WAIT.toMillis() + " ms",
                        "frames for the VM still go to " + from + " until it sends; check that the destination's"
                                + " hypervisor announces migrated VMs");
        journal.recordCheck(migrationId, check);
        events.event("verify", Phase.VERIFY, (check.passed() ? "announced: " : "NOT announced: ") + check.detail(),
                Map.of());
    }

    private void stopWatch() {
        try {
            reachability.stopWatch().ifPresent(seen -> {
                journal.putContext(migrationId, Map.of(CLIENT_GAP_MS, Long.toString(seen.longestGap().toMillis())));
                events.event("watch", Phase.VERIFY, "clients at " + reachability.vantageSite() + ": longest gap "
                        + seen.longestGap().toMillis() + " ms, " + seen.answered() + " of " + seen.sent()
                        + " probes answered", Map.of("longest-gap-ms", Long.toString(seen.longestGap().toMillis())));
            });
        } catch (RuntimeException e) {
            events.event("watch", Phase.VERIFY, "the client-side watch failed: " + e.getMessage(), Map.of());
        }
    }
}
