package io.livcloud.engine;

import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import java.util.Optional;

/**
 * The engine's way to a site's hypervisors: through the host's own access when its provider gives one (so that no
 * hypervisor connection of the orchestrator crosses a network unauthenticated or in plaintext), else by the host's
 * hypervisor URI as it stands (a provider that offers no host access, e.g. a static inventory).
 */
final class SiteHypervisors {

    private final Hypervisor hypervisor;
    private final SiteDirectory sites;

    SiteHypervisors(Hypervisor hypervisor, SiteDirectory sites) {
        this.hypervisor = hypervisor;
        this.sites = sites;
    }

    /**
     * Connects to the hypervisor of the host of {@code siteName} whose hypervisor URI is {@code uri} (the URI the
     * site published, or the one the journal kept).
     *
     * @throws io.livcloud.spi.ExtensionException if the host cannot be reached or its hypervisor refuses
     */
    HypervisorConnection connect(String siteName, String uri) {
        Optional<HostAccess> access = sites.hostAccess(siteName, uri);
        if (access.isPresent()) {
            try {
                return hypervisor.connect(uri, access.get());
            } catch (UnsupportedOperationException e) {
                // A hypervisor extension that connects only by address (the SPI's default): as before host access.
                return hypervisor.connect(uri);
            }
        }
        return hypervisor.connect(uri);
    }
}
