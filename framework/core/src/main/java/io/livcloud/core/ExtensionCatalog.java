package io.livcloud.core;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloudException;
import io.livcloud.PluginState;
import io.livcloud.PluginStatus;
import io.livcloud.core.config.SiteDefinition;
import io.livcloud.core.config.Suggestions;
import io.livcloud.core.host.EventBus;
import io.livcloud.core.host.HostAccessErrorCode;
import io.livcloud.core.host.HostAccesses;
import io.livcloud.core.host.HostExtensionContext;
import io.livcloud.core.plugin.InstalledPlugin;
import io.livcloud.core.plugin.LoadedExtension;
import io.livcloud.core.plugin.PluginRuntime;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.ExtensionFactory;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The started extensions, ready to be asked whether they work here and to create their objects with their validated
 * configuration and their plugin's context.
 */
public final class ExtensionCatalog {

    private final PluginRuntime runtime;
    private final ValidatedConfiguration configuration;
    private final Clock clock;
    private final EventBus events;
    private final HostAccesses hosts;

    ExtensionCatalog(PluginRuntime runtime, ValidatedConfiguration configuration, Clock clock, EventBus events) {
        this.runtime = runtime;
        this.configuration = configuration;
        this.clock = clock;
        this.events = events;
        this.hosts = new HostAccesses(this::providerOf, provider -> create(ExtensionKind.PROVIDER, provider,
                CloudProvider.class));
    }

    /** The ways to reach the configured sites' hosts, shared by every extension and the engine. */
    public HostAccesses hosts() {
        return hosts;
    }

    /** Closes the host accesses and the providers that gave them; LivCloud calls it as it closes. */
    public void close() {
        hosts.close();
    }

    private String providerOf(String siteName) {
        SiteDefinition site = configuration.config().sites().get(siteName);
        if (site == null) {
            throw new ExtensionException(HostAccessErrorCode.HOST_UNKNOWN, "no site named '" + siteName
                    + "' in livcloud.sites", "declare it, e.g. livcloud.sites." + siteName + " { provider = lab }");
        }
        return site.provider();
    }

    /** Every plugin with its extensions' support on this machine. */
    public List<PluginStatus> plugins() {
        List<PluginStatus> statuses = new ArrayList<>();
        for (InstalledPlugin plugin : runtime.plugins()) {
            List<ExtensionStatus> extensions = new ArrayList<>();
            if (plugin.state() == PluginState.STARTED) {
                for (LoadedExtension extension : plugin.extensions()) {
                    extensions.add(new ExtensionStatus(extension.kind(), extension.name(),
                            extension.factory().description(), support(extension)));
                }
            }
            statuses.add(new PluginStatus(plugin.id(), plugin.version(), plugin.state(), plugin.path(),
                    plugin.description(), extensions, plugin.failure()));
        }
        return statuses;
    }

    /**
     * Creates the named extension's object.
     *
     * @throws LivCloudException if there is no such extension, it cannot work here, or its plugin fails to create it
     */
    public <T extends AutoCloseable> T create(ExtensionKind kind, String name, Class<T> type) {
        LoadedExtension extension = find(kind, name);
        Support support = support(extension);
        if (!support.supported()) {
            throw new LivCloudException(kind.configName() + " extension '" + name + "' cannot work here: "
                    + support.reason(), support.remedy());
        }
        ExtensionContext context = new HostExtensionContext(extension.pluginId(), clock, events,
                configuration.stateDirectory(), hosts);
        Object created;
        try {
            created = inPluginContext(extension, () -> extension.factory().create(config(extension), context));
        } catch (ExtensionException e) {
            throw new LivCloudException(kind.configName() + " extension '" + name + "' (plugin '"
                    + extension.pluginId() + "') [" + e.errorCode().code() + "]: " + e.getMessage(), e.remedy(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new LivCloudException(kind.configName() + " extension '" + name + "' (plugin '"
                    + extension.pluginId() + "') failed to start: " + e, "report this to the plugin's authors", e);
        }
        if (!type.isInstance(created)) {
            throw new LivCloudException(kind.configName() + " extension '" + name + "' created a "
                    + (created == null ? "null" : created.getClass().getName()) + ", not a " + type.getName(),
                    "report this to the plugin's authors");
        }
        return type.cast(created);
    }

    private LoadedExtension find(ExtensionKind kind, String name) {
        List<LoadedExtension> ofKind = runtime.extensions().stream()
                .filter(extension -> extension.kind() == kind)
                .toList();
        Optional<LoadedExtension> match = ofKind.stream().filter(extension -> extension.name().equals(name))
                .findFirst();
        if (match.isPresent()) {
            return match.get();
        }
        List<String> names = ofKind.stream().map(LoadedExtension::name).sorted().toList();
        String hint = Suggestions.closest(name, names).map(closest -> "did you mean '" + closest + "'?")
                .orElse(names.isEmpty() ? "no started plugin provides a " + kind.configName() + " extension"
                        : "installed: " + String.join(", ", names));
        throw new LivCloudException("no " + kind.configName() + " extension named '" + name + "'; " + hint,
                "run 'livcloud plugins' to see what is installed and why a plugin failed");
    }

    private Support support(LoadedExtension extension) {
        try {
            return inPluginContext(extension, () -> extension.factory().isSupported(config(extension)));
        } catch (RuntimeException | LinkageError e) {
            return Support.no("its support check failed: " + e, "report this to the plugin's authors");
        }
    }

    private ExtensionConfig config(LoadedExtension extension) {
        return configuration.config().extensionConfig(extension.kind(), extension.name(), extension.settings());
    }

    /**
     * Runs plugin code with the plugin's class loader as the thread's context class loader: cloud SDKs find their
     * HTTP clients and codecs through it, and must find the plugin's own, not the host's.
     */
    private static <R> R inPluginContext(LoadedExtension extension, Supplier<R> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        ExtensionFactory<?> factory = extension.factory();
        thread.setContextClassLoader(factory.getClass().getClassLoader());
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
