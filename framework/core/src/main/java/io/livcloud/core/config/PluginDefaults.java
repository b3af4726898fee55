package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.livcloud.spi.ExtensionKind;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A plugin's {@code reference.conf} and the extensions the plugin provides; the plugin may set defaults only inside
 * {@code livcloud.extensions.<kind>.<name>} for those extensions.
 *
 * @param pluginId the plugin's id, named in problems and origins
 * @param reference the plugin's parsed {@code reference.conf}; resolved by the host if it is not yet
 * @param extensionNames the names of the plugin's extensions, by kind
 */
public record PluginDefaults(String pluginId, Config reference, Map<ExtensionKind, Set<String>> extensionNames) {

    public PluginDefaults {
        requireNonNull(pluginId, "pluginId is null");
        requireNonNull(reference, "reference is null");
        extensionNames = requireNonNull(extensionNames, "extensionNames is null").entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> Set.copyOf(entry.getValue())));
    }
}
