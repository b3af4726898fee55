package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lab's network ({@link LabNetwork}) through the lab on a {@link FakeLabHost}: the WAN, the links, whose it is. */
class LabNetworkTest extends BaseLabTest {

    // ------------------------------------------------------------------------------------------------------ up

    @Test
    void aSecondSiteJoinsTheExistingWanWithTheNextAddress() {
        lab.up(spec("a"));
        host.commands.clear();

        Site b = lab.up(spec("b"));

        assertThat(host.commands).containsExactly(
                "ip netns add lc-b",
                "ip -n lc-b link set lo up",
                "ip -n lc-b link add vmbr0 type bridge",
                "ip -n lc-b addr replace 10.99.12.1/24 dev vmbr0",
                "ip -n lc-b link set vmbr0 up",
                "ip netns exec lc-b sysctl -qw net.ipv4.ip_forward=1",
                "ip -n lc-b link add vmseg0 type bridge",
                "ip -n lc-b link set vmseg0 mtu 1350",
                "ip -n lc-b addr replace 10.99.100.2/24 dev vmseg0",
                "ip -n lc-b link set vmseg0 up",
                "ip -n lcwan link add lcw-b type veth peer name wan0 netns lc-b",
                "ip -n lcwan link set lcw-b master lcbr0",
                "ip -n lcwan link set lcw-b up",
                "ip -n lc-b addr add 10.99.0.3/24 dev wan0",
                "ip -n lc-b link set wan0 alias " + owner,
                "ip -n lc-b link set wan0 up",
                "start setsid ip netns exec lc-b unshare --mount --propagation private sh -c <script>",
                "virsh -c qemu:///system?socket=" + site("b") + "/run/libvirt-sock uri",
                charonStart("b"));
        assertThat(b.gateway().publicAddress()).isEqualTo("10.99.0.3");
        assertThat(b.gateway().migration()).hasValueSatisfying(endpoints -> {
            assertThat(endpoints.wanPeerUri()).isEqualTo("qemu+tcp://10.99.0.3/system");
            assertThat(endpoints.tunnelPeerUri()).isEqualTo("qemu+tcp://10.99.12.1/system");
            assertThat(endpoints.tunnelMigrationUri()).isEqualTo("tcp://10.99.12.1:49152");
        });
        assertThat(b.vmSubnet()).isEqualTo("10.99.12.0/24");
        assertThat(lab.sites()).extracting(Site::name).containsExactly("a", "b");
    }

    @Test
    void aWanRateLimitsBothEndsOfTheSiteLink() {
        lab = lab(new LabConfig(directory, Optional.of(LabConfig.WanRate.parse("1gbit")), Duration.ofSeconds(30),
                false, true, LabConfig.AccessMode.NAMESPACE));

        lab.up(spec("a"));

        assertThat(host.commands).contains(
                "ip -n lc-a link set wan0 up",
                "tc -n lcwan qdisc replace dev lcw-a root tbf rate 1gbit burst 1250000 latency 50ms",
                "tc -n lc-a qdisc replace dev wan0 root tbf rate 1gbit burst 1250000 latency 50ms");
        assertThat(lab.sites().get(0).attributes()).containsEntry("wan-rate", "1gbit");
    }

    @Test
    void aHalfMadeSiteIsCompletedOnTheNextProvisioning() {
        lab.up(spec("a"));
        lab.down("a", false);
        host.run(List.of("ip", "netns", "add", "lc-a"), Duration.ofSeconds(1)); // interrupted right after this
        host.commands.clear();

        lab.up(spec("a"));

        assertThat(host.commands).startsWith(commands(
                wanAndUser(),
                "ip -n lc-a link add vmbr0 type bridge",
                "ip -n lc-a addr replace 10.99.11.1/24 dev vmbr0",
                "ip -n lc-a link set vmbr0 up",
                "ip netns exec lc-a sysctl -qw net.ipv4.ip_forward=1",
                "ip -n lc-a link add vmseg0 type bridge",
                "ip -n lc-a link set vmseg0 mtu 1350",
                "ip -n lc-a addr replace 10.99.100.1/24 dev vmseg0",
                "ip -n lc-a link set vmseg0 up",
                "ip -n lcwan link add lcw-a type veth peer name wan0 netns lc-a").toArray(String[]::new));
    }

    // -------------------------------------------------------------------------------------------------- ownership

    @Test
    void aWanOfAnotherLabIsNeitherUsedNorRemoved() {
        lab.up(spec("a"));
        host.setAlias("lcwan", "lcbr0", "livcloud-lab /elsewhere");
        host.setAlias("lc-a", "wan0", "livcloud-lab /elsewhere");
        host.commands.clear();

        assertThatThrownBy(() -> lab.up(spec("b")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.OWNED_ELSEWHERE);
                    assertThat(e.getMessage()).isEqualTo("the network namespace lcwan exists but is not this lab's:"
                            + " its lcbr0 says 'livcloud-lab /elsewhere', this lab is '" + owner + "'");
                });
        TeardownReport report = lab.down("a", false);

        assertThat(report.removed()).isEmpty();
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("netns/lc-a");
            assertThat(leftover.reason()).startsWith("not this lab's: its wan0 says 'livcloud-lab /elsewhere'");
        });
        assertThat(host.commands).isEmpty();
        assertThat(lab.sites()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------- down

    @Test
    void theWanStaysWhileAnotherSiteUsesIt() {
        lab.up(spec("a"));
        lab.up(spec("b"));

        TeardownReport a = lab.down("a", false);

        assertThat(a.removed()).extracting(resource -> resource.replaceAll("[0-9]+$", "N"))
                .containsExactly("process/charon/N", "process/libvirtd/N", "veth/lcw-a", "netns/lc-a");
        assertThat(host.networkNamespaces()).containsExactly("lc-b", "lcuser", "lcwan");
        assertThat(host.linkNames("lcwan")).containsExactly("lcbr0", "lcuser0", "lcw-b", "lo");

        TeardownReport b = lab.down("b", false);

        assertThat(b.removed()).endsWith("netns/lc-b", "netns/lcuser", "netns/lcwan");
        assertThat(host.networkNamespaces()).isEmpty();
    }
}
