package com.example.livcloud.staticsites;

import io.livcloud.testing.FakeExtensionConfig;
import java.util.Map;

/** The static provider's configuration section for tests, on LivCloud's own test fake. */
final class StaticSitesConfigs {

    private StaticSitesConfigs() {
    }

    /** The section with these sites under {@code sites}. */
    static FakeExtensionConfig withSites(Map<String, Object> sites) {
        return new FakeExtensionConfig("livcloud.extensions.provider.static", new StaticCloudProviderFactory().settings(),
                Map.of("sites", sites));
    }
}
