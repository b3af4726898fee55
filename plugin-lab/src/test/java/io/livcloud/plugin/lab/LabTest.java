package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's site logic on a {@link FakeLabHost}: the exact commands for up and down, and what it refuses. */
class LabTest {

    @TempDir
    Path directory;

    private final FakeLabHost host = new FakeLabHost();
    private final RecordingContext context = new RecordingContext();
    private final AtomicInteger uuids = new AtomicInteger();
    private Lab lab;
    private String owner;

    @BeforeEach
    void createLab() {
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), false, true));
        owner = "livcloud-lab " + directory;
    }

    private Lab lab(LabConfig config) {
        return new Lab(config, host, context.labEvents(),
                () -> new UUID(0, uuids.incrementAndGet()));
    }

    private static SiteSpec spec(String name) {
        return spec(name, Map.of());
    }

    private static SiteSpec spec(String name, Map<String, String> options) {
        return new SiteSpec(name, "", "", "", "", "", options);
    }

    private Path site(String name) {
        return directory.resolve("sites").resolve(name);
    }

    // ------------------------------------------------------------------------------------------------------ up

    @Test
    void theFirstSiteCreatesTheUserTheWanTheSiteAndItsLibvirtdInThisOrder() {
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
                "virsh -c qemu:///system?socket=" + site("a") + "/run/libvirt-sock uri"));
        assertThat(host.startedScripts).containsExactly("set -e\n"
                + "mkdir -p /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt\n"
                + "mount --bind '" + site("a") + "/etc' /etc/libvirt\n"
                + "mount --bind '" + site("a") + "/run' /run/libvirt\n"
                + "mount --bind '" + site("a") + "/lib' /var/lib/libvirt\n"
                + "mount --bind '" + site("a") + "/log' /var/log/libvirt\n"
                + "mount --bind '" + site("a") + "/cache' /var/cache/libvirt\n"
                + "exec libvirtd --listen -f '" + site("a") + "/etc/libvirtd.conf' -p /run/libvirt/libvirtd.pid\n");
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
                Map.entry("peer-uri", "qemu+tcp://10.99.0.2/system"),
                Map.entry("migration-uri", "tcp://10.99.0.2:49152"),
                Map.entry("tunnel-peer-uri", "qemu+tcp://10.99.11.1/system"),
                Map.entry("tunnel-migration-uri", "tcp://10.99.11.1:49152"),
                Map.entry("segment", "lab"),
                Map.entry("segment-bridge", "vmseg0"),
                Map.entry("segment-mtu", "1350"),
                Map.entry("segment-address", "10.99.100.1/24"),
                Map.entry("state", "running"),
                Map.entry("libvirtd-pid", "1000"),
                Map.entry("libvirtd-log", site("a") + "/log/libvirtd.log"),
                Map.entry("migration-tls", "true")));
        assertThat(a.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "index", "1", "wan-namespace", "lcwan", "wan-rate", "", "directory", site("a").toString(),
                "segment-subnet", "10.99.100.0/24", "segment-router", "10.99.100.1", "user-namespace", "lcuser"));
        assertThat(lab.sites()).containsExactly(a);
    }

    @Test
    void qemuConfNamesTheSitesMigrationTlsFolderAndAsksForVerification() throws IOException {
        lab.up(spec("a"));

        assertThat(Files.readString(site("a").resolve("etc/qemu.conf"))).contains(
                "migrate_tls_x509_cert_dir = \"" + site("a").resolve("migration-tls") + "\"\n",
                "migrate_tls_x509_verify = 1\n");
        assertThat(site("a").resolve("migration-tls")).isDirectoryContaining("glob:**/server-key.pem");
    }

    @Test
    void withoutMigrationTlsTheSiteHasNoMaterialNoQemuSettingAndDoesNotAdvertiseIt() throws IOException {
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), false, false));

        Site a = lab.up(spec("a"));

        assertThat(Files.readString(site("a").resolve("etc/qemu.conf"))).doesNotContain("migrate_tls");
        assertThat(site("a").resolve("migration-tls")).doesNotExist();
        assertThat(directory.resolve("migration-tls-ca")).doesNotExist();
        assertThat(a.gateway().attributes()).doesNotContainKey("migration-tls");
        assertThat(context.eventTypes()).doesNotContain("lab.migration-tls.issued");
    }

    @Test
    void libvirtdGetsTheRenderedConfigurationWithAHostUuidThatSurvivesRestarts() throws IOException {
        lab.up(spec("a"));
        String libvirtdConf = Files.readString(site("a").resolve("etc/libvirtd.conf"));

        assertThat(libvirtdConf).contains("listen_tcp = 1\n", "auth_tcp = \"none\"\n", "listen_tls = 0\n",
                "listen_addr = \"0.0.0.0\"\n", "auth_unix_rw = \"none\"\n",
                "host_uuid = \"00000000-0000-0000-0000-000000000001\"\n");
        assertThat(libvirtdConf).doesNotContain("unix_sock_dir");
        assertThat(Files.readString(site("a").resolve("etc/qemu.conf"))).contains("user = \"root\"\n",
                "group = \"root\"\n", "dynamic_ownership = 0\n", "remember_owner = 0\n", "security_driver = \"none\"\n",
                "stdio_handler = \"file\"\n", "cgroup_controllers = [ ]\n", "namespaces = [ ]\n",
                "migration_address = \"0.0.0.0\"\n", "migration_host = \"10.99.0.2\"\n");
        assertThat(site("a").resolve("log/qemu")).isDirectory();

        lab.down("a", false);
        lab.up(spec("a"));
        lab.up(spec("b"));

        assertThat(Files.readString(site("a").resolve("etc/libvirtd.conf")))
                .contains("host_uuid = \"00000000-0000-0000-0000-000000000001\"\n");
        assertThat(Files.readString(site("b").resolve("etc/libvirtd.conf")))
                .contains("host_uuid = \"00000000-0000-0000-0000-000000000002\"\n");
    }

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
                "virsh -c qemu:///system?socket=" + site("b") + "/run/libvirt-sock uri");
        assertThat(b.gateway().publicAddress()).isEqualTo("10.99.0.3");
        assertThat(b.gateway().attributes()).containsEntry("peer-uri", "qemu+tcp://10.99.0.3/system")
                .containsEntry("tunnel-peer-uri", "qemu+tcp://10.99.12.1/system")
                .containsEntry("tunnel-migration-uri", "tcp://10.99.12.1:49152");
        assertThat(b.vmSubnet()).isEqualTo("10.99.12.0/24");
        assertThat(lab.sites()).extracting(Site::name).containsExactly("a", "b");
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
    void aSiteWhoseLibvirtdEndedGetsANewOneInTheSameNamespace() {
        Site first = lab.up(spec("a"));
        host.end(Long.parseLong(first.gateway().attributes().get("libvirtd-pid")));
        assertThat(lab.sites()).singleElement().satisfies(site -> {
            assertThat(site.gateway().attributes()).containsEntry("state", "stopped");
            assertThat(site.gateway().attributes()).doesNotContainKey("libvirtd-pid");
        });
        host.commands.clear();

        Site again = lab.up(spec("a"));

        assertThat(host.commands).containsExactly(
                "start setsid ip netns exec lc-a unshare --mount --propagation private sh -c <script>",
                "virsh -c qemu:///system?socket=" + site("a") + "/run/libvirt-sock uri");
        assertThat(again.gateway().attributes()).containsEntry("state", "running").containsEntry("libvirtd-pid", "1001");
    }

    @Test
    void aPidFileNamingAnotherProcessIsStaleAndThatProcessIsLeftAlone() throws IOException {
        long stranger = host.addProcess("lc-a", List.of("/usr/bin/sleep", "600"));
        FakeLabHost.writePidFile(site("a").resolve("run/libvirtd.pid"), stranger);

        Site a = lab.up(spec("a"));

        assertThat(a.gateway().attributes().get("libvirtd-pid")).isNotEqualTo(Long.toString(stranger));
        assertThat(host.running(stranger)).isTrue();
        assertThat(host.commands).noneMatch(command -> command.startsWith("kill"));
    }

    @Test
    void aWanRateLimitsBothEndsOfTheSiteLink() {
        lab = lab(new LabConfig(directory, Optional.of(LabConfig.WanRate.parse("1gbit")), Duration.ofSeconds(30),
                false, true));

        lab.up(spec("a"));

        assertThat(host.commands).contains(
                "ip -n lc-a link set wan0 up",
                "tc -n lcwan qdisc replace dev lcw-a root tbf rate 1gbit burst 1250000 latency 50ms",
                "tc -n lc-a qdisc replace dev wan0 root tbf rate 1gbit burst 1250000 latency 50ms");
        assertThat(lab.sites().get(0).attributes()).containsEntry("wan-rate", "1gbit");
    }

    @Test
    void theInstallerRunsOnceBeforeTheFirstSiteAndItsOutputIsLoggedAndEmitted() {
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), true, true));
        host.users.add("libvirt-qemu");
        host.installerOutput = "install-lab-prerequisites: installing iperf3\nSetting up iperf3 (3.12-1) ...\n";

        lab.up(spec("a"));
        lab.up(spec("b"));

        assertThat(host.commands.get(0)).isEqualTo("bash " + directory.resolve("install-lab-prerequisites.sh"));
        assertThat(host.commands).filteredOn(command -> command.startsWith("bash")).hasSize(1);
        assertThat(directory.resolve("install-lab-prerequisites.sh")).content()
                .contains("bookworm-backports", "qemu-system-x86");
        assertThat(context.logLines).contains("INFO install-lab-prerequisites: installing iperf3",
                "INFO Setting up iperf3 (3.12-1) ...");
        assertThat(context.events.get(0).type()).isEqualTo("lab.prerequisites");
        assertThat(context.events.get(0).message()).contains("installing iperf3");
    }

    @Test
    void aFailingInstallerStopsProvisioningWithItsOutput() {
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), true, true));
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

    @Test
    void anExistingUserIsNotCreatedAgain() {
        host.users.add("libvirt-qemu");

        lab.up(spec("a"));

        assertThat(host.commands).noneMatch(command -> command.startsWith("useradd"));
        assertThat(context.eventTypes()).doesNotContain("lab.user.created");
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

    // ---------------------------------------------------------------------------------------------- libvirtd fails

    @Test
    void aLibvirtdThatExitsIsReportedWithTheEndOfItsLog() {
        host.libvirtd = FakeLabHost.Libvirtd.EXITS;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.LIBVIRTD_DID_NOT_START);
                    assertThat(e.getMessage()).startsWith("the libvirtd of site a (pid 1000) exited before it answered"
                            + " on " + site("a") + "/run/libvirt-sock; the end of " + site("a") + "/log/libvirtd.log:\n")
                            .endsWith("Failed to parse user 'libvirt-qemu'");
                    assertThat(e.remedy()).contains(site("a") + "/log/libvirtd.log");
                });
    }

    @Test
    void onlyWhatTheLatestStartWroteIsShown() throws IOException {
        lab.up(spec("a"));
        lab.down("a", false);
        Files.writeString(site("a").resolve("log/libvirtd.log"), "error : from the first run\n",
                java.nio.file.StandardOpenOption.APPEND);
        host.libvirtd = FakeLabHost.Libvirtd.EXITS;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .hasMessageEndingWith("libvirtd.log:\nerror : virGetUserID:760 : invalid argument: Failed to parse user"
                        + " 'libvirt-qemu'");
        assertThat(site("a").resolve("log/libvirtd.log")).content()
                .contains("=== the LivCloud lab starts the libvirtd of site a\n");
    }

    @Test
    void aLibvirtdThatDoesNotAnswerInTimeIsStoppedAndReported() {
        host.libvirtd = FakeLabHost.Libvirtd.HANGS;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.LIBVIRTD_DID_NOT_START);
                    assertThat(e.getMessage()).contains("(pid 1000) did not answer on " + site("a")
                            + "/run/libvirt-sock within 30000 ms", "error: failed to connect to the hypervisor",
                            "; stopped it;");
                    assertThat(e.remedy()).contains("start-timeout");
                });
        assertThat(host.running(1000)).isFalse();
        assertThat(host.commands).contains("kill -TERM 1000");
        assertThat(site("a").resolve("run/libvirtd.pid")).doesNotExist();
    }

    @Test
    void aMountOfTheSiteVisibleHereIsALeak() {
        host.mountPoints.add(site("a") + "/run");

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.MOUNT_LEAKED);
                    assertThat(e.getMessage()).endsWith(site("a") + "/run");
                });
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
    void theLastSiteDownStopsItsLibvirtdAndRemovesItsLinkItsNamespaceAndTheWan() {
        Site a = lab.up(spec("a"));
        String pid = a.gateway().attributes().get("libvirtd-pid");
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).containsExactly(
                "kill -TERM " + pid,
                "ip -n lcwan link del lcw-a",
                "ip netns delete lc-a",
                "ip netns delete lcuser",
                "ip netns delete lcwan");
        assertThat(report.removed()).containsExactly("process/libvirtd/" + pid, "veth/lcw-a", "netns/lc-a",
                "netns/lcuser", "netns/lcwan");
        assertThat(report.complete()).isTrue();
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
    void theWanStaysWhileAnotherSiteUsesIt() {
        lab.up(spec("a"));
        lab.up(spec("b"));

        TeardownReport a = lab.down("a", false);

        assertThat(a.removed()).extracting(resource -> resource.replaceAll("[0-9]+$", "N"))
                .containsExactly("process/libvirtd/N", "veth/lcw-a", "netns/lc-a");
        assertThat(host.networkNamespaces()).containsExactly("lc-b", "lcuser", "lcwan");
        assertThat(host.linkNames("lcwan")).containsExactly("lcbr0", "lcuser0", "lcw-b", "lo");

        TeardownReport b = lab.down("b", false);

        assertThat(b.removed()).endsWith("netns/lc-b", "netns/lcuser", "netns/lcwan");
        assertThat(host.networkNamespaces()).isEmpty();
    }

    @Test
    void aDryRunReportsWhatWouldGoAndChangesNothing() {
        Site a = lab.up(spec("a"));
        host.commands.clear();

        TeardownReport report = lab.down("a", true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.removed()).containsExactly("process/libvirtd/" + a.gateway().attributes().get("libvirtd-pid"),
                "veth/lcw-a", "netns/lc-a", "netns/lcuser", "netns/lcwan");
        assertThat(report.complete()).isFalse();
        assertThat(host.commands).isEmpty();
        assertThat(lab.sites()).containsExactly(a);
    }

    @Test
    void theSitesQemusAreEndedBeforeItsLibvirtdAndAStalePidFileIsOnlyRemoved() throws IOException {
        Site a = lab.up(spec("a"));
        String libvirtd = a.gateway().attributes().get("libvirtd-pid");
        long qemu = host.addQemu(site("a"), "guest1", "lc-a");
        FakeLabHost.writePidFile(site("a").resolve("run/qemu/driver.pid"), Long.parseLong(libvirtd));
        long stranger = host.addProcess("lcwan", List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=guest2"));
        FakeLabHost.writePidFile(site("a").resolve("run/qemu/guest2.pid"), stranger);
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).startsWith("kill -TERM " + qemu, "kill -TERM " + libvirtd);
        assertThat(report.removed()).startsWith("process/qemu/guest1/" + qemu, "file" + site("a")
                + "/run/qemu/guest2.pid", "process/libvirtd/" + libvirtd);
        assertThat(host.running(qemu)).isFalse();
        assertThat(host.running(stranger)).isTrue();
        assertThat(site("a").resolve("run/qemu")).isDirectoryContaining(path -> path.endsWith("driver.pid"))
                .isDirectoryNotContaining(path -> path.toString().endsWith("guest1.pid"))
                .isDirectoryNotContaining(path -> path.toString().endsWith("guest2.pid"));
    }

    @Test
    void withItsNamespaceGoneLibvirtdIsKnownByItsConfigurationButAQemuCannotBeVerified() throws IOException {
        Site a = lab.up(spec("a"));
        long libvirtd = Long.parseLong(a.gateway().attributes().get("libvirtd-pid"));
        long qemu = host.addQemu(site("a"), "guest1", "lc-a");
        host.run(List.of("ip", "netns", "delete", "lc-a"), Duration.ofSeconds(1)); // by someone else
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.running(libvirtd)).isFalse();
        assertThat(host.running(qemu)).isTrue();
        assertThat(report.removed()).containsExactly("process/libvirtd/" + libvirtd, "netns/lcuser",
                "netns/lcwan");
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("process/qemu/guest1/" + qemu);
            assertThat(leftover.reason()).startsWith("the site's network namespace is gone, so the lab cannot verify");
        });
        assertThat(site("a").resolve("run/qemu/guest1.pid")).exists();
    }

    @Test
    void aProcessIgnoringSigtermGetsSigkillAfterTheGrace() {
        Site a = lab.up(spec("a"));
        String pid = a.gateway().attributes().get("libvirtd-pid");
        host.processesIgnoreSigterm = true;
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).startsWith("kill -TERM " + pid, "kill -KILL " + pid);
        assertThat(report.complete()).isTrue();
        assertThat(site("a").resolve("run/libvirtd.pid")).doesNotExist();
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

    @Test
    void aLibvirtdWithoutPidFileIsFoundInTheSiteNamespaceByItsConfiguration() throws IOException {
        Site a = lab.up(spec("a"));
        String pid = a.gateway().attributes().get("libvirtd-pid");
        Files.delete(site("a").resolve("run/libvirtd.pid"));

        TeardownReport report = lab.down("a", false);

        assertThat(report.removed()).startsWith("process/libvirtd/" + pid);
        assertThat(host.running(Long.parseLong(pid))).isFalse();
        assertThat(report.complete()).isTrue();
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

    /** The WAN and the lab's user, as the first site makes them. */
    private List<String> wanAndUser() {
        return List.of(
                "ip netns add lcwan",
                "ip -n lcwan link set lo up",
                "ip -n lcwan link add lcbr0 type bridge",
                "ip -n lcwan link set lcbr0 alias " + owner,
                "ip -n lcwan link set lcbr0 up",
                "ip netns add lcuser",
                "ip -n lcuser link set lo up",
                "ip -n lcwan link add lcuser0 type veth peer name wan0 netns lcuser",
                "ip -n lcwan link set lcuser0 master lcbr0",
                "ip -n lcwan link set lcuser0 up",
                "ip -n lcuser addr add 10.99.0.250/24 dev wan0",
                "ip -n lcuser link set wan0 alias " + owner,
                "ip -n lcuser link set wan0 up",
                "ip -n lcuser route add 10.99.100.0/24 via 10.99.0.2");
    }

    /** The commands in order, from single commands and lists of them. */
    private static List<String> commands(Object... parts) {
        List<String> commands = new java.util.ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(command -> commands.add((String) command));
            } else {
                commands.add((String) part);
            }
        }
        return commands;
    }
}
