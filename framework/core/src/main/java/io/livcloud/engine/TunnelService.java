package io.livcloud.engine;

import io.livcloud.TunnelInfo;

/** The tunnels between sites, as the engine needs them: whether there is a tunnel extension, and bring one up. */
public interface TunnelService {

    /** Whether configuration selects a tunnel extension. */
    boolean selected();

    /**
     * Brings the tunnel from one site to the other up and checks it carries traffic; with {@code stretchSegment}, also
     * stretches the VM segment both sites' gateways share over it (if they share one).
     *
     * @throws RuntimeException naming the cause when it cannot
     */
    TunnelInfo ensureUp(String fromSite, String toSite, boolean stretchSegment);

    /**
     * The site whose end of a segment stretched between the two sites has learned the MAC on a local port (a VM
     * attached there); empty when no stretch joins them or no end has it.
     */
    default java.util.Optional<String> siteOf(String fromSite, String toSite, String mac) {
        return java.util.Optional.empty();
    }
}
