package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

/**
 * A VICI failure, with why it happened so that callers can react (start charon when it is not running, report a
 * refused command) without parsing messages.
 */
public final class ViciException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a VICI operation failed. */
    public enum Reason {
        /** Nothing listens at the endpoint (socket missing or refusing): charon is not running there. */
        CANNOT_CONNECT,
        /** charon did not answer in time; the connection was closed, since a late answer would be misread. */
        TIMEOUT,
        /** The connection closed (charon stopped or restarted) before the answer came. */
        CLOSED,
        /** The peer sent bytes that are not VICI: a bad length, an unknown packet or element type. */
        PROTOCOL,
        /** charon has no such command (an older strongSwan, or the plugin providing it is not loaded). */
        UNKNOWN_COMMAND,
        /** charon has no such event. */
        UNKNOWN_EVENT,
        /** charon ran the command and answered {@code success = no}; the message carries its {@code errmsg}. */
        COMMAND_FAILED
    }

    private final Reason reason;

    public ViciException(Reason reason, String message) {
        super(message);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public ViciException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }
}
