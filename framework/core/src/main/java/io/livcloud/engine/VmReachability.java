package io.livcloud.engine;

import io.livcloud.spi.provider.ReachabilityTarget;
import io.livcloud.spi.provider.ReachabilityWatch;
import io.livcloud.spi.provider.SiteProber;
import java.time.Duration;
import java.util.Optional;

/**
 * The VM's reachability as its clients see it, for one migration: probed from the site where they enter (the policy's
 * {@code reachability-from}, else the source), before the move (PREFLIGHT), continuously during it (the longest gap
 * between answers is the interruption a client saw), and after the switch-over (VERIFY).
 */
final class VmReachability implements AutoCloseable {

    private final EnginePolicy.Reachability policy;
    private final String vantageSite;
    private final SiteDirectory sites;
    private Optional<SiteProbing> watching = Optional.empty();
    private Optional<ReachabilityWatch> watch = Optional.empty();

    VmReachability(EnginePolicy.Reachability policy, String sourceSite, SiteDirectory sites) {
        this.policy = policy;
        this.vantageSite = policy.fromSite().isEmpty() ? sourceSite : policy.fromSite();
        this.sites = sites;
    }

    /** Whether the policy asks for a check at all. */
    boolean asked() {
        return policy.target().isPresent();
    }

    String vantageSite() {
        return vantageSite;
    }

    /** The address probed. */
    String targetAddress() {
        return policy.target().orElseThrow().address();
    }

    /** One probe now, within the policy's timeout. */
    SiteProber.ProbeAnswer probe() {
        ReachabilityTarget target = policy.target().orElseThrow();
        try (SiteProbing probing = probing()) {
            return probing.prober().probe(probing.site(), target, policy.timeout());
        }
    }

    /** The PREFLIGHT check: the VM must answer before it moves, or VERIFY could not tell anything after. */
    MigrationReport.Check preflight() {
        ReachabilityTarget target = policy.target().orElseThrow();
        try {
            SiteProber.ProbeAnswer answer = probe();
            return answer.answered()
                    ? Preflight.pass("reachability", answer.detail() + "; VERIFY probes it again after the move")
                    : Preflight.fail("reachability", answer.detail() + " before the move, so after it nothing could"
                            + " be verified", "check the VM's network and " + target + ", or migrate without"
                            + " --probe");
        } catch (RuntimeException e) {
            return Preflight.fail("reachability", "cannot probe " + target + " from site " + vantageSite + ": "
                    + e.getMessage(), "probe from a site whose provider can (--probe-from), or migrate without"
                    + " --probe");
        }
    }

    /** Starts probing every client interval until {@link #stopWatch} or the limit. */
    void startWatch(Duration limit) {
        ReachabilityTarget target = policy.target().orElseThrow();
        SiteProbing probing = probing();
        watching = Optional.of(probing);
        watch = Optional.of(probing.prober().watch(probing.site(), new ReachabilityTarget(
                ReachabilityTarget.Protocol.ICMP, target.address(), 0), policy.clientProbeInterval(), limit));
    }

    /** Stops the watch; what it saw, if it ran. */
    Optional<ReachabilityWatch.Result> stopWatch() {
        try {
            return watch.map(ReachabilityWatch::stop);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        watch.ifPresent(ReachabilityWatch::close);
        watch = Optional.empty();
        watching.ifPresent(SiteProbing::close);
        watching = Optional.empty();
    }

    private SiteProbing probing() {
        return sites.probing(vantageSite).orElseThrow(() -> new io.livcloud.LivCloudException("site " + vantageSite
                + "'s provider cannot send probes from inside it", "probe from a lab site (--probe-from), or"
                + " migrate without --probe"));
    }
}
