package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Support;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.Site;
import io.livcloud.testing.FakeExtensionConfig;
import io.livcloud.testing.TestingExtensionContext;
import io.livcloud.testing.plugin.ReferenceConf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AzureCloudProviderFactoryTest {

    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000a2e0";
    private static final FakeExtensionConfig DEFAULTS = ReferenceConf.defaults(new AzureCloudProviderFactory());

    private final FakeAzureFacade azure = new FakeAzureFacade();

    @Test
    void theDeclaredSettingsAndReferenceConfAgree() {
        ReferenceConf.of(new AzureCloudProviderFactory(), AzureConfig.SETTINGS).assertAgrees();
    }

    @Test
    void withoutASubscriptionItSaysWhereToSetOne() {
        Support support = factory(Map.of()).isSupported(DEFAULTS);

        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).contains("subscription-id").contains("AZURE_SUBSCRIPTION_ID");
        assertThat(support.remedy()).contains("az account show");
    }

    @Test
    void theSubscriptionMayComeFromTheEnvironment() {
        assertThat(factory(Map.of("AZURE_SUBSCRIPTION_ID", SUBSCRIPTION)).isSupported(DEFAULTS).supported()).isTrue();
    }

    @Test
    void aBadSettingIsNamedWithItsOrigin() {
        Support support = factory(Map.of()).isSupported(DEFAULTS
                .with(AzureConfig.SUBSCRIPTION_ID.key(), "my-subscription")
                .withOrigin("/etc/livcloud/livcloud.conf:7"));

        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).isEqualTo("livcloud.extensions.provider.azure.subscription-id"
                + " (/etc/livcloud/livcloud.conf:7) is 'my-subscription', not a subscription id (a GUID)");
    }

    @Test
    void aVmSizeThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> factory(Map.of()).create(DEFAULTS
                .with(AzureConfig.SUBSCRIPTION_ID.key(), SUBSCRIPTION)
                .with(AzureConfig.VM_SIZE.key(), "c8i.large"), context(Path.of("/unused"))))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AzureErrorCode.INVALID_SETTING);
                    assertThat(e.getMessage()).contains("vm-size").contains("c8i.large");
                });
    }

    @Test
    void probeAnswersFromTheDocumentationAndAsksAzureAboutTheConfiguredLocation(@TempDir Path work) {
        azure.offer("westeurope", "Standard_D4s_v5", new AzureFacade.SizeOffer(true, List.of()));
        try (CloudProvider provider = factory(Map.of()).create(DEFAULTS
                .with(AzureConfig.SUBSCRIPTION_ID.key(), SUBSCRIPTION)
                .with(AzureConfig.LOCATION.key(), "westeurope"), context(work))) {
            InstanceTypeCapability capability = provider.instanceTypeCapability("Standard_D4s_v5");

            assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
            assertThat(capability.requiredOptions()).containsEntry("securityProfile.securityType", "Standard");
            assertThat(capability.reasons()).last().asString().contains("offered in westeurope");
        }
        assertThat(azure.closed).isTrue();
    }

    @Test
    void whenAzureCannotBeAskedTheProbeStillAnswersAndSaysWhy(@TempDir Path work) {
        azure.failOn("offer westeurope Standard_D4s_v5", new AzureCallException("list VM sizes in westeurope", 0,
                "AuthenticationFailed", "DefaultAzureCredential failed to retrieve a token from the included"
                        + " credentials."));
        try (CloudProvider provider = factory(Map.of()).create(DEFAULTS
                .with(AzureConfig.SUBSCRIPTION_ID.key(), SUBSCRIPTION)
                .with(AzureConfig.LOCATION.key(), "westeurope"), context(work))) {
            InstanceTypeCapability capability = provider.instanceTypeCapability("Standard_D4s_v5");

            assertThat(capability.hardwareVirtualization()).isTrue();
            assertThat(capability.reasons()).last().asString().contains("unknown")
                    .contains("DefaultAzureCredential failed");
        }
    }

    @Test
    void aSizeWithoutNestedVirtualizationIsAnsweredWithoutAskingAzure(@TempDir Path work) {
        try (CloudProvider provider = factory(Map.of()).create(DEFAULTS
                .with(AzureConfig.SUBSCRIPTION_ID.key(), SUBSCRIPTION)
                .with(AzureConfig.LOCATION.key(), "westeurope"), context(work))) {
            assertThat(provider.instanceTypeCapability("Standard_D2_v2").hardwareVirtualization()).isFalse();
        }
        assertThat(azure.journal).isEmpty();
    }

    @Test
    void eachHostIsReachedOverSshAtItsPublicIpAsTheAdminUserUntilTheProviderCloses(@TempDir Path work) {
        CloudProvider provider = factory(Map.of()).create(DEFAULTS
                .with(AzureConfig.SUBSCRIPTION_ID.key(), SUBSCRIPTION)
                .with(AzureConfig.ADMIN_USERNAME.key(), "operator"), context(work));
        Site site = provider.provision(BaseAzureSiteTest.EAST);

        // Nothing is contacted before the first command: the access only names its target.
        try (HostAccess host = provider.hostAccess(site, site.gateway()).orElseThrow()) {
            assertThat(host.target()).isEqualTo("ssh operator@" + FakeAzureFacade.PUBLIC_ADDRESS + ":22");
        }
        assertThat(work.resolve("known_hosts")).as("host keys recorded in the plugin's work folder").exists();
        assertThat(work.resolve("ssh/livcloud-azure")).as("the key the VM was created with").exists();
        Host unaddressed = new Host("east-gateway", Set.of(HostRole.GATEWAY), "", "10.99.20.1", "", Map.of());
        assertThat(provider.hostAccess(site, unaddressed)).as("nothing reaches a host without a public address")
                .isEmpty();

        provider.close();
        assertThat(azure.closed).isTrue();
        assertThatThrownBy(() -> provider.hostAccess(site, site.gateway()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    private AzureCloudProviderFactory factory(Map<String, String> environment) {
        return new AzureCloudProviderFactory((config, subscription) -> {
            assertThat(subscription).isEqualTo(SUBSCRIPTION);
            return azure;
        }, environment);
    }

    private static TestingExtensionContext context(Path work) {
        return new TestingExtensionContext("azure").withWorkDirectory(work);
    }
}
