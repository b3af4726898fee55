package io.livcloud.engine;

import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber;

/**
 * Probing from one site, with whatever the prober needs (its provider) held open until {@link #close()}: a watch runs
 * for the whole transfer.
 */
public interface SiteProbing extends AutoCloseable {

    /** The site probes go from. */
    Site site();

    /** Its provider's prober. */
    SiteProber prober();

    /** Releases the provider; stops nothing the prober started (watches are stopped by their owner). */
    @Override
    void close();

    /** Probing from {@code site} with {@code prober}; {@code release} runs on close. */
    static SiteProbing of(Site site, SiteProber prober, Runnable release) {
        return new SiteProbing() {
            @Override
            public Site site() {
                return site;
            }

            @Override
            public SiteProber prober() {
                return prober;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }
}
