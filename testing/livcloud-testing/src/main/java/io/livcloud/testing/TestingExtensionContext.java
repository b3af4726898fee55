package io.livcloud.testing;

import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.Secret;
import io.livcloud.spi.SecretStore;
import io.livcloud.spi.host.HostAccess;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The host services an extension sees, for its tests (Trino's {@code TestingConnectorContext} is the model): the
 * system clock or a fixed one, a logger and an event sink that record what the extension says, secrets in memory or a
 * store of the test's choosing, and a work folder when the test gives one. Thread-safe, since extensions log and emit
 * from their own threads. What the test does not give still throws {@link UnsupportedOperationException}, as the
 * SPI's defaults do, so a test notices an extension reaching for a service it did not expect.
 */
public final class TestingExtensionContext implements ExtensionContext {

    private final String pluginId;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private volatile Clock clock = Clock.systemUTC();
    private volatile SecretStore secrets = new MemorySecretStore();
    private volatile Path workDirectory;
    private final Map<String, HostAccess> hosts = new ConcurrentHashMap<>();

    public TestingExtensionContext(String pluginId) {
        this.pluginId = Objects.requireNonNull(pluginId, "pluginId is null");
    }

    /** This context with another clock (a fixed one, for events with known times). */
    public TestingExtensionContext withClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
        return this;
    }

    /** This context with another secret store (e.g. the core's file store, to check files and modes). */
    public TestingExtensionContext withSecrets(SecretStore secrets) {
        this.secrets = Objects.requireNonNull(secrets, "secrets is null");
        return this;
    }

    /** This context with a work folder (usually a {@code @TempDir}). */
    public TestingExtensionContext withWorkDirectory(Path workDirectory) {
        this.workDirectory = Objects.requireNonNull(workDirectory, "workDirectory is null");
        return this;
    }

    /** This context with a way to reach {@code hostName} of {@code siteName} (usually a {@link FakeHostAccess}). */
    public TestingExtensionContext withHostAccess(String siteName, String hostName, HostAccess access) {
        hosts.put(siteName + "/" + hostName, Objects.requireNonNull(access, "access is null"));
        return this;
    }

    @Override
    public HostAccess hostAccess(String siteName, String hostName) {
        HostAccess access = hosts.get(siteName + "/" + hostName);
        if (access == null) {
            throw new UnsupportedOperationException("hostAccess: this test gave none for host " + hostName
                    + " of site " + siteName + " (withHostAccess)");
        }
        return access;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public System.Logger logger(String name) {
        return new RecordingLogger(name);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public EventSink events() {
        return events::add;
    }

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    @Override
    public Path workDirectory() {
        if (workDirectory == null) {
            throw new UnsupportedOperationException("workDirectory: this test gave none (withWorkDirectory)");
        }
        return workDirectory;
    }

    /** Every event emitted so far, in order. */
    public List<Event> emitted() {
        return List.copyOf(events);
    }

    /** The events of this type, in order. */
    public List<Event> emitted(String type) {
        return events.stream().filter(event -> event.type().equals(type)).toList();
    }

    /** The types of the events emitted so far, in order. */
    public List<String> eventTypes() {
        return events.stream().map(Event::type).toList();
    }

    /** What was logged, as {@code LEVEL message} lines (the message unformatted), in order. */
    public List<String> logLines() {
        return List.copyOf(logLines);
    }

    private final class RecordingLogger implements System.Logger {

        private final String name;

        RecordingLogger(String name) {
            this.name = name;
        }

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
    }

    /** Secrets kept for the test's life only. */
    private static final class MemorySecretStore implements SecretStore {

        private final Map<String, Secret> secrets = new ConcurrentHashMap<>();

        @Override
        public Optional<Secret> get(String name) {
            return Optional.ofNullable(secrets.get(name));
        }

        @Override
        public void put(String name, Secret secret) {
            if (!name.matches("[a-z0-9.-]+")) {
                throw new IllegalArgumentException("secret name '" + name + "' is not lower case letters, digits, dots"
                        + " and dashes");
            }
            secrets.put(name, secret);
        }

        @Override
        public void delete(String name) {
            secrets.remove(name);
        }
    }
}
