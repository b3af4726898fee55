package io.livcloud.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened, for users and embedding applications: a tunnel came up, a migration pass finished, a
 * resource was created. Events are facts, not log lines: {@code type} is stable and machine-readable.
 *
 * @param time when it happened, from the context's clock
 * @param source who reports it, e.g. {@code tunnel/strongswan}
 * @param type a stable dotted name, e.g. {@code tunnel.up} or {@code migration.iteration}
 * @param message one line for people
 * @param attributes machine-readable details; never secrets
 */
public record Event(Instant time, String source, String type, String message, Map<String, String> attributes) {

    public Event {
        Objects.requireNonNull(time, "time is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(message, "message is null");
        attributes = Map.copyOf(attributes);
    }
}
