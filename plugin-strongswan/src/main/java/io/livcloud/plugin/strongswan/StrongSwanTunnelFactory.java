package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.Setting;
import io.livcloud.spi.Support;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code strongswan} tunnel extension: an IKEv2/IPsec tunnel between two sites' gateways, run by strongSwan's
 * charon and driven over its VICI socket with LivCloud's own VICI client.
 */
@Extension
public final class StrongSwanTunnelFactory implements TunnelFactory {

    @Override
    public String name() {
        return "strongswan";
    }

    @Override
    public String description() {
        return "IKEv2/IPsec tunnel with strongSwan's charon";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return StrongSwanConfig.SETTINGS.declarations();
    }

    /** Supported where charon is installed; gateways on other hosts are checked when a tunnel is set up. */
    @Override
    public Support isSupported(ExtensionConfig config) {
        Path charon = StrongSwanConfig.from(config).charonPath();
        if (!Files.isExecutable(charon)) {
            return Support.no("charon is not installed at " + charon, "apt-get install strongswan-charon"
                    + " libcharon-extra-plugins strongswan-swanctl, or set charon-path");
        }
        return Support.yes();
    }

    @Override
    public TunnelDriver create(ExtensionConfig config, ExtensionContext context) {
        return new StrongSwanTunnelDriver(StrongSwanConfig.from(config), context,
                PreSharedKeys.stored(context.secrets()));
    }
}
