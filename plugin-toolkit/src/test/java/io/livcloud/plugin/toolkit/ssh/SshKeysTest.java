package io.livcloud.plugin.toolkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeysTest {

    @Test
    void createsAKeyOnceAndReadsTheSameKeyAfterwards(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("ssh/id_rsa");
        KeyPair created = SshKeys.loadOrCreate(file, "livcloud-test");
        KeyPair read = SshKeys.loadOrCreate(file, "ignored");

        assertThat(read.getPublic()).isEqualTo(created.getPublic());
        assertThat(read.getPrivate().getEncoded()).isEqualTo(created.getPrivate().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
        String publicLine = Files.readString(directory.resolve("ssh/id_rsa.pub")).strip();
        assertThat(publicLine).matches("ssh-rsa AAAA[A-Za-z0-9+/=]+ livcloud-test")
                .isEqualTo(SshKeys.openSshPublicKey(created.getPublic(), "livcloud-test"));
        assertThat(Files.exists(directory.resolve("ssh/id_rsa.partial"))).isFalse();
    }

    @Test
    void anUnreadableKeyFileIsAnErrorThatSaysWhatToDo(@TempDir Path directory) throws IOException {
        Path file = Files.writeString(directory.resolve("id_rsa"), "not a key");
        assertThatThrownBy(() -> SshKeys.loadOrCreate(file, "x"))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_KEY_UNUSABLE);
                    assertThat(e.getMessage()).contains(file.toString());
                    assertThat(e.remedy()).contains("delete the file");
                });
    }
}
