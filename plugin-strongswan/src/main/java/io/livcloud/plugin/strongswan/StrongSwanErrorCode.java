package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ErrorCode;

/** The failures the strongswan plugin reports; {@link #code()} is what users and scripts see. */
public enum StrongSwanErrorCode implements ErrorCode {
    /** The extension exists so its configuration can be validated, but does nothing yet. */
    NOT_IMPLEMENTED;

    @Override
    public String code() {
        return "STRONGSWAN_" + name();
    }
}
