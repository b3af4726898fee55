package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The sites' libvirtds ({@link LabLibvirtd}) through the lab on a {@link FakeLabHost}: their configuration, starting
 * and reusing them, their failures, and ending them and their QEMUs.
 */
class LabLibvirtdTest extends BaseLabTest {

    // ------------------------------------------------------------------------------------------------------ up

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
        lab = lab(new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), false, false,
                LabConfig.AccessMode.NAMESPACE));

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
    void aSiteWhoseLibvirtdEndedGetsANewOneInTheSameNamespace() {
        Site first = lab.up(spec("a"));
        String ended = first.gateway().attributes().get("libvirtd-pid");
        host.end(Long.parseLong(ended));
        assertThat(lab.sites()).singleElement().satisfies(site -> {
            assertThat(site.gateway().attributes()).containsEntry("state", "stopped");
            assertThat(site.gateway().attributes()).doesNotContainKey("libvirtd-pid");
        });
        host.commands.clear();

        Site again = lab.up(spec("a"));

        assertThat(host.commands).containsExactly(
                "start setsid ip netns exec lc-a unshare --mount --propagation private sh -c <script>",
                "virsh -c qemu:///system?socket=" + site("a") + "/run/libvirt-sock uri");
        assertThat(again.gateway().attributes()).containsEntry("state", "running")
                .hasEntrySatisfying("libvirtd-pid", pid -> assertThat(pid).isNotEqualTo(ended));
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
    void anExistingUserIsNotCreatedAgain() {
        host.users.add("libvirt-qemu");

        lab.up(spec("a"));

        assertThat(host.commands).noneMatch(command -> command.startsWith("useradd"));
        assertThat(context.eventTypes()).doesNotContain("lab.user.created");
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

    // ------------------------------------------------------------------------------------------------------- down

    @Test
    void theSitesQemusAreEndedBeforeItsLibvirtdAndAStalePidFileIsOnlyRemoved() throws IOException {
        Site a = lab.up(spec("a"));
        String libvirtd = a.gateway().attributes().get("libvirtd-pid");
        String charon = a.gateway().attributes().get("charon-pid");
        long qemu = host.addQemu(site("a"), "guest1", "lc-a");
        FakeLabHost.writePidFile(site("a").resolve("run/qemu/driver.pid"), Long.parseLong(libvirtd));
        long stranger = host.addProcess("lcwan", List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=guest2"));
        FakeLabHost.writePidFile(site("a").resolve("run/qemu/guest2.pid"), stranger);
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).startsWith("kill -TERM " + charon, "kill -TERM " + qemu, "kill -TERM " + libvirtd);
        assertThat(report.removed()).startsWith("process/charon/" + charon, "process/qemu/guest1/" + qemu, "file"
                + site("a") + "/run/qemu/guest2.pid", "process/libvirtd/" + libvirtd);
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
        long charon = Long.parseLong(a.gateway().attributes().get("charon-pid"));
        long qemu = host.addQemu(site("a"), "guest1", "lc-a");
        host.run(List.of("ip", "netns", "delete", "lc-a"), Duration.ofSeconds(1)); // by someone else
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.running(libvirtd)).isFalse();
        assertThat(host.running(qemu)).isTrue();
        assertThat(host.running(charon)).isTrue();
        assertThat(report.removed()).containsExactly("process/libvirtd/" + libvirtd, "netns/lcuser",
                "netns/lcwan");
        assertThat(report.leftovers()).extracting(TeardownReport.Leftover::resource)
                .containsExactly("process/charon/" + charon, "process/qemu/guest1/" + qemu);
        assertThat(report.leftovers()).allSatisfy(leftover -> assertThat(leftover.reason())
                .startsWith("the site's network namespace is gone, so the lab cannot verify"));
        assertThat(site("a").resolve("run/qemu/guest1.pid")).exists();
        assertThat(site("a").resolve("charon/charon.pid")).exists();
    }

    @Test
    void aProcessIgnoringSigtermGetsSigkillAfterTheGrace() {
        Site a = lab.up(spec("a"));
        String pid = a.gateway().attributes().get("libvirtd-pid");
        String charon = a.gateway().attributes().get("charon-pid");
        host.processesIgnoreSigterm = true;
        host.commands.clear();

        TeardownReport report = lab.down("a", false);

        assertThat(host.commands).startsWith("kill -TERM " + charon, "kill -KILL " + charon, "kill -TERM " + pid,
                "kill -KILL " + pid);
        assertThat(report.complete()).isTrue();
        assertThat(site("a").resolve("run/libvirtd.pid")).doesNotExist();
    }

    @Test
    void aLibvirtdWithoutPidFileIsFoundInTheSiteNamespaceByItsConfiguration() throws IOException {
        Site a = lab.up(spec("a"));
        String pid = a.gateway().attributes().get("libvirtd-pid");
        Files.delete(site("a").resolve("run/libvirtd.pid"));

        TeardownReport report = lab.down("a", false);

        assertThat(report.removed()).contains("process/libvirtd/" + pid);
        assertThat(host.running(Long.parseLong(pid))).isFalse();
        assertThat(report.complete()).isTrue();
    }
}
