package io.livcloud.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.engine.journal.Journal;
import io.livcloud.plugin.azure.AzureSitePair;
import io.livcloud.plugin.ec2.Ec2SitePair;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.spi.provider.Site;
import io.livcloud.testing.FakeHostAccess;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine's plan between two cloud sites exactly as the ec2 and azure plugins describe them (their provisioners
 * over their hand-written clouds): preflight must find the encrypted path through the tunnel, to the destination's
 * address inside its VM subnet, with nothing in plaintext. No lab and no network: the hypervisor is the core's fake.
 */
class CloudSitesPlanTest {

    @TempDir
    Path directory;

    static Stream<Arguments> sitePairs() {
        return Stream.of(Arguments.of("ec2", Ec2SitePair.eastAndWest()),
                Arguments.of("azure", AzureSitePair.eastAndWest()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sitePairs")
    void preflightPassesThroughTheTunnelToTheDestinationsVmSubnetAddressNeverInPlaintext(String provider,
            List<Site> sites) {
        MovableClock clock = new MovableClock();
        FakeHypervisor hosts = new FakeHypervisor(clock);
        Site east = sites.get(0);
        hosts.vm(hostKey(east), "guest", VmState.RUNNING);
        hosts.vm(hostKey(sites.get(1)), "other", VmState.RUNNING);

        MigrationPlan plan;
        try (Journal journal = Journal.open(directory.resolve("journal.db"), clock)) {
            MigrationEngine engine = new MigrationEngine(new GivenSites(sites), new ThroughHostAccess(hosts),
                    new SelectedTunnel(), journal, (report, reports) -> {
                        throw new AssertionError("a plan writes no report");
                    }, directory.resolve("reports"), clock);
            plan = engine.plan("guest", Optional.empty(), "west", EnginePolicy.defaults());
        }

        assertThat(plan.fromSite()).as("found at its site through the host's access").isEqualTo("east");
        assertThat(plan.checks()).allSatisfy(check -> assertThat(check.passed()).as(check.name() + ": "
                + check.detail() + " / " + check.remedy()).isTrue());
        assertThat(plan.checks()).filteredOn(check -> check.name().equals("encrypted-path")).singleElement()
                .satisfies(check -> assertThat(check.detail()).startsWith("through the tunnel east-west to"
                        + " tcp://10.99.30.1:49152").doesNotContain("PLAINTEXT"));
        assertThat(plan.path()).isEqualTo("through tunnel east-west to tcp://10.99.30.1:49152 (hypervisor"
                + " qemu+tcp://10.99.30.1/system)");
        assertThat(plan.sourceUri()).isEqualTo("qemu:///system");
        assertThat(plan.warnings()).noneMatch(warning -> warning.contains("unencrypted"));
        assertThat(plan.steps()).anyMatch(step -> step.startsWith("CHANNEL    bring tunnel east-west up"));
        assertThat(hosts.connections).as(provider + ": every hypervisor reached through its host's SSH access")
                .isNotEmpty().allMatch(connection -> connection.startsWith("ssh "));
    }

    /** The fake's host for a site: every cloud host's libvirt is qemu:///system, told apart by the host reached. */
    private static String hostKey(Site site) {
        return "ssh " + site.gateway().publicAddress() + " " + site.gateway().hypervisorUri();
    }

    /** The two sites as their provider built them, each host reached (as ec2 and azure do) at its public address. */
    private record GivenSites(List<Site> sites) implements SiteDirectory {

        @Override
        public List<String> names() {
            return sites.stream().map(Site::name).toList();
        }

        @Override
        public Site site(String name) {
            return sites.stream().filter(site -> site.name().equals(name)).findFirst()
                    .orElseThrow(() -> new LivCloudException("no site " + name, "name east or west"));
        }

        @Override
        public Optional<HostAccess> hostAccess(String siteName, String hypervisorUri) {
            Site site = site(siteName);
            return site.hypervisorHosts().stream().filter(host -> host.hypervisorUri().equals(hypervisorUri))
                    .findFirst().map(host -> new FakeHostAccess("ssh " + host.publicAddress()));
        }
    }

    /** The core's fake hypervisor, its hosts named by the host access they are reached through. */
    private record ThroughHostAccess(FakeHypervisor hosts) implements Hypervisor {

        @Override
        public HypervisorConnection connect(String uri) {
            throw new AssertionError("hypervisor " + uri + " reached by its address, not through its host's access");
        }

        @Override
        public HypervisorConnection connect(String uri, HostAccess host) {
            return hosts.connect(host.target() + " " + uri);
        }

        @Override
        public void close() {
        }
    }

    /** The strongswan tunnel is selected; a plan brings nothing up. */
    private static final class SelectedTunnel implements TunnelService {

        @Override
        public boolean selected() {
            return true;
        }

        @Override
        public TunnelInfo ensureUp(String fromSite, String toSite, boolean stretchSegment) {
            throw new AssertionError("a plan brings no tunnel up");
        }
    }
}
