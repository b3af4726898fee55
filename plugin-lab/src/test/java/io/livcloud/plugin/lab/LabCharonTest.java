package io.livcloud.plugin.lab;

import io.livcloud.testing.TestingExtensionContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each site's charon ({@link LabCharon}) through the lab on a {@link FakeLabHost}: its start, its reuse, its end. */
class LabCharonTest extends BaseLabTest {

    // ---------------------------------------------------------------------------------------------------- data path

    @Test
    void aKernelBuiltWithoutEspGetsUserspaceEspWithoutTryingTheKernel() throws IOException {
        lab.up(spec("a"));

        assertThat(host.commands).noneMatch(command -> command.startsWith("unshare"));
        assertThat(Files.readString(site("a").resolve("charon/strongswan.conf")))
                .contains("  load = random nonce openssl aes sha1 sha2 hmac gcm kdf gmp pem pkcs1 pkcs8 x509 pubkey"
                        + " constraints revocation kernel-libipsec kernel-netlink socket-default vici\n");
        assertThat(context.logLines()).contains("INFO the sites' charons use userspace-libipsec: the kernel's"
                + " configuration (/proc/config.gz) has CONFIG_INET_ESP is not set");
    }

    @Test
    void aKernelThatTakesAnEspStateCarriesEspItself() throws IOException {
        host.kernelConfig = "CONFIG_INET_ESP=m\n";
        host.kernelTakesEsp = true;

        lab.up(spec("a"));
        lab.up(spec("b"));

        assertThat(host.commands).filteredOn(command -> command.startsWith("unshare")).singleElement().asString()
                .isEqualTo("unshare --net ip xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x100 mode"
                        + " tunnel aead rfc4106(gcm(aes)) 0x" + "01".repeat(20) + " 128");
        assertThat(Files.readString(site("b").resolve("charon/strongswan.conf")))
                .doesNotContain("kernel-libipsec").contains(" kernel-netlink socket-default vici\n");
        assertThat(context.logLines()).contains("INFO the sites' charons use kernel-esp: CONFIG_INET_ESP=m, and the"
                + " kernel took an ESP rfc4106(gcm(aes)) state");
    }

    @Test
    void aKernelWithoutItsConfigurationIsTriedAndItsRefusalMeansUserspaceEsp() throws IOException {
        host.kernelConfig = null;

        lab.up(spec("a"));

        assertThat(host.commands).anyMatch(command -> command.startsWith("unshare --net ip xfrm state add"));
        assertThat(Files.readString(site("a").resolve("charon/strongswan.conf"))).contains(" kernel-libipsec ");
        assertThat(context.logLines()).contains("INFO the sites' charons use userspace-libipsec: no /proc/config.gz, but"
                + " the kernel refused an ESP rfc4106(gcm(aes)) state: RTNETLINK answers: Function not implemented");
    }

    // ----------------------------------------------------------------------------------------------------------- up

    @Test
    void charonRunsInTheSiteWithARunOfItsOwnAndItsViciSocketInTheSiteFolder() throws IOException {
        Site a = lab.up(spec("a"));

        assertThat(host.commands).endsWith(charonStart("a"));
        String pid = a.gateway().attributes().get("charon-pid");
        assertThat(site("a").resolve("charon/charon.pid")).content().isEqualTo(pid + "\n");
        assertThat(site("a").resolve("charon/run")).isDirectory();
        assertThat(Files.readString(site("a").resolve("charon/strongswan.conf"))).contains(
                "# Written by the LivCloud lab for the gateway of site a (network namespace lc-a)",
                "  load_modular = no\n",
                "  retransmit_tries = 3\n",
                "    vici {\n      socket = unix://" + site("a") + "/charon.vici\n    }\n",
                "      path = " + site("a") + "/charon/charon.log\n");
        assertThat(site("a").resolve("charon/charon.log")).content()
                .startsWith("=== the LivCloud lab starts the charon of site a (userspace-libipsec)\n");
        assertThat(a.gateway().tunnelControl()).hasValueSatisfying(control -> {
            assertThat(control.controlSocket()).isEqualTo(site("a") + "/charon.vici");
            assertThat(control.localAddress()).isEqualTo("10.99.0.2");
            assertThat(control.identity()).isEqualTo("10.99.0.2");
            assertThat(control.updown()).isEmpty();
        });
    }

    @Test
    void aCharonThatAnswersIsReusedAndOneThatNoLongerAnswersIsStartedAgain() {
        Site first = lab.up(spec("a"));
        long pid = Long.parseLong(first.gateway().attributes().get("charon-pid"));
        host.commands.clear();

        Site again = lab.up(spec("a"));

        assertThat(host.commands).noneMatch(command -> command.contains("charon"));
        assertThat(again.gateway().attributes()).containsEntry("charon-pid", Long.toString(pid));

        host.silenceCharon(pid);
        host.commands.clear();

        Site restarted = lab.up(spec("a"));

        assertThat(host.commands).containsSubsequence("kill -TERM " + pid, charonStart("a"));
        assertThat(host.running(pid)).isFalse();
        assertThat(restarted.gateway().attributes().get("charon-pid")).isNotEqualTo(Long.toString(pid));
    }

    @Test
    void aPidFileNamingAnotherProcessIsStaleAndThatProcessIsLeftAlone() throws IOException {
        lab.up(spec("a"));
        lab.down("a", false);
        long stranger = host.addProcess("lcwan", List.of(LabCharon.CHARON));
        FakeLabHost.writePidFile(site("a").resolve("charon/charon.pid"), stranger);

        Site a = lab.up(spec("a"));

        assertThat(a.gateway().attributes().get("charon-pid")).isNotEqualTo(Long.toString(stranger));
        assertThat(host.running(stranger)).isTrue();
        assertThat(host.commands).doesNotContain("kill -TERM " + stranger);
    }

    // ------------------------------------------------------------------------------------------------ charon fails

    @Test
    void aCharonThatExitsIsReportedWithTheEndOfItsLog() {
        host.charon = FakeLabHost.Charon.EXITS;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.CHARON_DID_NOT_START);
                    assertThat(e.getMessage()).startsWith("the charon of site a (pid 1001) exited before it answered"
                            + " on " + site("a") + "/charon.vici; the end of " + site("a") + "/charon/charon.log:\n")
                            .endsWith("plugin 'kernel-libipsec': failed to load");
                    assertThat(e.remedy()).contains(site("a") + "/charon/strongswan.conf");
                });
        assertThat(site("a").resolve("charon/charon.pid")).doesNotExist();
    }

    @Test
    void aCharonThatDoesNotAnswerInTimeIsStoppedAndReported() {
        host.charon = FakeLabHost.Charon.HANGS;

        assertThatThrownBy(() -> lab.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.CHARON_DID_NOT_START);
                    assertThat(e.getMessage()).contains("(pid 1001) had not answered on " + site("a")
                            + "/charon.vici after 30000 ms; stopped it");
                    assertThat(e.remedy()).contains("start-timeout");
                });
        assertThat(host.running(1001)).isFalse();
        assertThat(host.commands).contains("kill -TERM 1001");
        assertThat(site("a").resolve("charon/charon.pid")).doesNotExist();
    }

    // --------------------------------------------------------------------------------------------------------- down

    @Test
    void downEndsTheVerifiedCharonFirstAndAStalePidFileIsOnlyRemoved() throws IOException {
        Site a = lab.up(spec("a"));
        long charon = Long.parseLong(a.gateway().attributes().get("charon-pid"));
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands.get(0)).isEqualTo("kill -TERM " + charon);
        assertThat(report.removed().get(0)).isEqualTo("process/charon/" + charon);
        assertThat(host.running(charon)).isFalse();

        lab.up(spec("a"));
        Path pidFile = site("a").resolve("charon/charon.pid");
        long charonAgain = LabProcesses.readPid(pidFile).orElseThrow();
        host.end(charonAgain);
        long stranger = host.addProcess("lc-a", List.of("/usr/bin/sleep", "600"));
        FakeLabHost.writePidFile(pidFile, stranger);

        TeardownReport stale = lab.down("a", false);

        assertThat(stale.removed()).startsWith("file" + pidFile);
        assertThat(host.commands).doesNotContain("kill -TERM " + stranger);
        assertThat(pidFile).doesNotExist();
    }
}
