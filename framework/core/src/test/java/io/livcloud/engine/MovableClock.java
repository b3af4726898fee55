package io.livcloud.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the fakes move forward, so that a migration of minutes takes no time in a test. */
final class MovableClock extends Clock {

    private Instant now = Instant.parse("2026-11-25T02:00:00Z");

    synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Each reading is a millisecond later, as a real clock is: an order of events that relies on equal times shows. */
    @Override
    public synchronized Instant instant() {
        now = now.plusMillis(1);
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
