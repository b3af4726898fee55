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
}
