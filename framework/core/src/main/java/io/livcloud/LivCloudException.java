package io.livcloud;

import java.util.Objects;

/**
 * A failure the embedding application or the CLI shows to a person: what failed, naming the thing, and what to do.
 */
public class LivCloudException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String remedy;

    /**
     * @param message what failed, naming the thing
     * @param remedy what to do about it; empty when nothing can be done
     */
    public LivCloudException(String message, String remedy) {
        this(message, remedy, null);
    }

    /**
     * @param message what failed, naming the thing
     * @param remedy what to do about it; empty when nothing can be done
     * @param cause the underlying failure, or {@code null}
     */
    public LivCloudException(String message, String remedy, Throwable cause) {
        super(Objects.requireNonNull(message, "message is null"), cause);
        this.remedy = Objects.requireNonNull(remedy, "remedy is null");
    }

    /** What to do about it; empty when nothing can be done. */
    public String remedy() {
        return remedy;
    }
}
