package io.livcloud.core.plugin;

import io.livcloud.PluginState;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin the runtime found, started or not.
 *
 * @param id the plugin id, or the folder or zip name when the descriptor could not be read
 * @param version the version; empty when unknown
 * @param state whether it runs
 * @param path where it is installed (the zip for a zipped plugin)
 * @param description from the descriptor
 * @param failure why it failed; empty unless {@link PluginState#FAILED}
 * @param extensions its extensions; empty unless started
 * @param classLoader its class loader, to read its {@code reference.conf}; empty unless started
 */
public record InstalledPlugin(
        String id,
        String version,
        PluginState state,
        Path path,
        String description,
        Optional<String> failure,
        List<LoadedExtension> extensions,
        Optional<ClassLoader> classLoader) {

    public InstalledPlugin {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(version, "version is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(description, "description is null");
        Objects.requireNonNull(failure, "failure is null");
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(classLoader, "classLoader is null");
    }

    static InstalledPlugin failed(String id, String version, Path path, String description, String reason) {
        return new InstalledPlugin(id, version, PluginState.FAILED, path, description, Optional.of(reason), List.of(),
                Optional.empty());
    }

    InstalledPlugin asFailed(String reason) {
        return failed(id, version, path, description, reason);
    }
}
