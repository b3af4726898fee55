package io.livcloud.plugin.toolkit.ssh;

import io.livcloud.spi.ErrorCode;

/**
 * The failures of SSH access to a host (cloud or own), the same for every plugin; {@link #code()} is what users see.
 * The {@code CLOUD_} prefix stays from when only cloud hosts were reached over SSH: users may have scripts on it.
 */
public enum HostAccessErrorCode implements ErrorCode {
    /** No SSH connection: the host is down, still booting, or a firewall rule does not let this machine in. */
    SSH_UNREACHABLE,
    /** The host refused LivCloud's key. */
    SSH_AUTHENTICATION_FAILED,
    /** The host's key differs from the one recorded on first contact: another machine, or the host was rebuilt. */
    SSH_HOST_KEY_CHANGED,
    /** Connecting, logging in, opening a channel or reading a file did not finish in time. */
    SSH_TIMEOUT,
    /** The host's sshd refused a stream: nothing listens on that socket or port, or sshd forbids forwarding. */
    SSH_CHANNEL_REFUSED,
    /** LivCloud's SSH key cannot be read or created. */
    SSH_KEY_UNUSABLE,
    /** The host's bootstrap did not report ready in time. */
    HOST_NOT_READY,
    /** The host's bootstrap stopped on an error. */
    HOST_BOOTSTRAP_FAILED;

    @Override
    public String code() {
        return "CLOUD_" + name();
    }
}
