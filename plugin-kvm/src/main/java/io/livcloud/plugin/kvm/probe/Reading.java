package io.livcloud.plugin.kvm.probe;

import java.util.Objects;
import java.util.Optional;

/**
 * What one read of a host file or device gave: a value, or why there is none. A probe records both as evidence.
 *
 * @param value the value; empty when {@link #state} is not {@link State#READ}
 * @param state whether it was read
 * @param reason why it could not be read (empty when read)
 * @param <T> the value's type
 */
public record Reading<T>(Optional<T> value, State state, String reason) {

    /** Whether a value was read. */
    public enum State {
        /** Read. */
        READ,
        /** The file or device does not exist. */
        ABSENT,
        /** It exists but could not be read (permission, an ioctl error). */
        UNREADABLE
    }

    public Reading {
        Objects.requireNonNull(value, "value is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(reason, "reason is null");
    }

    static <T> Reading<T> read(T value) {
        return new Reading<>(Optional.of(value), State.READ, "");
    }

    static <T> Reading<T> absent(String reason) {
        return new Reading<>(Optional.empty(), State.ABSENT, reason);
    }

    static <T> Reading<T> unreadable(String reason) {
        return new Reading<>(Optional.empty(), State.UNREADABLE, reason);
    }

    /** The same failure for another value type. */
    static <T> Reading<T> withoutValue(Reading<?> failed) {
        return new Reading<>(Optional.empty(), failed.state(), failed.reason());
    }

    /** {@code absent} or {@code unreadable}, as an evidence value; the value's own text when read. */
    String describe() {
        return value.map(String::valueOf).orElse(state.name().toLowerCase(java.util.Locale.ROOT));
    }
}
