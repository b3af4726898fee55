package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.testing.plugin.BuiltPluginZip;
import io.livcloud.testing.plugin.ZipLibraries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. A tunnel
 * through the zip's driver needs sites whose hosts the runtime can reach; the distribution's test brings one up
 * between the lab's sites (with certificates, so Bouncy Castle runs from lib/ in the plugin's class loader).
 */
class StrongSwanPluginZipIT {

    @Test
    void builtZipStartsWithTheStrongSwanTunnelWhichNeedsNoCharonOnThisMachine(@TempDir Path pluginsDirectory,
            @TempDir Path stateDirectory) throws IOException {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "strongswan", ExtensionKind.TUNNEL,
                    "strongswan");
            assertThat(extension.support().supported()).as(extension.support().reason()).isTrue();

            try (TunnelDriver driver = livCloud.tunnelDriver("strongswan")) {
                TunnelControl control = new TunnelControl("/var/run/charon.vici", "10.0.0.5", "198.51.100.1", "");
                TunnelEndpoint a = new TunnelEndpoint("a", "a-gw", "198.51.100.1", "10.99.11.0/24", "10.99.11.1",
                        Optional.of(control), Optional.empty(), Map.of());
                TunnelEndpoint b = new TunnelEndpoint("b", "b-gw", "198.51.100.2", "10.99.12.0/24", "10.99.12.1",
                        Optional.empty(), Optional.empty(), Map.of());

                assertThatThrownBy(() -> driver.establish(new TunnelSpec("a-b", a, b,
                        TunnelAuthentication.CERTIFICATE, Map.of())))
                        .isInstanceOfSatisfying(ExtensionException.class, e -> {
                            assertThat(e.errorCode().code()).isEqualTo("STRONGSWAN_NO_TUNNEL_CONTROL");
                            assertThat(e.getMessage()).contains("site b's gateway b-gw publishes no tunnel control");
                            assertThat(e.remedy()).contains("provider must publish the gateway's TunnelControl");
                        });
                // With control, a gateway is reached only through the host's access to its site's hosts, which this
                // runtime, configured with no site, does not have.
                TunnelEndpoint controlled = new TunnelEndpoint("b", "b-gw", "198.51.100.2", "10.99.12.0/24",
                        "10.99.12.1", Optional.of(control), Optional.empty(), Map.of());
                assertThatThrownBy(() -> driver.establish(new TunnelSpec("a-b", a, controlled,
                        TunnelAuthentication.CERTIFICATE, Map.of())))
                        .isInstanceOf(ExtensionException.class).hasMessageContaining("b-gw");
                assertThat(driver.list()).isEmpty();
            }
        }
    }

    @Test
    void zipBringsTheToolkitWithoutItsSshPartOrTheHostsLibraries() {
        ZipLibraries.assertToolkitBundled(ZipLibraries.builtZip(), false);
        List<String> jars = ZipLibraries.of(ZipLibraries.builtZip());
        assertThat(jars).as("Bouncy Castle, for the tunnels' certificates")
                .anyMatch(jar -> jar.startsWith("bcpkix-jdk18on-")).anyMatch(jar -> jar.startsWith("bcprov-jdk18on-"));
    }
}
