package io.livcloud.cli.migration;

import io.livcloud.engine.EngineEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/** Engine events as the JSON documents of {@code --output json}, one per line. */
public final class EventDocuments {

    private EventDocuments() {
    }

    static Map<String, Object> of(EngineEvent event) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("time", event.time().toString());
        document.put("migration", event.migrationId());
        document.put("type", event.type());
        document.put("phase", event.phase().name());
        document.put("message", event.message());
        if (!event.attributes().isEmpty()) {
            document.put("attributes", event.attributes());
        }
        event.progress().ifPresent(figures -> {
            Map<String, Object> progress = new LinkedHashMap<>();
            progress.put("attempt", figures.attempt());
            progress.put("attemptLabel", figures.attemptLabel());
            progress.put("iteration", figures.iteration());
            progress.put("elapsedMs", figures.elapsed().toMillis());
            progress.put("sentBytes", figures.sentBytes());
            progress.put("remainingBytes", figures.remainingBytes());
            progress.put("memoryBytes", figures.memoryBytes());
            progress.put("dirtyRateBytesPerSecond", figures.dirtyRateBytesPerSecond());
            progress.put("throughputBytesPerSecond", figures.throughputBytesPerSecond());
            document.put("progress", progress);
        });
        return document;
    }
}
