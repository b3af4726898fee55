package io.livcloud.engine;

import io.livcloud.spi.provider.Site;
import java.util.List;

/** The sites the engine migrates between, as their providers describe them now. */
public interface SiteDirectory {

    /** The configured sites' names. */
    List<String> names();

    /**
     * The site, as created.
     *
     * @throws io.livcloud.LivCloudException if it is not configured or not created
     */
    Site site(String name);

    /**
     * Probing from inside the site, when its provider can.
     *
     * @return empty when the provider offers no {@link io.livcloud.spi.provider.SiteProber}
     * @throws io.livcloud.LivCloudException if the site is not configured or not created
     */
    default java.util.Optional<SiteProbing> probing(String name) {
        return java.util.Optional.empty();
    }

    /**
     * The access to the host of the site whose hypervisor URI is {@code hypervisorUri}, when its provider gives one.
     *
     * @return empty when the site has no such host or its provider gives no access
     * @throws io.livcloud.spi.ExtensionException if the host cannot be described
     */
    default java.util.Optional<io.livcloud.spi.host.HostAccess> hostAccess(String siteName, String hypervisorUri) {
        return java.util.Optional.empty();
    }
}
