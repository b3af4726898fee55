package io.livcloud.plugin.ec2;

import io.livcloud.plugin.toolkit.cloud.CloudCallException;

/**
 * An error answer of EC2 (or no answer), in the plugin's terms, thrown by {@link Ec2Facade}; {@link Ec2Errors} says
 * what it means for the user. The operation is the EC2 action, e.g. {@code RunInstances}; the message reads
 * {@code <action>: <code>: <EC2's message>}.
 */
final class Ec2ApiException extends CloudCallException {

    private static final long serialVersionUID = 1L;

    /** The code of a failure with no answer from EC2 (network, endpoint, credentials not found). */
    static final String CLIENT_ERROR = "Client";

    private final String requestId;

    /**
     * @param action the EC2 action, e.g. {@code RunInstances}
     * @param errorCode EC2's code, e.g. {@code InsufficientInstanceCapacity}, or {@link #CLIENT_ERROR}
     * @param message EC2's message, or the client's
     * @param requestId EC2's request id, empty without an answer
     */
    Ec2ApiException(String action, String errorCode, String message, String requestId, Throwable cause) {
        super(action + ": " + errorCode + ": " + message, action, errorCode, message, cause);
        this.requestId = requestId;
    }

    String requestId() {
        return requestId;
    }

    /** Whether EC2 says the resource does not exist (any more): {@code *.NotFound}. */
    boolean notFound() {
        return providerCode().endsWith(".NotFound") || providerCode().endsWith("NotFound");
    }
}
