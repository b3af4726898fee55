package io.livcloud.plugin.toolkit.cloud;

import static java.util.Objects.requireNonNull;

/**
 * A call to a cloud provider's API that failed, in the plugin's terms: what was being done, the provider's own error
 * code and its message. A cloud plugin's facade around its vendor SDK throws a subclass for every SDK failure, so the
 * rest of the plugin never sees the SDK's exception types; the plugin's error translation then turns it into an
 * {@link io.livcloud.spi.ExtensionException} with the plugin's own error code and a remedy, keeping this as the cause.
 *
 * <p>Subclasses add what only their cloud has (EC2's request id, Azure's HTTP status) and choose the message, which is
 * what a stack trace and a teardown leftover show.
 */
public abstract class CloudCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String operation;
    private final String providerCode;
    private final String providerMessage;

    /**
     * @param message the exception's message
     * @param operation the call or what was being done, e.g. {@code RunInstances} or {@code create virtual machine
     *     east-gateway}
     * @param providerCode the provider's error code, e.g. {@code InsufficientInstanceCapacity}; the subclass's own
     *     marker when the call got no answer (network, credentials not found)
     * @param providerMessage the provider's message, or the client's when there was no answer
     * @param cause the SDK's exception, or {@code null}
     */
    protected CloudCallException(String message, String operation, String providerCode, String providerMessage,
            Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.operation = requireNonNull(operation, "operation is null");
        this.providerCode = requireNonNull(providerCode, "providerCode is null");
        this.providerMessage = requireNonNull(providerMessage, "providerMessage is null");
    }

    /** The call or what was being done. */
    public String operation() {
        return operation;
    }

    /** The provider's error code, by which the plugin chooses its own code and remedy. */
    public String providerCode() {
        return providerCode;
    }

    /** The provider's message alone, for the user to read. */
    public String providerMessage() {
        return providerMessage;
    }
}
