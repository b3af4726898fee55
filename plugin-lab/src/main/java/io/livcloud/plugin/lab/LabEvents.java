package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionContext;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Map;

/** What the lab tells people: log lines through the host's logger, and events for the CLI and embedding applications. */
final class LabEvents {

    static final String SOURCE = "provider/lab";

    private final System.Logger logger;
    private final EventSink events;
    private final Clock clock;

    LabEvents(System.Logger logger, EventSink events, Clock clock) {
        this.logger = requireNonNull(logger, "logger is null");
        this.events = requireNonNull(events, "events is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    static LabEvents of(ExtensionContext context) {
        return new LabEvents(context.logger("lab"), context.events(), context.clock());
    }

    /** A log line. */
    void info(String message) {
        logger.log(Level.INFO, message);
    }

    /** An event, also logged. */
    void emit(String type, String message, Map<String, String> attributes) {
        info(message);
        events.emit(new Event(clock.instant(), SOURCE, type, message, attributes));
    }
}
