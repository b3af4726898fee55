package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.testing.plugin.ZipLibraries;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.tunnel.Tunnel;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.spi.tunnel.TunnelStatus;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.plugin.BuiltPluginZip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. */
class StrongSwanPluginZipIT {

    @Test
    void builtZipStartsWithTheStrongSwanTunnelAndItsTunnelsWork(@TempDir Path pluginsDirectory,
            @TempDir Path stateDirectory) throws IOException {
        Prerequisites.requireRoot();
        Prerequisites.require(Files.isExecutable(Path.of("/usr/lib/ipsec/charon")), "charon is missing: apt-get"
                + " install strongswan-charon libcharon-extra-plugins");
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory);
                GatewayPair network = GatewayPair.create()) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "strongswan", ExtensionKind.TUNNEL,
                    "strongswan");
            assertThat(extension.support().supported()).as(extension.support().reason()).isTrue();

            try (TunnelDriver driver = livCloud.tunnelDriver("strongswan")) {
                // Certificates, so that Bouncy Castle is exercised from the zip's lib/ in the plugin's class loader.
                Tunnel tunnel = driver.establish(new TunnelSpec("a-b", network.endpointA(), network.endpointB(),
                        TunnelAuthentication.CERTIFICATE, Map.of()));
                try {
                    TunnelStatus checked = tunnel.check();
                    assertThat(checked.state()).as(checked.detail()).isEqualTo(TunnelState.UP);
                    assertThat(driver.find("a-b")).isPresent();
                } finally {
                    tunnel.tearDown();
                }
                assertThat(driver.list()).isEmpty();
                assertThat(GatewayPair.processesIn(GatewayPair.A)).isEmpty();
            }
        }
    }

    @Test
    void zipBringsTheToolkitWithoutItsSshPartOrTheHostsLibraries() {
        ZipLibraries.assertToolkitBundled(ZipLibraries.builtZip(), false);
    }
}
