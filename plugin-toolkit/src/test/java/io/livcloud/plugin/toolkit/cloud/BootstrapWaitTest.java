package io.livcloud.plugin.toolkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.testing.FakeHostAccess;
import io.livcloud.plugin.toolkit.ssh.HostAccessErrorCode;
import io.livcloud.spi.ExtensionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BootstrapWaitTest {

    private static final Duration POLL = Duration.ofMillis(20);

    private final FakeHostAccess host = new FakeHostAccess();

    private void report(String text) {
        host.file(HostBootstrap.STATUS_FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheReportAndCallsNoReportAbsent() {
        assertThat(BootstrapWait.status(host).state()).isEqualTo(BootstrapStatus.ABSENT);
        report("state=ready\ndetail=running\nsite=east\nqemu=10.0.2\nkvm=none\n");

        BootstrapStatus status = BootstrapWait.status(host);

        assertThat(status.ready()).isTrue();
        assertThat(status.facts()).containsEntry("qemu", "10.0.2");
    }

    @Test
    void waitsThroughAnUnreachableHostUntilItReportsReady() {
        host.failNext(new ExtensionException(HostAccessErrorCode.SSH_UNREACHABLE, "still booting", "wait"))
                .failNext(new ExtensionException(HostAccessErrorCode.SSH_TIMEOUT, "slow", "wait"));
        report("state=ready\ndetail=running\n");

        assertThat(BootstrapWait.await(host, Duration.ofSeconds(5), POLL).ready()).isTrue();
        assertThat(host.calls()).isEqualTo(3);
    }

    @Test
    void aFailedBootstrapStopsTheWaitAtOnce() {
        report("state=failed\ndetail=line 40: apt-get update -q (exit 100)\nsite=east\n");

        assertThatThrownBy(() -> BootstrapWait.await(host, Duration.ofSeconds(5), POLL))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.HOST_BOOTSTRAP_FAILED);
                    assertThat(e.getMessage()).contains("fake host").contains("line 40: apt-get update -q (exit 100)");
                });
        assertThat(host.calls()).isEqualTo(1);
    }

    @Test
    void givesUpAtTheDeadlineWithTheLastReport() {
        report("state=installing\ndetail=apt-get install qemu\n");

        assertThatThrownBy(() -> BootstrapWait.await(host, Duration.ofMillis(100), POLL))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.HOST_NOT_READY);
                    assertThat(e.getMessage()).contains("last: bootstrap installing: apt-get install qemu");
                });
    }

    @Test
    void aChangedHostKeyIsNotWaitedOut() {
        host.failNext(new ExtensionException(HostAccessErrorCode.SSH_HOST_KEY_CHANGED, "other key", "check"));

        assertThatThrownBy(() -> BootstrapWait.await(host, Duration.ofSeconds(5), POLL))
                .isInstanceOfSatisfying(ExtensionException.class, e ->
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_HOST_KEY_CHANGED));
        assertThat(host.calls()).isEqualTo(1);
    }
}
