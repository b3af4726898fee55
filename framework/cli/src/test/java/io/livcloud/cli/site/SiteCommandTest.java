package io.livcloud.cli.site;

import static io.livcloud.testing.TestPluginBuilder.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.cli.CliRun;
import io.livcloud.cli.CliRun.Result;
import io.livcloud.cli.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code livcloud site} against a provider plugin built in the test: it keeps each site it provisions as a file in its
 * work directory, so create, list and destroy, each a process of its own in real use, see one another's work.
 */
class SiteCommandTest {

    /** The provider "memory": site settings like a cloud's, sites as files, "record <name>" as the one resource. */
    private static final String MEMORY_PROVIDER = """
            package m;

            import io.livcloud.spi.*;
            import io.livcloud.spi.provider.*;
            import java.io.*;
            import java.nio.file.*;
            import java.util.*;

            @org.pf4j.Extension
            public class MemoryFactory implements CloudProviderFactory {
                @Override
                public String name() {
                    return "memory";
                }

                @Override
                public List<Setting> siteSettings() {
                    return List.of(Setting.optional("location", SettingType.STRING, "Region"),
                            Setting.optional("instance-type", SettingType.STRING, "Type"),
                            Setting.optional("vm-subnet", SettingType.STRING, "VM subnet"),
                            Setting.optional("peer-gateway-address", SettingType.STRING, "Peer"),
                            Setting.optional("operator-cidr", SettingType.STRING, "Operator"),
                            Setting.optional("zone", SettingType.STRING, "Zone"));
                }

                @Override
                public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
                    Path directory = context.workDirectory();
                    return new CloudProvider() {
                        @Override
                        public List<Site> listSites() {
                            List<Site> sites = new ArrayList<>();
                            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.site")) {
                                for (Path file : files) {
                                    Properties spec = new Properties();
                                    try (Reader in = Files.newBufferedReader(file)) {
                                        spec.load(in);
                                    }
                                    Map<String, String> attributes = new TreeMap<>();
                                    spec.stringPropertyNames().forEach(key -> attributes.put(key, spec.getProperty(key)));
                                    String name = file.getFileName().toString().replace(".site", "");
                                    Host host = new Host("host-" + name, Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR),
                                            "203.0.113.1", "10.0.0.1", "test:///default", Map.of());
                                    sites.add(new Site(name, "memory", attributes.getOrDefault("location", ""), host,
                                            List.of(host), attributes.getOrDefault("vm-subnet", ""), attributes));
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            sites.sort(Comparator.comparing(Site::name));
                            return sites;
                        }

                        @Override
                        public boolean canProvision() {
                            return true;
                        }

                        @Override
                        public Site provision(SiteSpec spec) {
                            if (spec.name().startsWith("refused")) {
                                ErrorCode refused = () -> "MEMORY_REFUSED";
                                throw new ExtensionException(refused, "site '" + spec.name() + "' is refused",
                                        "choose another name");
                            }
                            Properties stored = new Properties();
                            stored.putAll(spec.options());
                            stored.put("spec.peer", spec.peerGatewayAddress());
                            stored.put("spec.operator", spec.operatorCidr());
                            stored.put("spec.type", spec.instanceType());
                            try (Writer out = Files.newBufferedWriter(directory.resolve(spec.name() + ".site"))) {
                                stored.store(out, null);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                            return describeSite(spec.name()).orElseThrow();
                        }

                        @Override
                        public TeardownReport tearDown(String siteName, boolean dryRun) {
                            Path file = directory.resolve(siteName + ".site");
                            if (!Files.exists(file)) {
                                return new TeardownReport(siteName, dryRun, List.of(), List.of());
                            }
                            if (siteName.startsWith("stuck")) {
                                return new TeardownReport(siteName, dryRun, List.of(), List.of(
                                        new TeardownReport.Leftover("record " + siteName, "it is stuck; delete it by hand")));
                            }
                            if (!dryRun) {
                                try {
                                    Files.delete(file);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            }
                            return new TeardownReport(siteName, dryRun, List.of("record " + siteName), List.of());
                        }

                        @Override
                        public InstanceTypeCapability instanceTypeCapability(String instanceType) {
                            return new InstanceTypeCapability(instanceType, NestedVirtualization.UNKNOWN, List.of(),
                                    Map.of());
                        }

                        @Override
                        public void close() {
                        }
                    };
                }
            }
            """;

    /**
     * The tunnel extension "memory": one tunnel, west-east, until it is torn down (a file in its work directory says
     * so, as each command is a process of its own).
     */
    private static final String MEMORY_TUNNELS = """
            package m;

            import io.livcloud.spi.*;
            import io.livcloud.spi.tunnel.*;
            import java.io.*;
            import java.nio.file.*;
            import java.util.*;

            @org.pf4j.Extension
            public class MemoryTunnels implements TunnelFactory {
                @Override
                public String name() {
                    return "memory";
                }

                @Override
                public TunnelDriver create(ExtensionConfig config, ExtensionContext context) {
                    Path down = context.workDirectory().resolve("west-east.down");
                    TunnelSpec spec = new TunnelSpec("west-east",
                            new TunnelEndpoint("west", "west-gw", "203.0.113.1", "10.99.30.0/24", "",
                                    Optional.empty(), Optional.empty(), Map.of()),
                            new TunnelEndpoint("east", "east-gw", "203.0.113.2", "10.99.20.0/24", "",
                                    Optional.empty(), Optional.empty(), Map.of()),
                            TunnelAuthentication.PRE_SHARED_KEY, Map.of());
                    Tunnel tunnel = new Tunnel() {
                        public String id() { return spec.id(); }
                        public TunnelSpec spec() { return spec; }
                        public TunnelStatus status() { throw new UnsupportedOperationException(); }
                        public TunnelStatus check() { throw new UnsupportedOperationException(); }
                        public void tearDown() {
                            try {
                                Files.createFile(down);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    };
                    return new TunnelDriver() {
                        public Tunnel establish(TunnelSpec wanted) { throw new UnsupportedOperationException(); }
                        public Optional<Tunnel> find(String id) { return list().stream().findFirst(); }
                        public List<Tunnel> list() { return Files.exists(down) ? List.of() : List.of(tunnel); }
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
    Path home;

    private CliRun cli;

    @BeforeEach
    void memoryProvider() throws IOException {
        plugin("memory").source("m.MemoryFactory", MEMORY_PROVIDER).source("m.MemoryTunnels", MEMORY_TUNNELS)
                .buildFolder(plugins);
        cli = new CliRun(home, plugins, state);
    }

    @Test
    void createListAndDestroyASiteThatIsNotConfigured() throws IOException {
        Result created = cli.run("site", "create", "east", "--provider", "memory", "--region", "eu-west-1",
                "--instance-type", "c8i.large", "--vm-subnet", "10.99.20.0/24", "--peer-gateway", "203.0.113.7",
                "--operator-cidr", "198.51.100.7/32", "--option", "zone=eu-west-1b", "-o", "json");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode site = new ObjectMapper().readTree(created.out());
        assertThat(site.get("name").asText()).isEqualTo("east");
        assertThat(site.get("provider").asText()).isEqualTo("memory");
        assertThat(site.get("configured").asBoolean()).isFalse();
        assertThat(site.get("location").asText()).isEqualTo("eu-west-1");
        assertThat(site.get("vmSubnet").asText()).isEqualTo("10.99.20.0/24");
        JsonNode attributes = site.get("attributes");
        assertThat(attributes.get("spec.peer").asText()).isEqualTo("203.0.113.7");
        assertThat(attributes.get("spec.operator").asText()).isEqualTo("198.51.100.7/32");
        assertThat(attributes.get("spec.type").asText()).isEqualTo("c8i.large");
        assertThat(attributes.get("zone").asText()).isEqualTo("eu-west-1b");

        Result unlisted = cli.run("site", "list");
        assertThat(unlisted.out()).isEqualTo("no sites: none in livcloud.sites\n");
        Result listed = cli.run("site", "list", "--provider", "memory");
        assertThat(listed.exitCode()).as(listed.err()).isZero();
        assertThat(listed.out()).startsWith("site east (memory): present, not in livcloud.sites\n"
                + "  gateway 203.0.113.1, VM subnet 10.99.20.0/24, in eu-west-1\n"
                + "  host host-east [GATEWAY, HYPERVISOR]: test:///default\n");

        Result dryRun = cli.run("site", "destroy", "east", "--provider", "memory", "--dry-run");
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out()).isEqualTo("site east (memory): would remove\n  record east\n");

        Result destroyed = cli.run("site", "destroy", "east", "--provider", "memory");
        assertThat(destroyed.out()).isEqualTo("site east (memory): removed\n  record east\n");
        Result again = cli.run("site", "destroy", "east", "--provider", "memory", "-o", "json");
        assertThat(again.exitCode()).isZero();
        JsonNode report = new ObjectMapper().readTree(again.out());
        assertThat(report.get("removed")).isEmpty();
        assertThat(report.get("leftovers")).isEmpty();
    }

    @Test
    void aConfiguredSiteBringsItsProviderAndSettingsWhichTheCommandLineOverrides() throws IOException {
        Path config = Files.writeString(home.resolve("livcloud.conf"), """
                livcloud.sites.west { provider = memory, location = "us-east-1", vm-subnet = "10.99.30.0/24",
                  operator-cidr = "198.51.100.0/28" }
                """);

        Result created = cli.run("site", "create", "west", "--config", config.toString(), "--peer-gateway",
                "203.0.113.9", "--vm-subnet", "10.99.31.0/24", "-o", "json");

        assertThat(created.exitCode()).as(created.err()).isZero();
        JsonNode site = new ObjectMapper().readTree(created.out());
        assertThat(site.get("configured").asBoolean()).isTrue();
        assertThat(site.get("location").asText()).isEqualTo("us-east-1");
        assertThat(site.get("vmSubnet").asText()).isEqualTo("10.99.31.0/24");
        assertThat(site.get("attributes").get("spec.peer").asText()).isEqualTo("203.0.113.9");
        assertThat(site.get("attributes").get("spec.operator").asText()).isEqualTo("198.51.100.0/28");

        Result listed = cli.run("site", "list", "--config", config.toString(), "-o", "json");
        JsonNode sites = new ObjectMapper().readTree(listed.out()).get("sites");
        assertThat(sites).hasSize(1);
        assertThat(sites.get(0).get("state").asText()).isEqualTo("present");
        assertThat(sites.get(0).get("configured").asBoolean()).isTrue();

        Result wrongProvider = cli.run("site", "destroy", "west", "--config", config.toString(), "--provider", "ec2");
        assertThat(wrongProvider.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(wrongProvider.err()).startsWith("livcloud: site 'west' is configured with provider 'memory', not"
                + " 'ec2'\n");

        Result destroyed = cli.run("site", "destroy", "west", "--config", config.toString());
        assertThat(destroyed.out()).isEqualTo("site west (memory): removed\n  record west\n");
        Result absent = cli.run("site", "list", "--config", config.toString());
        assertThat(absent.out()).isEqualTo("site west (memory): absent\n");
    }

    @Test
    void destroyingAConfiguredSiteTakesItsTunnelsDownFirst() throws IOException {
        Path config = Files.writeString(home.resolve("livcloud.conf"), """
                livcloud.migration.tunnel = memory
                livcloud.sites.west { provider = memory, vm-subnet = "10.99.30.0/24" }
                """);
        assertThat(cli.run("site", "create", "west", "--config", config.toString()).exitCode()).isZero();

        Result dryRun = cli.run("site", "destroy", "west", "--config", config.toString(), "--dry-run");
        assertThat(dryRun.out()).isEqualTo("site west (memory): would remove\n  tunnel/west-east\n  record west\n");
        Result destroyed = cli.run("site", "destroy", "west", "--config", config.toString());

        assertThat(destroyed.exitCode()).as(destroyed.err()).isZero();
        assertThat(destroyed.out()).isEqualTo("site west (memory): removed\n  tunnel/west-east\n  record west\n");
        Result again = cli.run("site", "destroy", "west", "--config", config.toString());
        assertThat(again.out()).isEqualTo("site west (memory): nothing to remove\n");
    }

    @Test
    void mistakesAreNamedWithTheFix() {
        Result noProvider = cli.run("site", "create", "east");
        assertThat(noProvider.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(noProvider.err()).isEqualTo("livcloud: site 'east' is not in livcloud.sites, so its provider is"
                + " unknown\n  fix: add --provider, e.g. --provider ec2, or declare the site in livcloud.sites.east\n");

        Result unknownOption = cli.run("site", "create", "east", "--provider", "memory", "--option", "zones=a");
        assertThat(unknownOption.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknownOption.err()).startsWith("livcloud: site 'east': 'zones' is not a site setting of provider"
                + " 'memory'; did you mean 'zone'?\n  fix: its site settings: location, instance-type, vm-subnet,");

        Result refused = cli.run("site", "create", "refused-1", "--provider", "memory");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(refused.err()).isEqualTo("livcloud: site 'refused-1' is refused [MEMORY_REFUSED]\n"
                + "  fix: choose another name\n");

        Result unknownProvider = cli.run("site", "create", "east", "--provider", "ec3");
        assertThat(unknownProvider.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(unknownProvider.err()).startsWith("livcloud: no provider extension named 'ec3'");
    }

    @Test
    void leftoversMakeDestroyFail() {
        assertThat(cli.run("site", "create", "stuck-1", "--provider", "memory").exitCode()).isZero();

        Result destroyed = cli.run("site", "destroy", "stuck-1", "--provider", "memory");

        assertThat(destroyed.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(destroyed.out()).isEqualTo("site stuck-1 (memory): nothing removed\n"
                + "  left behind: record stuck-1 (it is stuck; delete it by hand)\n");
    }
}
