package io.livcloud.plugin.kvm;

import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionContext;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The host services the kvm extension uses: the system clock, a logger and an event list to assert on. */
final class TestContext implements ExtensionContext {

    final List<Event> events = new CopyOnWriteArrayList<>();

    @Override
    public String pluginId() {
        return "kvm";
    }

    @Override
    public System.Logger logger(String name) {
        return System.getLogger(name);
    }

    @Override
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public EventSink events() {
        return events::add;
    }

    /** The events of this type, in order. */
    List<Event> events(String type) {
        return events.stream().filter(event -> event.type().equals(type)).toList();
    }
}
