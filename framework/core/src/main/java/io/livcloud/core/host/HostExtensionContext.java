package io.livcloud.core.host;

import io.livcloud.spi.EventSink;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.SecretStore;
import io.livcloud.spi.host.HostAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Objects;

/**
 * The host's {@link ExtensionContext}: one per plugin, so secrets and work folders are scoped to the plugin that owns
 * them ({@code <state>/plugins/<id>/secrets}, {@code <state>/plugins/<id>/work}).
 */
public final class HostExtensionContext implements ExtensionContext {

    private final String pluginId;
    private final Clock clock;
    private final EventSink events;
    private final Path pluginStateDirectory;
    private final SecretStore secrets;
    private final HostAccesses hosts;

    public HostExtensionContext(String pluginId, Clock clock, EventSink events, Path stateDirectory,
            HostAccesses hosts) {
        this.pluginId = Objects.requireNonNull(pluginId, "pluginId is null");
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.events = Objects.requireNonNull(events, "events is null");
        this.pluginStateDirectory = stateDirectory.resolve("plugins").resolve(pluginId);
        this.secrets = new FileSecretStore(pluginStateDirectory.resolve("secrets"));
        this.hosts = Objects.requireNonNull(hosts, "hosts is null");
    }

    @Override
    public HostAccess hostAccess(String siteName, String hostName) {
        return hosts.require(siteName, hostName);
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public System.Logger logger(String name) {
        // The JDK's System.Logger is routed to SLF4J by slf4j-jdk-platform-logging where the host ships it.
        return System.getLogger(pluginId + "." + name);
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public SecretStore secrets() {
        return secrets;
    }

    @Override
    public Path workDirectory() {
        Path work = pluginStateDirectory.resolve("work");
        try {
            if (!Files.isDirectory(work)) {
                Files.createDirectories(work, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work folder " + work + " of plugin " + pluginId, e);
        }
    }
}
