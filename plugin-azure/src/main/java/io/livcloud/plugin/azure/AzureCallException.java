package io.livcloud.plugin.azure;

import io.livcloud.plugin.toolkit.cloud.CloudCallException;

/**
 * A refused or failed Azure call, in plugin terms: what was being done, Azure's HTTP status and error code. The facade
 * turns every SDK failure into this; {@link AzureErrors} turns it into what the user reads and does. The message is
 * Azure's (or the client's) alone.
 */
final class AzureCallException extends CloudCallException {

    private static final long serialVersionUID = 1L;

    /** The code for a failure that produced no Azure error code (no credential, connection refused). */
    static final String NO_CODE = "";

    private final int status;

    /**
     * @param operation what was being done, e.g. "create virtual machine east-gateway"
     * @param status the HTTP status, or 0 when no response came (credential, network)
     * @param code Azure's error code, e.g. {@code SkuNotAvailable}; {@link #NO_CODE} when there is none
     * @param message Azure's message, or the client's
     */
    AzureCallException(String operation, int status, String code, String message, Throwable cause) {
        super(message, operation, code, message, cause);
        this.status = status;
    }

    AzureCallException(String operation, int status, String code, String message) {
        this(operation, status, code, message, null);
    }

    int status() {
        return status;
    }
}
