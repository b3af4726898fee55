package io.livcloud;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One installed plugin as the runtime found it.
 *
 * @param id the plugin id; for a plugin whose descriptor could not be read, the name of its folder or zip
 * @param version the plugin version; empty when the descriptor could not be read
 * @param state whether it runs
 * @param path where it was installed (the zip, for a zipped plugin)
 * @param description one line from the plugin's descriptor
 * @param extensions the extensions it provides (empty unless started)
 * @param failure why it failed, in one line naming the cause and the fix; empty unless {@link PluginState#FAILED}
 */
public record PluginStatus(
        String id,
        String version,
        PluginState state,
        Path path,
        String description,
        List<ExtensionStatus> extensions,
        Optional<String> failure) {

    public PluginStatus {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(version, "version is null");
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(description, "description is null");
        extensions = List.copyOf(extensions);
        Objects.requireNonNull(failure, "failure is null");
        if ((state == PluginState.FAILED) != failure.isPresent()) {
            throw new IllegalArgumentException("plugin '" + id + "': a failure goes with FAILED and only with FAILED");
        }
    }
}
