package io.livcloud.plugin.azure;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.CloudProviderFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code azure} provider extension: sites and hosts in Microsoft Azure.
 *
 * <p>Not implemented in LivCloud 0.1.0. The plugin ships now so that its settings are declared and validated and
 * {@code livcloud plugins} lists it; until the Azure resource manager is wired in, {@link #isSupported} says so and
 * {@link #create} throws {@link AzureErrorCode#NOT_IMPLEMENTED} rather than pretending to work.
 */
@Extension
public final class AzureCloudProviderFactory implements CloudProviderFactory {

    private static final String NOT_IMPLEMENTED =
            "the azure provider extension is not implemented in LivCloud 0.1.0 yet";

    @Override
    public String name() {
        return "azure";
    }

    @Override
    public String description() {
        return "Sites and hosts in Microsoft Azure";
    }

    /** Neither has a default: without them the cloud SDK's own default chain will decide. */
    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.optional("subscription-id", SettingType.STRING,
                        "The Azure subscription sites are created in."),
                Setting.optional("location", SettingType.STRING,
                        "The Azure region sites are in by default, e.g. westeurope."));
    }

    @Override
    public Support isSupported(ExtensionConfig config) {
        return Support.no(NOT_IMPLEMENTED, "");
    }

    /**
     * Always throws until the Azure resource manager is wired in.
     *
     * @throws ExtensionException always, with {@link AzureErrorCode#NOT_IMPLEMENTED}
     */
    @Override
    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
        throw new ExtensionException(AzureErrorCode.NOT_IMPLEMENTED, NOT_IMPLEMENTED, "");
    }
}
