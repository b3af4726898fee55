package io.livcloud.plugin.toolkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.spi.ExtensionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH host access against a real OpenSSH sshd in a network namespace of this test's own. */
class SshHostAccessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path directory;

    private static SshdInNamespace lab;
    private static KeyPair clientKey;
    private static Path hostKey;

    @BeforeAll
    static void startSshd() throws Exception {
        lab = SshdInNamespace.create(directory);
        clientKey = SshKeys.loadOrCreate(directory.resolve("client/id_rsa"), "livcloud-test");
        hostKey = directory.resolve("host/ssh_host_rsa_key");
        SshKeys.loadOrCreate(hostKey, "host");
        lab.startSshd(hostKey, List.of(SshKeys.openSshPublicKey(clientKey.getPublic(), "livcloud-test")));
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
            assertThat(lab.networkUp()).isFalse();
        }
    }

    private static SshTarget target(KeyPair identity) {
        return new SshTarget(SshdInNamespace.SSHD_ADDRESS, 22, "root", identity);
    }

    @Test
    void theNamespaceGoesEvenIfTheTestJvmExitsEarly() {
        assertThat(lab.teardownOnExit()).isTrue();
    }

    @Test
    void runsCommandsWithTheirOutputAndExitStatus(@TempDir Path knownHostsDirectory) {
        try (SshHostAccess access = new SshHostAccess(knownHostsDirectory.resolve("known_hosts"), TIMEOUT)) {
            SshHostAccess.CommandResult result = access.run(target(clientKey), "echo out; echo err >&2; exit 3");

            assertThat(result.exitStatus()).isEqualTo(3);
            assertThat(result.succeeded()).isFalse();
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            // The namespace is really another network stack: sshd sees the connection from the veth's far end.
            assertThat(access.run(target(clientKey), "echo $SSH_CLIENT").stdout())
                    .startsWith(SshdInNamespace.HOST_ADDRESS + " ");
        }
    }

    @Test
    void readsTheBootstrapReportAndWaitsForReadiness(@TempDir Path work) throws Exception {
        Path status = work.resolve("bootstrap-status");
        try (SshHostAccess access = new SshHostAccess(work.resolve("known_hosts"), TIMEOUT)) {
            assertThat(access.bootstrapStatus(target(clientKey), status.toString()).state())
                    .isEqualTo(BootstrapStatus.ABSENT);
            assertThatThrownBy(() -> access.awaitBootstrap(target(clientKey), status.toString(),
                    Duration.ofMillis(300), Duration.ofMillis(100)))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.HOST_NOT_READY);
                        assertThat(e.getMessage()).contains("last: bootstrap absent");
                    });

            Files.writeString(status, "state=failed\ndetail=line 40: apt-get update -q (exit 100)\nsite=east\n");
            assertThatThrownBy(() -> access.awaitBootstrap(target(clientKey), status.toString(),
                    Duration.ofSeconds(5), Duration.ofMillis(100)))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.HOST_BOOTSTRAP_FAILED);
                        assertThat(e.getMessage()).contains("line 40: apt-get update -q (exit 100)");
                    });

            Files.writeString(status, "state=ready\ndetail=running\nsite=east\nqemu=10.0.2\nkvm=none\n");
            BootstrapStatus ready = access.awaitBootstrap(target(clientKey), status.toString(), Duration.ofSeconds(5),
                    Duration.ofMillis(100));
            assertThat(ready.ready()).isTrue();
            assertThat(ready.facts()).containsEntry("qemu", "10.0.2");
        }
    }

    @Test
    void refusesAKeySshdDoesNotKnow(@TempDir Path work) {
        KeyPair stranger = SshKeys.loadOrCreate(work.resolve("stranger"), "stranger");
        try (SshHostAccess access = new SshHostAccess(work.resolve("known_hosts"), TIMEOUT)) {
            assertThatThrownBy(() -> access.run(target(stranger), "true"))
                    .isInstanceOfSatisfying(ExtensionException.class, e ->
                            assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_AUTHENTICATION_FAILED));
        }
    }

    @Test
    void aPortWithoutSshdIsUnreachable(@TempDir Path work) {
        try (SshHostAccess access = new SshHostAccess(work.resolve("known_hosts"), TIMEOUT)) {
            SshTarget closedPort = new SshTarget(SshdInNamespace.SSHD_ADDRESS, 2222, "root", clientKey);
            assertThatThrownBy(() -> access.run(closedPort, "true"))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_UNREACHABLE);
                        assertThat(e.getMessage()).contains("root@" + SshdInNamespace.SSHD_ADDRESS + ":2222");
                        assertThat(e.remedy()).contains("operator-cidr");
                    });
        }
    }

    @Test
    void pinsTheFirstHostKeyAndRefusesAnotherOneLater(@TempDir Path work) throws Exception {
        Path knownHosts = work.resolve("known_hosts");
        try (SshHostAccess access = new SshHostAccess(knownHosts, TIMEOUT)) {
            assertThat(access.run(target(clientKey), "true").succeeded()).isTrue();
        }
        assertThat(Files.readString(knownHosts)).contains(SshdInNamespace.SSHD_ADDRESS).contains("ssh-rsa");

        Path otherHostKey = work.resolve("other_host_key");
        SshKeys.loadOrCreate(otherHostKey, "rebuilt");
        try {
            lab.startSshd(otherHostKey, List.of(SshKeys.openSshPublicKey(clientKey.getPublic(), "livcloud-test")));
            try (SshHostAccess access = new SshHostAccess(knownHosts, TIMEOUT)) {
                assertThatThrownBy(() -> access.run(target(clientKey), "true"))
                        .isInstanceOfSatisfying(ExtensionException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_HOST_KEY_CHANGED);
                            assertThat(e.remedy()).contains("known-hosts");
                        });
            }
        } finally {
            lab.startSshd(hostKey, List.of(SshKeys.openSshPublicKey(clientKey.getPublic(), "livcloud-test")));
        }
    }
}
