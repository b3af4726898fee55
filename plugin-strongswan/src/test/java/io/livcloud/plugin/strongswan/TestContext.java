package io.livcloud.plugin.strongswan;

import io.livcloud.core.host.FileSecretStore;
import io.livcloud.spi.Event;
import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.SecretStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The host services the strongswan extension uses: a real secret store and work folder, and recorded events. */
final class TestContext implements ExtensionContext {

    final List<Event> events = new CopyOnWriteArrayList<>();
    private final Path directory;
    private final FileSecretStore secrets;

    TestContext(Path directory) {
        this.directory = directory;
        this.secrets = new FileSecretStore(directory.resolve("secrets"));
    }

    @Override
    public String pluginId() {
        return "strongswan";
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

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    @Override
    public Path workDirectory() {
        return directory.resolve("work");
    }

    Path secretsDirectory() {
        return directory.resolve("secrets");
    }
}
