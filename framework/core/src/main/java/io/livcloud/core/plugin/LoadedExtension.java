package io.livcloud.core.plugin;

import io.livcloud.spi.ExtensionFactory;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import java.util.List;
import java.util.Objects;

/**
 * An extension factory found in a started plugin, with what the host read from it once at startup.
 *
 * @param kind its extension point
 * @param name its configuration name
 * @param pluginId the plugin it comes from
 * @param factory the factory instance (one per runtime: PF4J would make a new one per lookup)
 * @param settings what it declared in {@link ExtensionFactory#settings()}
 * @param siteSettings for providers, what it declared for site sections; empty otherwise
 */
public record LoadedExtension(
        ExtensionKind kind,
        String name,
        String pluginId,
        ExtensionFactory<?> factory,
        List<Setting> settings,
        List<Setting> siteSettings) {

    public LoadedExtension {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(pluginId, "pluginId is null");
        Objects.requireNonNull(factory, "factory is null");
        settings = List.copyOf(settings);
        siteSettings = List.copyOf(siteSettings);
    }
}
