package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

/**
 * A site the user configured under {@code livcloud.sites}.
 *
 * @param name the site's name, its key under {@code livcloud.sites}
 * @param provider the name of the provider extension that manages the site
 * @param origin where the site was defined, e.g. {@code /home/me/.livcloud/livcloud.conf:14}
 */
public record SiteDefinition(String name, String provider, String origin) {

    public SiteDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(origin, "origin is null");
    }
}
