package io.livcloud.plugin.toolkit.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.testing.FakeHostAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSocketRelayTest {

    private static final String REMOTE = "/var/run/libvirt/libvirt-sock";

    private final FakeHostAccess host = new FakeHostAccess().echoSocket(REMOTE);

    @Test
    void relaysEveryConnectionToTheHostsSocketWithItsHalfClose(@TempDir Path work) throws IOException {
        Path folder = work.resolve("relays");
        try (LocalSocketRelay relay = LocalSocketRelay.open(host, REMOTE, folder)) {
            assertThat(relay.path()).isEqualTo(folder.resolve("libvirt-sock"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(relay.path())))
                    .isEqualTo("rw-------");

            List<CompletableFuture<String>> clients = IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> UnixSocketClient.exchange(relay.path(), "client " + i)))
                    .toList();
            assertThat(clients).extracting(CompletableFuture::join)
                    .containsExactly("client 0", "client 1", "client 2", "client 3");
        }
        assertThat(folder.resolve("libvirt-sock")).doesNotExist();
        assertThat(host.closed()).as("the host access stays the caller's").isFalse();
    }

    @Test
    void aConnectionTheHostRefusesIsClosedAndTheRelayGoesOn(@TempDir Path work) {
        try (LocalSocketRelay relay = LocalSocketRelay.open(host, REMOTE, work)) {
            host.failNext(new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET, "gone", "start it"));
            assertThat(UnixSocketClient.listen(relay.path())).as("closed at once").isEmpty();
            assertThat(UnixSocketClient.exchange(relay.path(), "again")).isEqualTo("again");
        }
    }

    @Test
    void replacesAStaleSocketFile(@TempDir Path work) throws IOException {
        Files.createFile(work.resolve("libvirt-sock"));
        try (LocalSocketRelay relay = LocalSocketRelay.open(host, REMOTE, work)) {
            assertThat(UnixSocketClient.exchange(relay.path(), "fresh")).isEqualTo("fresh");
        }
    }

    @Test
    void aFolderTooDeepForASocketPathIsRefusedWithTheFix(@TempDir Path work) {
        Path deep = work.resolve("x".repeat(120));
        assertThatThrownBy(() -> LocalSocketRelay.open(host, REMOTE, deep))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RelayErrorCode.RELAY_SOCKET_UNUSABLE);
                    assertThat(e.remedy()).contains("shorter folder");
                });
    }
}
