package io.livcloud.spi;

import java.util.Objects;

/**
 * The failure an extension reports to the host. The message names what failed (which host, VM, tunnel, key) and
 * {@link #remedy()} says what the user can do; both reach the user unchanged, so neither may contain a secret.
 */
public class ExtensionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final String remedy;

    /**
     * @param errorCode the kind of failure
     * @param message what failed, naming the thing
     * @param remedy what the user can do about it; empty when nothing can be done
     */
    public ExtensionException(ErrorCode errorCode, String message, String remedy) {
        this(errorCode, message, remedy, null);
    }

    /**
     * @param errorCode the kind of failure
     * @param message what failed, naming the thing
     * @param remedy what the user can do about it; empty when nothing can be done
     * @param cause the underlying failure, or {@code null}
     */
    public ExtensionException(ErrorCode errorCode, String message, String remedy, Throwable cause) {
        super(Objects.requireNonNull(message, "message is null"), cause);
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode is null");
        this.remedy = Objects.requireNonNull(remedy, "remedy is null");
    }

    /** The kind of failure. */
    public ErrorCode errorCode() {
        return errorCode;
    }

    /** What the user can do about it; empty when nothing can be done. */
    public String remedy() {
        return remedy;
    }
}
