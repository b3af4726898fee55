package io.livcloud.plugin.lab;

import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;

/** The host services the lab uses, recording what it logs and emits. */
final class RecordingContext implements ExtensionContext {

    final List<String> logLines = new ArrayList<>();
    final List<Event> events = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Override
    public System.Logger logger(String name) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
                logLines.add(level + " " + message);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... parameters) {
                logLines.add(level + " " + format);
            }
        };
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public EventSink events() {
        return events::add;
    }

    LabEvents labEvents() {
        return LabEvents.of(this);
    }

    List<String> eventTypes() {
        return events.stream().map(Event::type).toList();
    }
}
