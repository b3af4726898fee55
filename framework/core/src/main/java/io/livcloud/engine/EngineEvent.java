package io.livcloud.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the engine reports while it works, to the CLI (progress bar, JSON lines) and to embedding applications.
 *
 * @param time when
 * @param migrationId the migration
 * @param type {@code phase}, {@code check}, {@code progress}, {@code ladder}, {@code outcome} or {@code report}
 * @param phase the phase the migration is in
 * @param message one line for people
 * @param attributes facts for programs (check name and result, ladder step, report paths)
 * @param progress the transfer's figures, for {@code progress} events
 */
public record EngineEvent(Instant time, String migrationId, String type, Phase phase, String message,
        Map<String, String> attributes, Optional<Progress> progress) {

    public EngineEvent {
        Objects.requireNonNull(time, "time is null");
        Objects.requireNonNull(migrationId, "migrationId is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(phase, "phase is null");
        Objects.requireNonNull(message, "message is null");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(progress, "progress is null");
    }

    /**
     * The transfer's figures. {@code sentBytes} never decreases, across attempts too (a restarted attempt adds to
     * it); {@code remainingBytes} may rise when the guest dirties memory faster than it is sent.
     *
     * @param attempt which attempt of the ladder, from 1
     * @param attemptLabel how it runs, e.g. {@code pre-copy, multifd x2}
     * @param iteration the pre-copy pass of this attempt
     * @param elapsed since the transfer started
     * @param sentBytes memory sent so far, over all attempts
     * @param remainingBytes memory still to send in this attempt
     * @param memoryBytes the guest's memory
     * @param dirtyRateBytesPerSecond how fast the guest dirties memory
     * @param throughputBytesPerSecond how fast the stream moves
     */
    public record Progress(int attempt, String attemptLabel, long iteration, Duration elapsed, long sentBytes,
            long remainingBytes, long memoryBytes, long dirtyRateBytesPerSecond, long throughputBytesPerSecond) {
        public Progress {
            Objects.requireNonNull(attemptLabel, "attemptLabel is null");
            Objects.requireNonNull(elapsed, "elapsed is null");
        }
    }
}
