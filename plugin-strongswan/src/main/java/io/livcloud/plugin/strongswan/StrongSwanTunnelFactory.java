package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import io.livcloud.spi.Support;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code strongswan} tunnel extension: an IPsec tunnel between the two sites' gateways, run by strongSwan's
 * charon daemon.
 *
 * <p>Not implemented in LivCloud 0.1.0. The plugin ships now so that its settings are declared and validated and
 * {@code livcloud plugins} lists it; until the charon driver lands, {@link #isSupported} says so and {@link #create}
 * throws {@link StrongSwanErrorCode#NOT_IMPLEMENTED} rather than pretending to work.
 */
@Extension
public final class StrongSwanTunnelFactory implements TunnelFactory {

    private static final String NOT_IMPLEMENTED =
            "the strongswan tunnel extension is not implemented in LivCloud 0.1.0 yet";

    @Override
    public String name() {
        return "strongswan";
    }

    @Override
    public String description() {
        return "IPsec tunnel with strongSwan's charon";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return List.of(
                Setting.required("charon-path", SettingType.PATH, "The charon daemon strongSwan runs the tunnel with."),
                Setting.oneOf("authentication", "How the two gateways prove who they are.",
                        "pre-shared-key", "certificate"));
    }

    @Override
    public Support isSupported(ExtensionConfig config) {
        return Support.no(NOT_IMPLEMENTED, "");
    }

    /**
     * Always throws until the charon driver lands.
     *
     * @throws ExtensionException always, with {@link StrongSwanErrorCode#NOT_IMPLEMENTED}
     */
    @Override
    public TunnelDriver create(ExtensionConfig config, ExtensionContext context) {
        throw new ExtensionException(StrongSwanErrorCode.NOT_IMPLEMENTED, NOT_IMPLEMENTED, "");
    }
}
