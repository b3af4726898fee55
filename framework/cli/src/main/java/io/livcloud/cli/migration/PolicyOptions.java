package io.livcloud.cli.migration;

import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.spi.provider.ReachabilityTarget;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The migration policy's options, shared by {@code plan} and {@code migrate}. An option not given keeps what
 * {@code livcloud.migration.policy} sets, and that the engine's default.
 */
public final class PolicyOptions {

    @Option(names = "--downtime-ms", paramLabel = "MS", description = "The pause the first attempt aims for "
            + "(default: livcloud.migration.policy.downtime-target, else 300).")
    Long downtimeMillis;

    @Option(names = "--max-downtime-ms", paramLabel = "MS", description = "The largest pause the ladder may raise it to"
            + " (default: downtime-maximum, else 2000).")
    Long maximumDowntimeMillis;

    @Option(names = "--bandwidth-mibps", paramLabel = "MIB/S", description = "Cap on the migration stream; 0 for none"
            + " (default: bandwidth, else none).")
    Long bandwidthMebibytesPerSecond;

    @Option(names = "--multifd", paramLabel = "N", description = "Parallel streams of the first attempt; 1 for a single"
            + " stream (default: multifd-channels, else 2).")
    Integer multifdChannels;

    @Option(names = "--ladder", paramLabel = "STEPS", description = "What to try, in order, when pre-copy stops "
            + "converging: raise-downtime, xbzrle, auto-converge, post-copy (default: ladder, else "
            + "raise-downtime,xbzrle,auto-converge).")
    String ladder;

    @Option(names = "--allow-post-copy", description = {"Let the ladder switch to post-copy.",
            "Risk: once switched, the VM's memory is split between the sites; if the link fails, the VM is lost."})
    boolean allowPostCopy;

    @Option(names = "--allow-plaintext", description = "Allow a path across sites that is not encrypted (no tunnel).")
    boolean allowPlaintext;

    @Option(names = "--encrypted-path", paramLabel = "PATH", description = {"Which encrypted path the data takes: "
            + "auto (TLS when both hosts offer it, else the tunnel), tunnel, or tls (the hypervisor's own TLS across "
            + "the WAN) (default: encrypted-path, else auto).", "The hypervisors' control connection goes through the "
            + "tunnel when there is one."})
    String encryptedPath;

    @Option(names = "--timeout-per-gib", paramLabel = "DURATION", description = "Give up after this long per GiB of "
            + "guest memory, at least a minute; the VM keeps running at the source (default: "
            + "completion-timeout-per-gib, else PT2M).")
    Duration timeoutPerGiB;

    @Option(names = "--no-stretch", description = "Do not stretch the sites' shared VM segment over the tunnel (the VM"
            + " keeps its address only if something else carries its network; default: stretch-segment, else true).")
    boolean noStretch;

    @Option(names = "--probe", paramLabel = "PROBE", description = {"After the switch-over, check that the VM answers"
            + " its clients: icmp:<address> or tcp:<address>:<port>, e.g. tcp:10.99.100.10:7; none for no check"
            + " (default: reachability-probe, else none).", "While the VM moves, the same address is pinged every"
            + " --client-probe-interval from the probing site, and the longest gap is reported."})
    String probe;

    @Option(names = "--probe-from", paramLabel = "SITE", description = "The site to probe from, where the VM's"
            + " clients enter (default: reachability-from, else the source site).")
    String probeFrom;

    @Option(names = "--on-unreachable", paramLabel = "ACTION", description = "When the VM does not answer after the"
            + " move: roll-back (migrate it back) or keep (leave it and fail) (default: on-unreachable, else roll-back).")
    String onUnreachable;

    @Option(names = "--client-probe-interval", paramLabel = "DURATION", description = "How often the client-side watch"
            + " probes during the move (default: client-probe-interval, else PT0.01S).")
    Duration clientProbeInterval;

    private EnginePolicy.Reachability reachability(EnginePolicy.Reachability configured) {
        Optional<ReachabilityTarget> target = probe == null ? configured.target()
                : probe.strip().equals("none") ? Optional.empty()
                        : Optional.of(ReachabilityTarget.parse(probe));
        return new EnginePolicy.Reachability(target, Optional.ofNullable(probeFrom).orElse(configured.fromSite()),
                configured.timeout(), Optional.ofNullable(clientProbeInterval)
                        .orElse(configured.clientProbeInterval()), Optional.ofNullable(onUnreachable)
                                .map(EnginePolicy.OnUnreachable::of).orElse(configured.onUnreachable()));
    }

    /** The configured policy with the options given over it. */
    public EnginePolicy over(EnginePolicy configured) {
        try {
            List<EnginePolicy.Rung> rungs = ladder == null ? configured.ladder()
                    : Arrays.stream(ladder.split(",")).map(String::strip).filter(step -> !step.isEmpty())
                            .map(EnginePolicy.Rung::of).toList();
            return new EnginePolicy(
                    Optional.ofNullable(downtimeMillis).map(Duration::ofMillis).orElse(configured.downtimeTarget()),
                    Optional.ofNullable(maximumDowntimeMillis).map(Duration::ofMillis)
                            .orElse(configured.downtimeMaximum()),
                    Optional.ofNullable(bandwidthMebibytesPerSecond).map(mebibytes -> mebibytes << 20)
                            .orElse(configured.bandwidthBytesPerSecond()),
                    Optional.ofNullable(multifdChannels).orElse(configured.multifdChannels()), rungs,
                    configured.stallPasses(), Optional.ofNullable(timeoutPerGiB)
                            .orElse(configured.completionTimeoutPerGiB()), configured.minimumCompletionTimeout(),
                    allowPostCopy || configured.allowPostCopy(), allowPlaintext || configured.allowPlaintext(),
                    encryptedPath == null ? configured.encryptedPath()
                            : EnginePolicy.EncryptedPath.of(encryptedPath.strip()),
                    configured.rollbackWindow(), configured.pollInterval(),
                    noStretch ? false : configured.stretchSegment(), reachability(configured.reachability()));
        } catch (IllegalArgumentException e) {
            throw new LivCloudException("the migration policy is invalid: " + e.getMessage(), "see livcloud migrate"
                    + " --help");
        }
    }
}
