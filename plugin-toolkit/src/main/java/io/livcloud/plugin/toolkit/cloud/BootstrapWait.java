package io.livcloud.plugin.toolkit.cloud;

import io.livcloud.plugin.toolkit.ssh.HostAccessErrorCode;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Reads a new cloud host's bootstrap report ({@link HostBootstrap#STATUS_FILE}) through its {@link HostAccess}, and
 * waits for it to say ready. Called by a cloud plugin's site provisioner right after it created the host.
 */
public final class BootstrapWait {

    /** Far more than the report's few lines; a bound so that a wrong file costs nothing. */
    private static final int MAX_REPORT_BYTES = 64 * 1024;

    private BootstrapWait() {
    }

    /**
     * The host's bootstrap report; {@link BootstrapStatus#absent()} if none yet.
     *
     * @throws ExtensionException when the host cannot be reached (the host access's error codes)
     */
    public static BootstrapStatus status(HostAccess host) {
        return host.readFile(HostBootstrap.STATUS_FILE, MAX_REPORT_BYTES)
                .map(report -> BootstrapStatus.parse(new String(report, StandardCharsets.UTF_8)))
                .orElseGet(BootstrapStatus::absent);
    }

    /**
     * Waits until the host's bootstrap reports ready, asking every {@code interval}; unreachable and not-yet-ready
     * hosts are asked again until {@code wait} has passed (a new VM answers SSH only after it booted).
     *
     * @throws ExtensionException {@link HostAccessErrorCode#HOST_BOOTSTRAP_FAILED} as soon as the report says failed;
     *     {@link HostAccessErrorCode#HOST_NOT_READY} at the deadline, with the last report or connection error; any
     *     other failure of the host access (a changed host key, a refused login) at once
     */
    public static BootstrapStatus await(HostAccess host, Duration wait, Duration interval) {
        Instant deadline = Instant.now().plus(wait);
        String last = "no answer yet";
        while (true) {
            try {
                BootstrapStatus status = status(host);
                if (status.ready()) {
                    return status;
                }
                if (status.failed()) {
                    throw new ExtensionException(HostAccessErrorCode.HOST_BOOTSTRAP_FAILED, "the LivCloud bootstrap"
                            + " of host " + host.target() + " failed: " + status.detail(), "read"
                            + " /var/log/cloud-init-output.log on the host; tear the site down and create it again once"
                            + " the cause is fixed");
                }
                last = "bootstrap " + status.state() + ": " + status.detail();
            } catch (ExtensionException e) {
                if (e.errorCode() != HostAccessErrorCode.SSH_UNREACHABLE
                        && e.errorCode() != HostAccessErrorCode.SSH_TIMEOUT) {
                    throw e;
                }
                last = e.getMessage();
            }
            if (!Instant.now().plus(interval).isBefore(deadline)) {
                throw new ExtensionException(HostAccessErrorCode.HOST_NOT_READY, "host " + host.target() + " did not"
                        + " report ready within " + wait + "; last: " + last, "wait and ask again, or read"
                        + " /var/log/cloud-init-output.log on the host");
            }
            sleep(interval);
        }
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a host", e);
        }
    }
}
