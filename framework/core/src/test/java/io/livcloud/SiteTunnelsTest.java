package io.livcloud;

import static io.livcloud.testing.TestPluginBuilder.plugin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tunnels between configured sites through the facade: each end is built from the site's gateway as its provider
 * describes it, and a site's teardown takes its tunnels down first. A real plugin with a provider that knows two
 * sites and a tunnel driver that keeps its tunnels in memory.
 */
class SiteTunnelsTest {

    private static final String PROVIDER = """
            package t;

            import io.livcloud.spi.*;
            import io.livcloud.spi.provider.*;
            import java.util.*;

            @org.pf4j.Extension
            public class TwoSites implements CloudProviderFactory {
                public String name() { return "two"; }

                public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
                    return new CloudProvider() {
                        public List<Site> listSites() {
                            return List.of(site("a", 2), site("b", 3));
                        }

                        private Site site(String name, int index) {
                            Host gateway = new Host("gw-" + name, Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR),
                                    "10.99.0." + index, "10.99.1" + index + ".1", "test:///default",
                                    Map.of("namespace", "lc-" + name));
                            return new Site(name, "two", "", gateway, List.of(gateway), "10.99.1" + index + ".0/24",
                                    Map.of());
                        }

                        public boolean canProvision() { return true; }
                        public Site provision(SiteSpec spec) { throw new UnsupportedOperationException(); }

                        public TeardownReport tearDown(String siteName, boolean dryRun) {
                            return new TeardownReport(siteName, dryRun, List.of("gw-" + siteName), List.of());
                        }

                        public InstanceTypeCapability instanceTypeCapability(String type) {
                            throw new UnsupportedOperationException();
                        }

                        public void close() { }
                    };
                }
            }
            """;

    private static final String TUNNELS = """
            package t;

            import io.livcloud.spi.*;
            import io.livcloud.spi.tunnel.*;
            import java.time.Instant;
            import java.util.*;
            import java.util.concurrent.ConcurrentHashMap;

            @org.pf4j.Extension
            public class MemoryTunnels implements TunnelFactory {
                static final Map<String, TunnelSpec> UP = new ConcurrentHashMap<>();

                public String name() { return "memory"; }

                public TunnelDriver create(ExtensionConfig config, ExtensionContext context) {
                    return new TunnelDriver() {
                        public Tunnel establish(TunnelSpec spec) {
                            UP.put(spec.id(), spec);
                            return tunnel(spec);
                        }

                        public Optional<Tunnel> find(String id) {
                            return Optional.ofNullable(UP.get(id)).map(this::tunnel);
                        }

                        public List<Tunnel> list() {
                            return UP.values().stream().map(this::tunnel).toList();
                        }

                        private Tunnel tunnel(TunnelSpec spec) {
                            return new Tunnel() {
                                public String id() { return spec.id(); }
                                public TunnelSpec spec() { return spec; }

                                public TunnelStatus status() {
                                    boolean up = UP.containsKey(spec.id());
                                    return new TunnelStatus(up ? TunnelState.UP : TunnelState.DOWN, Optional.empty(),
                                            TrafficCounters.ZERO, "memory", up ? "status" : "gone");
                                }

                                public TunnelStatus check() {
                                    TunnelStatus status = status();
                                    return new TunnelStatus(status.state(), status.establishedSince(), status.traffic(),
                                            status.dataPath(), "checked");
                                }

                                public void tearDown() { UP.remove(spec.id()); }
                            };
                        }

                        public void close() { }
                    };
                }
            }
            """;

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @TempDir
    Path work;

    @Test
    void aTunnelsEndsAreTheSitesGatewaysAndASitesTeardownTakesItsTunnelsDownFirst() throws IOException {
        try (LivCloud livCloud = start("livcloud.migration.tunnel = memory\n")) {
            TunnelInfo up = livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of("dpd-delay", "5s"));

            assertThat(up.id()).isEqualTo("a-b").isEqualTo(LivCloud.tunnelId("a", "b"));
            assertThat(up.status().state()).isEqualTo(TunnelState.UP);
            assertThat(up.status().detail()).as("tunnel up checks traffic").isEqualTo("checked");
            TunnelSpec spec = up.spec();
            assertThat(spec.local().siteName()).isEqualTo("a");
            assertThat(spec.local().gatewayAddress()).isEqualTo("10.99.0.2");
            assertThat(spec.local().subnet()).isEqualTo("10.99.12.0/24");
            assertThat(spec.local().insideAddress()).isEqualTo("10.99.12.1");
            assertThat(spec.local().attributes()).containsEntry("namespace", "lc-a");
            assertThat(spec.remote().gatewayAddress()).isEqualTo("10.99.0.3");
            assertThat(spec.options()).containsEntry("dpd-delay", "5s");
            assertThat(livCloud.tunnels(false)).extracting(TunnelInfo::id).containsExactly("a-b");
            assertThat(livCloud.tunnelUp("b", "a", TunnelAuthentication.PRE_SHARED_KEY, Map.of()).id())
                    .as("the tunnel the other way round serves").isEqualTo("a-b");
            assertThat(livCloud.tunnels(false)).hasSize(1);

            assertThat(livCloud.tearDownSite("b", true).removed()).containsExactly("tunnel/a-b", "gw-b");
            assertThat(livCloud.tunnels(false)).as("a dry run leaves the tunnel").hasSize(1);
            assertThat(livCloud.tearDownSite("b", false).removed()).containsExactly("tunnel/a-b", "gw-b");
            assertThat(livCloud.tunnels(false)).isEmpty();
            assertThat(livCloud.tunnelDown("a-b")).isFalse();
        }
    }

    @Test
    void aTunnelsIdDoesNotDependOnWhichSiteInitiatedSoEitherOrderFindsIt() throws IOException {
        assertThat(LivCloud.tunnelId("b", "a")).isEqualTo(LivCloud.tunnelId("a", "b")).isEqualTo("a-b");
        assertThat(LivCloud.tunnelId("site-b", "site-a")).isEqualTo("site-a-site-b");
        try (LivCloud livCloud = start("livcloud.migration.tunnel = memory\n")) {
            TunnelInfo up = livCloud.tunnelUp("b", "a", TunnelAuthentication.PRE_SHARED_KEY, Map.of());

            assertThat(up.id()).isEqualTo("a-b");
            assertThat(up.spec().local().siteName()).as("b still initiates").isEqualTo("b");
            assertThat(livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of()).id())
                    .isEqualTo("a-b");
            assertThat(livCloud.tunnels(false)).hasSize(1);
            // livcloud tunnel down b-a: the id spelled the other way round.
            assertThat(livCloud.tunnelDown("b-a")).isTrue();
            assertThat(livCloud.tunnels(false)).isEmpty();

            livCloud.tunnelUp("b", "a", TunnelAuthentication.PRE_SHARED_KEY, Map.of());
            // livcloud tunnel down b a and tunnel down a b both ask for the id of the two sites.
            assertThat(livCloud.tunnelDown(LivCloud.tunnelId("b", "a"))).isTrue();
            assertThat(livCloud.tunnelDown(LivCloud.tunnelId("a", "b"))).as("already down").isFalse();
        }
    }

    @Test
    void aTunnelAnEarlierVersionNamedFromToIsFoundByEitherOrderAndServesBothDirections() throws IOException {
        try (LivCloud livCloud = start("livcloud.migration.tunnel = memory\n")) {
            TunnelSpec current = livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of()).spec();
            livCloud.tunnelDown("a-b");
            try (TunnelDriver driver = livCloud.tunnelDriver("memory")) {
                // What the engine opened from b to a before ids were order-independent.
                driver.establish(new TunnelSpec("b-a", current.remote(), current.local(), current.authentication(),
                        Map.of()));
            }

            assertThat(livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of()).id())
                    .as("the pair's tunnel serves, no second one").isEqualTo("b-a");
            assertThat(livCloud.tunnels(false)).extracting(TunnelInfo::id).containsExactly("b-a");
            // livcloud tunnel down a b
            assertThat(livCloud.tunnelDown(LivCloud.tunnelId("a", "b"))).isTrue();
            assertThat(livCloud.tunnels(false)).isEmpty();
        }
    }

    @Test
    void tunnelsBetweenSitesThatCannotHaveOneAreRefusedWithWhatToDo() throws IOException {
        try (LivCloud livCloud = start("livcloud.migration.tunnel = memory\nlivcloud.sites.c.provider = two\n")) {
            assertThatThrownBy(() -> livCloud.tunnelUp("a", "a", TunnelAuthentication.PRE_SHARED_KEY, Map.of()))
                    .isInstanceOf(LivCloudException.class)
                    .hasMessage("a tunnel joins two sites, not site a with itself");
            assertThatThrownBy(() -> livCloud.tunnelUp("a", "bb", TunnelAuthentication.PRE_SHARED_KEY, Map.of()))
                    .hasMessage("no site named 'bb' in livcloud.sites; did you mean 'b'?");
            assertThatThrownBy(() -> livCloud.tunnelUp("a", "c", TunnelAuthentication.PRE_SHARED_KEY, Map.of()))
                    .isInstanceOfSatisfying(LivCloudException.class, failure -> {
                        assertThat(failure).hasMessage("site c is configured but not created, so it has no gateway to"
                                + " end a tunnel");
                        assertThat(failure.remedy()).contains("livcloud site create c");
                    });
        }
        try (LivCloud livCloud = start("")) {
            assertThatThrownBy(() -> livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of()))
                    .isInstanceOfSatisfying(LivCloudException.class, failure -> {
                        assertThat(failure).hasMessage("no tunnel extension is selected");
                        assertThat(failure.remedy()).contains("livcloud.migration.tunnel = strongswan");
                    });
            assertThat(livCloud.tearDownSite("a", false).removed()).as("no tunnel extension: nothing to take down")
                    .containsExactly("gw-a");
        }
    }

    private LivCloud start(String extraConfig) throws IOException {
        if (!Files.exists(plugins.resolve("sites"))) {
            plugin("sites").source("t.TwoSites", PROVIDER).source("t.MemoryTunnels", TUNNELS).buildFolder(plugins);
        }
        Path config = Files.writeString(work.resolve("livcloud.conf"), "livcloud.sites.a.provider = two\n"
                + "livcloud.sites.b.provider = two\n" + extraConfig);
        return LivCloud.builder().pluginsDirectory(plugins).stateDirectory(state).configFile(config)
                .environment(Map.of("HOME", work.toString())).systemProperties(Map.of()).build();
    }
}
