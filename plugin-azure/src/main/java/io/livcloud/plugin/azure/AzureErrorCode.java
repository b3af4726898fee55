package io.livcloud.plugin.azure;

import io.livcloud.spi.ErrorCode;

/** The failures the azure plugin reports; {@link #code()} is what users and scripts see. */
public enum AzureErrorCode implements ErrorCode {
    /** The extension exists so its configuration can be validated, but does nothing yet. */
    NOT_IMPLEMENTED;

    @Override
    public String code() {
        return "AZURE_" + name();
    }
}
