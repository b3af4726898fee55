package io.livcloud.core.host;

import io.livcloud.spi.ErrorCode;

/** Why the core could not hand out the access to a host ({@link HostAccesses}). */
public enum HostAccessErrorCode implements ErrorCode {
    /** The site is not created, or has no host of that name. */
    HOST_UNKNOWN,
    /** The site's provider gives no way to reach the host. */
    HOST_ACCESS_UNAVAILABLE;

    @Override
    public String code() {
        return name();
    }
}
