package io.livcloud.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret value (key, password, pre-shared key) that never shows itself: {@link #toString()} is always redacted, so a
 * secret that ends up in a log line or an exception message does not leak. Read it with {@link #reveal()} only where
 * it is handed to the system that needs it.
 */
public final class Secret {

    private static final String REDACTED = "******";

    private final char[] value;

    private Secret(char[] value) {
        this.value = value.clone();
    }

    /** Wraps a secret value. */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value is null").toCharArray());
    }

    /** Wraps a secret value; the array is copied, so the caller may wipe its own. */
    public static Secret of(char[] value) {
        return new Secret(Objects.requireNonNull(value, "value is null"));
    }

    /** The secret itself. */
    public String reveal() {
        return new String(value);
    }

    /** Whether the secret is empty. */
    public boolean isEmpty() {
        return value.length == 0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && Arrays.equals(value, secret.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    /** Always {@code ******}, whatever the value. */
    @Override
    public String toString() {
        return REDACTED;
    }
}
