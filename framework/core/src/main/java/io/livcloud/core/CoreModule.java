package io.livcloud.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.livcloud.LivCloudVersion;
import io.livcloud.core.config.LivCloudConfig;
import io.livcloud.core.host.EventBus;
import io.livcloud.core.plugin.PluginRuntime;
import io.livcloud.spi.EventSink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Wires the core: configuration, the plugin runtime, host services and the extension catalog. Plugins never see this
 * injector; they get only their {@link io.livcloud.spi.ExtensionContext}.
 */
public final class CoreModule extends AbstractModule {

    private final LivCloudOptions options;

    public CoreModule(LivCloudOptions options) {
        this.options = options;
    }

    @Override
    protected void configure() {
        bind(LivCloudOptions.class).toInstance(options);
        bind(Clock.class).toInstance(options.clock());
        bind(EventBus.class).in(Singleton.class);
        bind(EventSink.class).to(EventBus.class);
    }

    @Provides
    @Singleton
    LivCloudConfig loadConfiguration(LivCloudOptions options) {
        return LivCloudConfig.load(options.configSources());
    }

    @Provides
    @Singleton
    StartedPlugins startPlugins(LivCloudOptions options, LivCloudConfig config) {
        Path stateDirectory = options.stateDirectory().orElse(config.stateDirectory());
        List<Path> roots = pluginRoots(options, config);
        PluginRuntime runtime = PluginRuntime.start(roots, stateDirectory.resolve("expanded-plugins"),
                config.disabledPlugins(), LivCloudVersion.spiVersion());
        return new StartedPlugins(runtime, ConfigurationValidator.validate(config, runtime, stateDirectory, roots));
    }

    @Provides
    @Singleton
    ExtensionCatalog extensionCatalog(StartedPlugins started, Clock clock, EventBus events) {
        return new ExtensionCatalog(started.runtime(), started.configuration(), clock, events);
    }

    @Provides
    @Singleton
    SiteCatalog siteCatalog(StartedPlugins started, ExtensionCatalog extensions) {
        return new SiteCatalog(started.configuration(), started.runtime(), extensions);
    }

    @Provides
    @Singleton
    EngineFactory engineFactory(StartedPlugins started, SiteCatalog sites, SiteTunnels tunnels,
            ExtensionCatalog extensions, Clock clock) {
        return new EngineFactory(started.configuration(), sites, tunnels, extensions, clock,
                new io.livcloud.engine.report.HtmlJsonReportWriter());
    }

    @Provides
    @Singleton
    SiteTunnels siteTunnels(StartedPlugins started, SiteCatalog sites, ExtensionCatalog extensions) {
        return new SiteTunnels(started.configuration(), sites, extensions);
    }

    /** Explicit roots win; then configuration; then the installation's own plugins folder. */
    private static List<Path> pluginRoots(LivCloudOptions options, LivCloudConfig config) {
        if (!options.pluginDirectories().isEmpty()) {
            return options.pluginDirectories();
        }
        if (!config.pluginDirectories().isEmpty()) {
            return config.pluginDirectories();
        }
        return options.home().map(home -> List.of(home.resolve("plugins"))).orElse(List.of());
    }

    /** The plugin runtime with the configuration validated against it; closed when LivCloud closes. */
    public record StartedPlugins(PluginRuntime runtime, ValidatedConfiguration configuration) {
    }
}
