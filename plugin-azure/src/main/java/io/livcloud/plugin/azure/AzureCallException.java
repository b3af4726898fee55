package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

/**
 * A refused or failed Azure call, in plugin terms: what was being done, Azure's HTTP status and error code. The facade
 * turns every SDK failure into this; {@link AzureErrors} turns it into what the user reads and does.
 */
final class AzureCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The code for a failure that produced no Azure error code (no credential, connection refused). */
    static final String NO_CODE = "";

    private final String operation;
    private final int status;
    private final String code;

    /**
     * @param operation what was being done, e.g. "create virtual machine east-gateway"
     * @param status the HTTP status, or 0 when no response came (credential, network)
     * @param code Azure's error code, e.g. {@code SkuNotAvailable}; {@link #NO_CODE} when there is none
     * @param message Azure's message, or the client's
     */
    AzureCallException(String operation, int status, String code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.operation = requireNonNull(operation, "operation is null");
        this.status = status;
        this.code = requireNonNull(code, "code is null");
    }

    AzureCallException(String operation, int status, String code, String message) {
        this(operation, status, code, message, null);
    }

    String operation() {
        return operation;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
