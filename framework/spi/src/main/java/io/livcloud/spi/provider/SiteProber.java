package io.livcloud.spi.provider;

import java.time.Duration;

/**
 * Sends reachability probes from inside a site, where its users' traffic enters (its gateway host), the way a client
 * of a VM would reach it. Offered by providers that can run a command at their gateways
 * ({@link CloudProvider#prober()}); the migration engine uses it to check, after a switch-over, that the VM still
 * answers from where its clients were, and to measure the interruption those clients saw.
 */
public interface SiteProber {

    /**
     * Probes until one probe is answered or the timeout passes.
     *
     * @param site where to probe from
     * @return whether and how it answered
     * @throws io.livcloud.spi.ExtensionException if probes cannot be sent from that site (not created, no command)
     */
    ProbeAnswer probe(Site site, ReachabilityTarget target, Duration timeout);

    /**
     * Starts probing in the background, one ICMP echo request to the target's address per interval, until
     * {@link ReachabilityWatch#stop()} or the limit.
     *
     * @param limit the watch stops by itself after this long, so that a caller that dies leaves nothing running
     * @throws io.livcloud.spi.ExtensionException if the probing cannot start
     */
    ReachabilityWatch watch(Site site, ReachabilityTarget target, Duration interval, Duration limit);

    /**
     * One probe's outcome.
     *
     * @param answered whether an answer came
     * @param detail one line, e.g. {@code tcp:10.99.100.10:7 accepted a connection after 2 tries (0.9 ms)} or the
     *     last error
     */
    record ProbeAnswer(boolean answered, String detail) {
        public ProbeAnswer {
            java.util.Objects.requireNonNull(detail, "detail is null");
        }
    }
}
