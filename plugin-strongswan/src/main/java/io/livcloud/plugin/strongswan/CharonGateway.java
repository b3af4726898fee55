package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciEndpoint;
import io.livcloud.plugin.strongswan.vici.ViciException;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.tunnel.TunnelEndpoint;

/**
 * The charon of one site's gateway, wherever it runs (a lab site's namespace, a cloud VM, an operator's host): reached
 * through the gateway's host access ({@link ExtensionContext#hostAccess}) at the VICI socket the site's provider
 * publishes in the gateway's {@link TunnelControl}. Whoever runs the gateway starts and stops its charon (the lab, a
 * cloud host's bootstrap, the host's service manager); this plugin only talks to it.
 */
final class CharonGateway {

    private final TunnelEndpoint end;
    private final ExtensionContext context;

    CharonGateway(TunnelEndpoint end, ExtensionContext context) {
        this.end = end;
        this.context = context;
    }

    /** The refusal of an end whose provider publishes no tunnel control: there is no charon to talk to. */
    static ExtensionException withoutControl(TunnelEndpoint end) {
        return new ExtensionException(StrongSwanErrorCode.NO_TUNNEL_CONTROL, "site " + end.siteName() + "'s gateway "
                + end.gatewayName() + " publishes no tunnel control, so LivCloud cannot reach its charon",
                "the site's provider must publish the gateway's TunnelControl: its charon's VICI socket on the gateway,"
                        + " the address the gateway sends IKE from, its IKE identity and its updown hook");
    }

    /** The site whose gateway this is. */
    String siteName() {
        return end.siteName();
    }

    /** The tunnel's end at this gateway. */
    TunnelEndpoint end() {
        return end;
    }

    /**
     * How commands and streams reach the gateway.
     *
     * @throws ExtensionException from the host when the site or gateway is unknown or cannot be reached;
     *     {@link StrongSwanErrorCode#NO_HOST_ACCESS} when the host gives extensions no host access at all
     */
    HostAccess host() {
        try {
            return context.hostAccess(end.siteName(), end.gatewayName());
        } catch (UnsupportedOperationException e) {
            throw new ExtensionException(StrongSwanErrorCode.NO_HOST_ACCESS, "this LivCloud gives extensions no way"
                    + " to reach site " + end.siteName() + "'s gateway " + end.gatewayName(), "run the strongswan"
                    + " plugin in a LivCloud whose core provides host access (ExtensionContext.hostAccess)", e);
        }
    }

    /**
     * Where its VICI socket is.
     *
     * @throws ExtensionException {@link StrongSwanErrorCode#NO_TUNNEL_CONTROL} without tunnel control, and what
     *     {@link #host()} throws
     */
    ViciEndpoint endpoint() {
        TunnelControl control = end.control().orElseThrow(() -> withoutControl(end));
        return ViciEndpoint.on(host(), control.controlSocket());
    }

    /**
     * A VICI client.
     *
     * @throws ViciException {@code CANNOT_CONNECT} when the gateway cannot be reached or its charon does not answer
     */
    ViciClient connect() {
        ViciEndpoint endpoint;
        try {
            endpoint = endpoint();
        } catch (RuntimeException e) {
            // No control, no host access, a socket that is no VICI endpoint: to a caller, a charon it cannot reach.
            throw new ViciException(ViciException.Reason.CANNOT_CONNECT, "cannot reach the charon of site "
                    + siteName() + "'s gateway: " + e.getMessage(), e);
        }
        return ViciClient.connect(endpoint);
    }

    /**
     * The data path this gateway's charon uses, from the plugins it loaded.
     *
     * @throws ViciException when it cannot be asked
     */
    DataPath.Detection dataPath() {
        try (ViciClient client = connect()) {
            return DataPath.ofCharon(siteName(), client.stats().plugins());
        }
    }

    /**
     * Makes sure charon answers.
     *
     * @throws ExtensionException {@link StrongSwanErrorCode#CHARON_NOT_RUNNING} when it does not, and what
     *     {@link #endpoint()} throws
     */
    void ensureRunning() {
        ViciEndpoint endpoint = endpoint();
        try (ViciClient client = ViciClient.connect(endpoint)) {
            client.version();
        } catch (ViciException e) {
            throw new ExtensionException(StrongSwanErrorCode.CHARON_NOT_RUNNING, "the charon of site " + siteName()
                    + "'s gateway does not answer: " + e.getMessage(), "start strongSwan's charon on that gateway"
                    + " (the lab and the cloud bootstrap start it; Debian: apt-get install charon-systemd, then"
                    + " systemctl start strongswan) and check that the site's provider publishes its VICI socket", e);
        }
    }
}
