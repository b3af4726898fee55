package io.livcloud.core;

import io.livcloud.core.config.ConfigSources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the embedding application or the CLI decided before startup; the rest comes from configuration.
 *
 * @param configSources where configuration comes from
 * @param pluginDirectories plugin roots that replace {@code livcloud.plugins.directories}; empty to use configuration
 * @param stateDirectory replaces {@code livcloud.state-directory}
 * @param home the installation folder ({@code <home>/plugins} is the default plugin root)
 * @param clock the clock extensions get
 */
public record LivCloudOptions(
        ConfigSources configSources,
        List<Path> pluginDirectories,
        Optional<Path> stateDirectory,
        Optional<Path> home,
        Clock clock) {

    public LivCloudOptions {
        Objects.requireNonNull(configSources, "configSources is null");
        pluginDirectories = List.copyOf(pluginDirectories);
        Objects.requireNonNull(stateDirectory, "stateDirectory is null");
        Objects.requireNonNull(home, "home is null");
        Objects.requireNonNull(clock, "clock is null");
    }
}
