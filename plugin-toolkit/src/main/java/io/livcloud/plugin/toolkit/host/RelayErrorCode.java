package io.livcloud.plugin.toolkit.host;

import io.livcloud.spi.ErrorCode;

/** The failures of {@link LocalSocketRelay}; {@link #code()} is what users see. */
public enum RelayErrorCode implements ErrorCode {
    /** The relay's local socket cannot be made: its folder is not writable, or the path is too long for a socket. */
    RELAY_SOCKET_UNUSABLE;

    @Override
    public String code() {
        return "HOST_" + name();
    }
}
