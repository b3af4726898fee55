package io.livcloud.plugin.strongswan;

import io.livcloud.testing.plugin.ReferenceConf;
import io.livcloud.testing.FakeExtensionConfig;
import java.nio.file.Path;

/** The strongswan extension's configuration with the plugin's reference.conf values. */
final class TestConfigs {

    /** Where Debian's strongswan-charon installs charon, which the tests start for their gateways. */
    static final Path CHARON = Path.of("/usr/lib/ipsec/charon");

    private TestConfigs() {
    }

    static StrongSwanConfig config() {
        return StrongSwanConfig.from(defaults());
    }

    /** The plugin's reference.conf values, as the host would hand them over. */
    static FakeExtensionConfig defaults() {
        return ReferenceConf.defaults(new StrongSwanTunnelFactory());
    }
}
