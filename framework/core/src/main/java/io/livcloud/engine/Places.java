package io.livcloud.engine;

import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;

/**
 * How the engine's messages name where a VM is: the site as the user configured it and the host as the site's provider
 * describes it, e.g. {@code site a (host lc-a)}. Never the hypervisor's own idea of its host (in the lab every site's
 * hypervisor reports this machine's hostname) nor its URI, which name no place the user configured.
 */
final class Places {

    private Places() {
    }

    /** {@code site a (host lc-a)}. */
    static String of(Site site, Host host) {
        return "site " + site.name() + " (host " + host.name() + ")";
    }

    /**
     * The site and its host whose hypervisor is at the URI, as the provider describes them now; {@code site a} alone
     * when the provider does not answer or no host of the site has that URI any more (a recovery after the site
     * changed).
     */
    static String of(SiteDirectory sites, String siteName, String hypervisorUri) {
        try {
            Site site = sites.site(siteName);
            return site.hypervisorHosts().stream().filter(host -> host.hypervisorUri().equals(hypervisorUri))
                    .findFirst().map(host -> of(site, host)).orElse("site " + siteName);
        } catch (RuntimeException e) {
            return "site " + siteName;
        }
    }
}
