package io.livcloud.plugin.ec2;

/**
 * An error answer of EC2 (or no answer), in the plugin's terms, thrown by {@link Ec2Facade}; {@link Ec2Errors} says
 * what it means for the user.
 */
final class Ec2ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The code of a failure with no answer from EC2 (network, endpoint, credentials not found). */
    static final String CLIENT_ERROR = "Client";

    private final String action;
    private final String errorCode;
    private final String requestId;

    /**
     * @param action the EC2 action, e.g. {@code RunInstances}
     * @param errorCode EC2's code, e.g. {@code InsufficientInstanceCapacity}, or {@link #CLIENT_ERROR}
     * @param message EC2's message, or the client's
     * @param requestId EC2's request id, empty without an answer
     */
    Ec2ApiException(String action, String errorCode, String message, String requestId, Throwable cause) {
        super(action + ": " + errorCode + ": " + message, cause);
        this.action = action;
        this.errorCode = errorCode;
        this.requestId = requestId;
    }

    String action() {
        return action;
    }

    String errorCode() {
        return errorCode;
    }

    String requestId() {
        return requestId;
    }

    /** EC2's message alone. */
    String awsMessage() {
        return getMessage().substring(action.length() + errorCode.length() + 4);
    }

    /** Whether EC2 says the resource does not exist (any more): {@code *.NotFound}. */
    boolean notFound() {
        return errorCode.endsWith(".NotFound") || errorCode.endsWith("NotFound");
    }
}
