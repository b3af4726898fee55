package io.livcloud.engine;

import io.livcloud.TunnelInfo;

/** The tunnels between sites, as the engine needs them: whether there is a tunnel extension, and bring one up. */
public interface TunnelService {

    /** Whether configuration selects a tunnel extension. */
    boolean selected();

    /**
     * Brings the tunnel from one site to the other up and checks it carries traffic.
     *
     * @throws RuntimeException naming the cause when it cannot
     */
    TunnelInfo ensureUp(String fromSite, String toSite);
}
