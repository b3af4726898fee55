package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lab in ssh mode on a {@link FakeLabHost}: each site's sshd ({@link LabSshd}) and its keys, this machine's leg on
 * the WAN, libvirtd only inside the site, and what the sites publish.
 */
class LabSshdTest extends BaseLabTest {

    @BeforeEach
    void sshMode() {
        config = config(LabConfig.AccessMode.SSH);
        lab = lab(config);
        host.users.add("libvirt-qemu");
    }

    // ---------------------------------------------------------------------------------------------------------- up

    @Test
    void theWanGetsThisMachinesLegAndEachSiteAnSshdAfterItsCharon() {
        lab.up(spec("a"));

        assertThat(host.commands).containsSubsequence(wanAndUser());
        int leg = host.commands.indexOf("ip link add lcwan0 type veth peer name lchost0 netns lcwan");
        assertThat(host.commands.subList(leg, leg + 6)).containsExactly(
                "ip link add lcwan0 type veth peer name lchost0 netns lcwan",
                "ip -n lcwan link set lchost0 master lcbr0",
                "ip -n lcwan link set lchost0 up",
                "ip addr add 10.99.0.254/24 dev lcwan0",
                "ip link set lcwan0 alias " + owner,
                "ip link set lcwan0 up");
        assertThat(leg).isGreaterThan(host.commands.indexOf("ip -n lcuser route add 10.99.100.0/24 via 10.99.0.2"));
        assertThat(host.commands).endsWith(
                charonStart("a"),
                "ssh-keygen -q -t ed25519 -N  -C livcloud-lab site a -f " + site("a") + "/ssh/ssh_host_ed25519_key",
                "mkdir -p -m 0755 /run/sshd",
                "start setsid ip netns exec lc-a /usr/bin/sshd -D -e -f " + site("a") + "/ssh/sshd_config");
        assertThat(host.linkNames(LabHost.OWN_NAMESPACE)).contains("lcwan0");
    }

    @Test
    void sshdListensOnTheWanAddressForRootWithTheOperatorsKeyOnly() throws IOException {
        lab.up(spec("a"));

        assertThat(Files.readString(site("a").resolve("ssh/sshd_config"))).contains(
                "ListenAddress 10.99.0.2:22\n",
                "HostKey " + site("a") + "/ssh/ssh_host_ed25519_key\n",
                "PidFile " + site("a") + "/ssh/sshd.pid\n",
                "AuthorizedKeysFile " + directory + "/ssh/authorized_keys\n",
                "AllowUsers root\n",
                "PermitRootLogin prohibit-password\n",
                "PasswordAuthentication no\n",
                "KbdInteractiveAuthentication no\n",
                "UsePAM no\n",
                "AllowStreamLocalForwarding yes\n",
                "AllowTcpForwarding yes\n",
                "StrictModes no\n");
        assertThat(modes(directory.resolve("ssh"))).isEqualTo("rwx------");
        assertThat(modes(directory.resolve("ssh/operator-key"))).isEqualTo("rw-------");
        assertThat(modes(directory.resolve("ssh/authorized_keys"))).isEqualTo("rw-------");
        assertThat(modes(site("a").resolve("ssh/ssh_host_ed25519_key"))).isEqualTo("rw-------");
        String operator = Files.readString(directory.resolve("ssh/operator-key.pub")).trim();
        assertThat(directory.resolve("ssh/authorized_keys")).content().isEqualTo(operator + "\n");
        assertThat(operator).startsWith("ssh-rsa ").endsWith(" livcloud-lab operator");
    }

    @Test
    void libvirtdListensOnlyInsideTheSiteAndTheWanOffersNoControlAddress() throws IOException {
        Site a = lab.up(spec("a"));

        assertThat(Files.readString(site("a").resolve("etc/libvirtd.conf")))
                .contains("listen_addr = \"10.99.11.1\"\n").doesNotContain("0.0.0.0");
        assertThat(a.gateway().migration()).hasValueSatisfying(endpoints -> {
            assertThat(endpoints.wanPeerUri()).isEmpty();
            assertThat(endpoints.wanMigrationUri()).isEqualTo("tcp://10.99.0.2:49152");
            assertThat(endpoints.tunnelPeerUri()).isEqualTo("qemu+tcp://10.99.11.1/system");
        });
    }

    @Test
    void theSitePublishesNoNamespaceButItsSshAddressAndPinnedHostKey() throws Exception {
        Site a = lab.up(spec("a"));

        String fingerprint = fingerprintOf(site("a").resolve("ssh/ssh_host_ed25519_key.pub"));
        assertThat(a.gateway().attributes()).doesNotContainKey("namespace")
                .containsEntry("ssh", "root@10.99.0.2:22")
                .containsEntry("ssh-host-key", fingerprint)
                .containsEntry("sshd-pid", Long.toString(LabProcesses.readPid(site("a").resolve("ssh/sshd.pid"))
                        .orElseThrow()))
                .containsEntry("sshd-log", site("a") + "/ssh/sshd.log");
        assertThat(fingerprint).matches("SHA256:[A-Za-z0-9+/]{43}");
        assertThat(a.gateway().tunnelControl()).isPresent();
        try (LabHostAccesses accesses = new LabHostAccesses(lab, host, config);
                HostAccess access = accesses.forHost(a, a.gateway())) {
            assertThat(access.target()).isEqualTo("ssh root@10.99.0.2:22"); // nothing is contacted until first use
        }
    }

    @Test
    void aRunningSshdAndTheHostKeyAreKeptAndTheLegIsMadeOnce() {
        Site first = lab.up(spec("a"));
        lab.up(spec("b"));
        host.commands.clear();

        Site again = lab.up(spec("a"));

        assertThat(host.commands).noneMatch(command -> command.contains("sshd") || command.startsWith("ssh-keygen")
                || command.contains("lcwan0"));
        assertThat(again.gateway().attributes().get("ssh-host-key"))
                .isEqualTo(first.gateway().attributes().get("ssh-host-key"));
    }

    @Test
    void anSshdThatExitsIsReportedWithTheEndOfItsLog() {
        host.sshdExits = true;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.SSHD_DID_NOT_START);
                    assertThat(e.getMessage()).startsWith("the sshd of site a (pid 1002) exited before it listened on"
                            + " 10.99.0.2:22; the end of " + site("a") + "/ssh/sshd.log:\n")
                            .endsWith("Address already in use.");
                    assertThat(e.remedy()).contains(site("a") + "/ssh/sshd_config");
                });
    }

    @Test
    void anSshdThatDoesNotListenInTimeIsStoppedAndReported() {
        host.sshdHangs = true;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.SSHD_DID_NOT_START);
                    assertThat(e.getMessage()).contains("had not listened on 10.99.0.2:22 after 30000 ms; stopped it");
                    assertThat(e.remedy()).endsWith("start-timeout");
                });
        assertThat(host.running(1002)).isFalse();
        assertThat(host.commands).contains("kill -TERM 1002");
    }

    @Test
    void aLegAnotherLabMadeIsRefused() {
        lab.up(spec("a"));
        host.setAlias(LabHost.OWN_NAMESPACE, "lcwan0", "livcloud-lab /elsewhere");

        assertThatThrownBy(() -> lab.up(spec("b")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.OWNED_ELSEWHERE);
                    assertThat(e.getMessage()).startsWith("this machine's interface lcwan0 is not this lab's");
                });
    }

    // -------------------------------------------------------------------------------------------------------- down

    @Test
    void downEndsTheSessionsThenSshdThenTheRestAndTheLegGoesWithTheWan() {
        Site a = lab.up(spec("a"));
        long listener = Long.parseLong(a.gateway().attributes().get("sshd-pid"));
        long charon = Long.parseLong(a.gateway().attributes().get("charon-pid"));
        long monitor = host.addChild("lc-a", listener, List.of("sshd: root [priv]"));
        long session = host.addChild("lc-a", monitor, List.of("sshd: root@notty"));
        long command = host.addChild("lc-a", session, List.of("sleep", "600"));
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).startsWith("kill -TERM " + session, "kill -TERM " + monitor,
                "kill -TERM " + listener, "kill -TERM " + charon);
        assertThat(report.removed()).startsWith("process/sshd-session/" + session, "process/sshd-session/" + monitor,
                "process/sshd/" + listener, "process/charon/" + charon);
        assertThat(report.removed()).endsWith("veth/lcw-a", "netns/lc-a", "netns/lcuser", "veth/lcwan0",
                "netns/lcwan");
        assertThat(host.commands).endsWith("ip netns delete lcuser", "ip link del lcwan0", "ip netns delete lcwan");
        // A program a session ran is not the lab's: it is reported, and left.
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> assertThat(leftover.resource())
                .isEqualTo("process/" + command));
        assertThat(host.linkNames(LabHost.OWN_NAMESPACE)).doesNotContain("lcwan0");
        assertThat(site("a").resolve("ssh/sshd.pid")).doesNotExist();
        assertThat(site("a").resolve("ssh/ssh_host_ed25519_key")).exists();
    }

    @Test
    void aNamespaceModeTeardownRemovesALegLeftBySshMode() {
        lab.up(spec("a"));
        Lab namespaceMode = lab(config(LabConfig.AccessMode.NAMESPACE));

        TeardownReport report = namespaceMode.down("a", false);

        assertThat(report.complete()).as("%s", report).isTrue();
        assertThat(report.removed()).contains("veth/lcwan0");
        assertThat(host.linkNames(LabHost.OWN_NAMESPACE)).doesNotContain("lcwan0");
    }

    private static String modes(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    /** What {@code ssh-keygen -l} prints for a public key file, computed here independently. */
    private static String fingerprintOf(Path publicKey) throws Exception {
        byte[] blob = Base64.getDecoder().decode(Files.readString(publicKey).split(" ")[1]);
        return "SHA256:" + Base64.getEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    }
}
