package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.management.AzureEnvironment;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.livcloud.plugin.toolkit.cloud.CloudHostSsh;
import io.livcloud.plugin.toolkit.ssh.SshKeys;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.CloudProviderFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.pf4j.Extension;

/**
 * The {@code azure} provider extension: sites in Microsoft Azure, each a VM of a nested-capable size (security type
 * Standard) that is the site's gateway and hypervisor host, with its network, security group and public IP.
 * Credentials come from {@code DefaultAzureCredential} (environment, workload or managed identity, Azure CLI, …), the
 * subscription and region from configuration.
 */
@Extension
public final class AzureCloudProviderFactory implements CloudProviderFactory {

    private static final String KEY_COMMENT = "livcloud-azure";
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);

    private final BiFunction<AzureConfig, String, AzureFacade> facades;
    private final Map<String, String> environment;

    public AzureCloudProviderFactory() {
        this(AzureCloudProviderFactory::sdkFacade, System.getenv());
    }

    /** For tests: Azure behind a fake facade, and an environment of the test's choosing. */
    AzureCloudProviderFactory(BiFunction<AzureConfig, String, AzureFacade> facades, Map<String, String> environment) {
        this.facades = requireNonNull(facades, "facades is null");
        this.environment = Map.copyOf(environment);
    }

    @Override
    public String name() {
        return AzureSiteProvisioner.PROVIDER;
    }

    @Override
    public String description() {
        return "Sites and hosts in Microsoft Azure";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return AzureConfig.SETTINGS.declarations();
    }

    /** Settings and a subscription; credentials are only tried by the first call to Azure. */
    @Override
    public Support isSupported(ExtensionConfig config) {
        try {
            AzureConfig.from(config, environment).requireSubscription();
            return Support.yes();
        } catch (ExtensionException e) {
            return Support.no(e.getMessage(), e.remedy());
        }
    }

    @Override
    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
        AzureConfig azureConfig = AzureConfig.from(config, environment);
        String subscription = azureConfig.requireSubscription();
        Path keyFile = azureConfig.sshKey().orElseGet(() -> context.workDirectory().resolve("ssh")
                .resolve("livcloud-azure"));
        AzureFacade azure = facades.apply(azureConfig, subscription);
        AzureSiteProvisioner provisioner = new AzureSiteProvisioner(azureConfig, azure,
                () -> SshKeys.openSshPublicKey(SshKeys.loadOrCreate(keyFile, KEY_COMMENT).getPublic(), KEY_COMMENT));
        CloudHostSsh ssh = new CloudHostSsh(context.workDirectory().resolve("known_hosts"), SSH_TIMEOUT,
                azureConfig.adminUsername(), () -> SshKeys.loadOrCreate(keyFile, KEY_COMMENT));
        return new AzureCloudProvider(azureConfig, azure, provisioner, new AzureSiteTeardown(azureConfig, azure), ssh);
    }

    private static AzureFacade sdkFacade(AzureConfig config, String subscription) {
        AzureEnvironment cloud = switch (config.cloud()) {
            case "azure-china" -> AzureEnvironment.AZURE_CHINA;
            case "azure-us-government" -> AzureEnvironment.AZURE_US_GOVERNMENT;
            default -> AzureEnvironment.AZURE;
        };
        return new SdkAzureFacade(new DefaultAzureCredentialBuilder().authorityHost(cloud.getActiveDirectoryEndpoint())
                .build(), new JdkHttpClientBuilder().build(), cloud, subscription, config.retries(),
                Duration.ofSeconds(1));
    }
}
