package io.livcloud.plugin.azure;

import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.testing.FakeExtensionConfig;
import io.livcloud.testing.plugin.ReferenceConf;
import java.util.Map;

/**
 * A subscription in a hand-written Azure ({@link FakeAzureFacade}), with a provisioner and a teardown over it, for the
 * tests of both jobs: a teardown test provisions its site first, as a user would.
 */
abstract class BaseAzureSiteTest {

    static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ livcloud-azure";
    static final SiteSpec EAST = new SiteSpec("east", "westeurope", "", "10.99.20.0/24", "203.0.113.7",
            "198.51.100.0/24", Map.of());

    final FakeAzureFacade azure = new FakeAzureFacade();

    AzureSiteProvisioner provisioner(Map<String, Object> settings) {
        return new AzureSiteProvisioner(config(settings), azure, () -> KEY);
    }

    AzureSiteTeardown teardown(Map<String, Object> settings) {
        return new AzureSiteTeardown(config(settings), azure);
    }

    static AzureConfig config(Map<String, Object> settings) {
        FakeExtensionConfig section = ReferenceConf.defaults(new AzureCloudProviderFactory())
                .with(AzureConfig.SUBSCRIPTION_ID.key(), "00000000-0000-0000-0000-00000000a2e0")
                .with(AzureConfig.LOCATION.key(), "westeurope");
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            section = section.with(setting.getKey(), setting.getValue());
        }
        return AzureConfig.from(section, Map.of());
    }
}
