package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.Setting;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code strongswan} tunnel extension: an IKEv2/IPsec tunnel between two sites' gateways, run by each gateway's
 * own strongSwan charon and driven over its VICI socket, through the gateway's host access, with LivCloud's own VICI
 * client. This machine needs no charon, so the extension is supported everywhere (the default {@code isSupported});
 * whether a gateway's charon answers is checked when a tunnel is set up.
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

    @Override
    public TunnelDriver create(ExtensionConfig config, ExtensionContext context) {
        return new StrongSwanTunnelDriver(StrongSwanConfig.from(config), context,
                PreSharedKeys.stored(context.secrets()));
    }
}
