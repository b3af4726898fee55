package io.livcloud.plugin.lab;

import io.livcloud.testing.TestingExtensionContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.provider.VmSegment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lab's orchestration on a {@link FakeLabHost}: the exact commands for up and down, and what it refuses. */
class LabTest extends BaseLabTest {

    // ------------------------------------------------------------------------------------------------------ up

    @Test
    void theFirstSiteCreatesTheUserTheWanTheSiteItsLibvirtdAndItsCharonInThisOrder() {
        Site a = lab.up(spec("a"));

        assertThat(host.commands).containsExactlyElementsOf(commands(
                "useradd --system --no-create-home --home-dir /var/lib/libvirt --shell /usr/sbin/nologin --user-group"
                        + " --comment libvirt QEMU (created by the LivCloud lab) libvirt-qemu",
                wanAndUser(),
                "ip netns add lc-a",
                "ip -n lc-a link set lo up",
                "ip -n lc-a link add vmbr0 type bridge",
                "ip -n lc-a addr replace 10.99.11.1/24 dev vmbr0",
                "ip -n lc-a link set vmbr0 up",
                "ip netns exec lc-a sysctl -qw net.ipv4.ip_forward=1",
                "ip -n lc-a link add vmseg0 type bridge",
                "ip -n lc-a link set vmseg0 mtu 1350",
                "ip -n lc-a addr replace 10.99.100.1/24 dev vmseg0",
                "ip -n lc-a link set vmseg0 up",
                "ip -n lcwan link add lcw-a type veth peer name wan0 netns lc-a",
                "ip -n lcwan link set lcw-a master lcbr0",
                "ip -n lcwan link set lcw-a up",
                "ip -n lc-a addr add 10.99.0.2/24 dev wan0",
                "ip -n lc-a link set wan0 alias " + owner,
                "ip -n lc-a link set wan0 up",
                "start setsid ip netns exec lc-a unshare --mount --propagation private sh -c <script>",
                "virsh -c qemu:///system?socket=" + site("a") + "/run/libvirt-sock uri",
                charonStart("a")));
        assertThat(host.startedScripts).containsExactly("set -e\n"
                + "mkdir -p /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt\n"
                + "mount --bind '" + site("a") + "/etc' /etc/libvirt\n"
                + "mount --bind '" + site("a") + "/run' /run/libvirt\n"
                + "mount --bind '" + site("a") + "/lib' /var/lib/libvirt\n"
                + "mount --bind '" + site("a") + "/log' /var/log/libvirt\n"
                + "mount --bind '" + site("a") + "/cache' /var/cache/libvirt\n"
                + "exec libvirtd --listen -f '" + site("a") + "/etc/libvirtd.conf' -p /run/libvirt/libvirtd.pid\n",
                "mount --bind \"$1\" /run && exec env STRONGSWAN_CONF=\"$2\" \"$3\"");
        assertThat(context.eventTypes()).containsExactly("lab.user.created", "lab.migration-tls.issued",
                "lab.site.up");
        assertThat(a.name()).isEqualTo("a");
    }

    @Test
    void aSiteIsDescribedWithItsAddressesUrisAndLibvirtd() {
        Site a = lab.up(spec("a"));

        assertThat(a.provider()).isEqualTo("lab");
        assertThat(a.vmSubnet()).isEqualTo("10.99.11.0/24");
        assertThat(a.hypervisorHosts()).containsExactly(a.gateway());
        assertThat(a.gateway().name()).isEqualTo("lc-a");
        assertThat(a.gateway().roles()).containsExactlyInAnyOrder(HostRole.GATEWAY, HostRole.HYPERVISOR);
        assertThat(a.gateway().publicAddress()).isEqualTo("10.99.0.2");
        assertThat(a.gateway().privateAddress()).isEqualTo("10.99.11.1");
        assertThat(a.gateway().hypervisorUri()).isEqualTo("qemu:///system?socket=" + site("a") + "/run/libvirt-sock");
        assertThat(a.gateway().attributes()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("namespace", "lc-a"),
                Map.entry("segment-address", "10.99.100.1/24"),
                Map.entry("state", "running"),
                Map.entry("libvirtd-pid", "1000"),
                Map.entry("libvirtd-log", site("a") + "/log/libvirtd.log"),
                Map.entry("charon-pid", "1001"),
                Map.entry("charon-log", site("a") + "/charon/charon.log")));
        assertThat(a.gateway().migration()).contains(new MigrationEndpoints("qemu+tcp://10.99.11.1/system",
                "tcp://10.99.11.1:49152", "qemu+tcp://10.99.0.2/system", "tcp://10.99.0.2:49152", true));
        assertThat(a.gateway().segment()).contains(new VmSegment("lab", "vmseg0", 1350, "10.99.100.0/24",
                "10.99.100.1"));
        assertThat(a.gateway().tunnelControl()).contains(new TunnelControl(site("a") + "/charon.vici", "10.99.0.2",
                "10.99.0.2", ""));
        assertThat(a.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "index", "1", "wan-namespace", "lcwan", "wan-rate", "", "directory", site("a").toString(),
                "segment-subnet", "10.99.100.0/24", "segment-router", "10.99.100.1", "user-namespace", "lcuser"));
        assertThat(lab.sites()).containsExactly(a);
    }

    @Test
    void provisioningAHealthySiteAgainReusesItAndOnlyAsksItsLibvirtd() {
        Site first = lab.up(spec("a"));
        host.commands.clear();

        Site again = lab.up(spec("a"));

        assertThat(host.commands).containsExactly(
                "virsh -c qemu:///system?socket=" + site("a") + "/run/libvirt-sock uri");
        assertThat(again).isEqualTo(first);
    }

    @Test
    void theInstallerRunsOnceBeforeTheFirstSiteAndItsOutputIsLoggedAndEmitted() {
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), true, true,
                LabConfig.AccessMode.NAMESPACE));
        host.users.add("libvirt-qemu");
        host.installerOutput = "install-lab-prerequisites: installing iperf3\nSetting up iperf3 (3.12-1) ...\n";

        lab.up(spec("a"));
        lab.up(spec("b"));

        assertThat(host.commands.get(0)).isEqualTo("bash " + directory.resolve("install-lab-prerequisites.sh"));
        assertThat(host.commands).filteredOn(command -> command.startsWith("bash")).hasSize(1);
        assertThat(directory.resolve("install-lab-prerequisites.sh")).content()
                .contains("bookworm-backports", "qemu-system-x86", "openssh-server", "policy-rc.d");
        assertThat(context.logLines()).contains("INFO install-lab-prerequisites: installing iperf3",
                "INFO Setting up iperf3 (3.12-1) ...");
        assertThat(context.emitted().get(0).type()).isEqualTo("lab.prerequisites");
        assertThat(context.emitted().get(0).message()).contains("installing iperf3");
    }

    @Test
    void aFailingInstallerStopsProvisioningWithItsOutput() {
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), true, true,
                LabConfig.AccessMode.NAMESPACE));
        host.installerExitCode = 100;
        host.installerOutput = "E: Unable to locate package qemu-system-x86\n";

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.PREREQUISITES_FAILED);
                    assertThat(e.getMessage()).contains("failed with exit code 100",
                            "E: Unable to locate package qemu-system-x86");
                    assertThat(e.remedy()).contains("install-prerequisites = false");
                });
        assertThat(host.networkNamespaces()).isEmpty();
    }

    // -------------------------------------------------------------------------------------------- names, indexes

    @Test
    void siteNamesMustFitInterfaceNames() {
        for (String name : List.of("", "A", "1a", "a_b", "a-b", "toolongxx", "é")) {
            assertThatThrownBy(() -> lab.up(spec(name)))
                    .as("'%s'", name)
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(LabErrorCode.INVALID_SITE_NAME);
                        assertThat(e.getMessage()).isEqualTo("the lab cannot have a site named '" + name
                                + "': a lab site's name is 1 to 8 lower case letters or digits, starting with a letter,"
                                + " because it becomes the network namespace lc-<name> and the interface lcw-<name>,"
                                + " and Linux limits interface names to 15 characters");
                    });
        }
        assertThatThrownBy(() -> lab.down("Bad", false)).isInstanceOf(ExtensionException.class);
        assertThat(host.commands).isEmpty();
        assertThat(lab.up(spec("site2345")).gateway().name()).isEqualTo("lc-site2345");
        assertThat(host.commands).contains("ip -n lcwan link add lcw-site2345 type veth peer name wan0 netns lc-site2345");
    }

    @Test
    void aNameKeepsItsIndexAndAddressesAcrossTeardownsAndNewSitesTakeTheNextFreeIndex() {
        lab.up(spec("a"));
        lab.up(spec("b"));
        lab.down("a", false);

        Site c = lab.up(spec("c"));
        Site a = lab.up(spec("a"));

        assertThat(c.gateway().publicAddress()).isEqualTo("10.99.0.4");
        assertThat(a.gateway().publicAddress()).isEqualTo("10.99.0.2");
        assertThat(a.gateway().privateAddress()).isEqualTo("10.99.11.1");
        assertThat(directory.resolve("site-indexes")).content().contains("a=1\n", "b=2\n", "c=3\n");
        assertThat(lab.sites()).extracting(site -> site.attributes().get("index")).containsExactly("1", "2", "3");
    }

    @Test
    void anIndexCanBeAskedForButNotOneAnotherSiteHas() {
        Site east = lab.up(spec("east", Map.of("index", "7")));
        assertThat(east.gateway().publicAddress()).isEqualTo("10.99.0.8");
        assertThat(east.vmSubnet()).isEqualTo("10.99.17.0/24");

        assertThatThrownBy(() -> lab.up(spec("west", Map.of("index", "7"))))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).startsWith("site west asks for index 7, which is site east's");
                });
        assertThatThrownBy(() -> lab.up(spec("east", Map.of("index", "8"))))
                .hasMessage("site east is up with index 7 and cannot take index 8 while it runs");
        assertThatThrownBy(() -> lab.up(spec("west", Map.of("index", "246"))))
                .hasMessageContaining("not a whole number from 1 to 245");
    }

    @Test
    void aVmSubnetOtherThanTheIndexGivesIsRefused() {
        assertThatThrownBy(() -> lab.up(new SiteSpec("a", "", "", "10.99.50.0/24", "", "", Map.of())))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage())
                            .isEqualTo("site a has index 1 and so the VM subnet 10.99.11.0/24, not 10.99.50.0/24");
                });
        assertThat(lab.up(new SiteSpec("a", "", "", "10.99.11.0/24", "", "", Map.of())).vmSubnet())
                .isEqualTo("10.99.11.0/24");
    }

    // ------------------------------------------------------------------------------------------------------- down

    @Test
    void theLastSiteDownStopsItsLibvirtdAndRemovesItsLinkItsNamespaceAndTheWan() {
        Site a = lab.up(spec("a"));
        String pid = a.gateway().attributes().get("libvirtd-pid");
        String charon = a.gateway().attributes().get("charon-pid");
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).containsExactly(
                "kill -TERM " + charon,
                "kill -TERM " + pid,
                "ip -n lcwan link del lcw-a",
                "ip netns delete lc-a",
                "ip netns delete lcuser",
                "ip netns delete lcwan");
        assertThat(report.removed()).containsExactly("process/charon/" + charon, "process/libvirtd/" + pid,
                "veth/lcw-a", "netns/lc-a", "netns/lcuser", "netns/lcwan");
        assertThat(report.complete()).isTrue();
        assertThat(site("a").resolve("charon/charon.pid")).doesNotExist();
        assertThat(host.networkNamespaces()).isEmpty();
        assertThat(site("a").resolve("run/libvirtd.pid")).doesNotExist();
        assertThat(lab.sites()).isEmpty();
        assertThat(context.eventTypes()).endsWith("lab.site.down");
    }

    @Test
    void tearingDownTwiceFindsNothingTheSecondTime() {
        lab.up(spec("a"));
        lab.down("a", false);
        host.commands.clear();

        TeardownReport again = lab.down("a", false);

        assertThat(again.removed()).isEmpty();
        assertThat(again.leftovers()).isEmpty();
        assertThat(again.complete()).isTrue();
        assertThat(host.commands).isEmpty();
        assertThat(lab.down("never", false).complete()).isTrue();
    }

    @Test
    void aDryRunReportsWhatWouldGoAndChangesNothing() {
        Site a = lab.up(spec("a"));
        host.commands.clear();

        TeardownReport report = lab.down("a", true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.removed()).containsExactly("process/charon/" + a.gateway().attributes().get("charon-pid"),
                "process/libvirtd/" + a.gateway().attributes().get("libvirtd-pid"), "veth/lcw-a", "netns/lc-a",
                "netns/lcuser", "netns/lcwan");
        assertThat(report.complete()).isFalse();
        assertThat(host.commands).isEmpty();
        assertThat(lab.sites()).containsExactly(a);
    }

    @Test
    void aProcessTheLabDidNotStartIsReportedAndLeftRunning() {
        lab.up(spec("a"));
        long shell = host.addProcess("lc-a", List.of("bash"));

        TeardownReport report = lab.down("a", false);

        assertThat(host.running(shell)).isTrue();
        assertThat(report.complete()).isFalse();
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("process/" + shell);
            assertThat(leftover.reason()).isEqualTo("runs in lc-a (bash) but the lab did not start it, so it was not"
                    + " ended; end it yourself");
        });
        assertThat(host.commands).doesNotContain("kill -TERM " + shell, "kill -KILL " + shell);
        assertThat(host.networkNamespaces()).doesNotContain("lc-a");
    }
}
