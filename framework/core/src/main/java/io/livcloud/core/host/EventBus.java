package io.livcloud.core.host;

import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans extension events out to the listeners the CLI and embedding applications register. Delivery is synchronous
 * and in registration order; a listener that throws is logged and skipped, never the extension's problem.
 */
public final class EventBus implements EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

    /** Registers a listener for all later events. */
    public void subscribe(Consumer<Event> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener is null"));
    }

    @Override
    public void emit(Event event) {
        Objects.requireNonNull(event, "event is null");
        for (Consumer<Event> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed on {}: {}", listener, event.type(), e.toString());
            }
        }
    }
}
