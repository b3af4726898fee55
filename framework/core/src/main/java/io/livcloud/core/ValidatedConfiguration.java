package io.livcloud.core;

import io.livcloud.core.config.LivCloudConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The configuration with the started plugins' defaults merged in, and every problem found in it and in the plugins
 * it uses.
 *
 * @param config the merged configuration
 * @param stateDirectory where LivCloud keeps its state
 * @param pluginDirectories the plugin roots that were searched
 * @param problems every problem, one line each; empty when LivCloud may start
 */
public record ValidatedConfiguration(
        LivCloudConfig config,
        Path stateDirectory,
        List<Path> pluginDirectories,
        List<String> problems) {

    public ValidatedConfiguration {
        Objects.requireNonNull(config, "config is null");
        Objects.requireNonNull(stateDirectory, "stateDirectory is null");
        pluginDirectories = List.copyOf(pluginDirectories);
        problems = List.copyOf(problems);
    }
}
