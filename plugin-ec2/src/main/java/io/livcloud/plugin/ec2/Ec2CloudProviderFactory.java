package io.livcloud.plugin.ec2;

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
 * The {@code ec2} provider extension: sites and hosts in Amazon EC2.
 *
 * <p>Not implemented in LivCloud 0.1.0. The plugin ships now so that its settings are declared and validated and
 * {@code livcloud plugins} lists it; until the EC2 client is wired in, {@link #isSupported} says so and
 * {@link #create} throws {@link Ec2ErrorCode#NOT_IMPLEMENTED} rather than pretending to work.
 */
@Extension
public final class Ec2CloudProviderFactory implements CloudProviderFactory {

    private static final String NOT_IMPLEMENTED =
            "the ec2 provider extension is not implemented in LivCloud 0.1.0 yet";

    @Override
    public String name() {
        return "ec2";
    }

    @Override
    public String description() {
        return "Sites and hosts in Amazon EC2";
    }

    /** Neither has a default: without them the cloud SDK's own default chain will decide. */
    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.optional("region", SettingType.STRING,
                        "The AWS region sites are in by default, e.g. eu-west-1."),
                Setting.optional("profile", SettingType.STRING,
                        "The AWS shared-config profile whose credentials to use."));
    }

    @Override
    public Support isSupported(ExtensionConfig config) {
        return Support.no(NOT_IMPLEMENTED, "");
    }

    /**
     * Always throws until the EC2 client is wired in.
     *
     * @throws ExtensionException always, with {@link Ec2ErrorCode#NOT_IMPLEMENTED}
     */
    @Override
    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
        throw new ExtensionException(Ec2ErrorCode.NOT_IMPLEMENTED, NOT_IMPLEMENTED, "");
    }
}
