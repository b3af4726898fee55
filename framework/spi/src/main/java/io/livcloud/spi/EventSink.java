package io.livcloud.spi;

/**
 * Receives {@link Event events} from extensions; given to them by {@link ExtensionContext#events()}. The host fans
 * events out to the CLI, the journal and embedding applications. Implementations are thread-safe and never block
 * the caller for long; an exception thrown by a listener never reaches the extension.
 */
@FunctionalInterface
public interface EventSink {

    /** Reports an event. */
    void emit(Event event);
}
