package io.livcloud.testing.plugin;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.PluginState;
import io.livcloud.PluginStatus;
import io.livcloud.spi.ExtensionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * For a plugin module's integration test: loads the zip the module just built (the plugins parent passes its path as
 * the system property {@code test.plugin.zip}) into a real LivCloud runtime, as an installation's plugins folder does.
 */
public final class BuiltPluginZip {

    private BuiltPluginZip() {
    }

    /** Copies the built zip into {@code pluginsDirectory} and starts LivCloud on it; the caller closes it. */
    public static LivCloud start(Path pluginsDirectory, Path stateDirectory) throws IOException {
        return start(pluginsDirectory, stateDirectory, null);
    }

    /**
     * Like {@link #start(Path, Path)}, with {@code configText} (HOCON, e.g. the plugin's settings) layered over the
     * defaults as an application's inline configuration; {@code null} for none.
     */
    public static LivCloud start(Path pluginsDirectory, Path stateDirectory, String configText) throws IOException {
        Path builtZip = Path.of(requireNonNull(System.getProperty("test.plugin.zip"),
                "test.plugin.zip is not set: run this test with mvn verify, which builds the zip first"));
        Files.copy(builtZip, pluginsDirectory.resolve(builtZip.getFileName()));
        LivCloud.Builder builder = LivCloud.builder()
                .pluginsDirectory(pluginsDirectory)
                .stateDirectory(stateDirectory)
                .systemProperties(Map.of());
        if (configText != null) {
            builder.configText(configText);
        }
        return builder.build();
    }

    /** Asserts that the only plugin is {@code pluginId}, started, with exactly this one extension, and returns it. */
    public static ExtensionStatus onlyExtension(LivCloud livCloud, String pluginId, ExtensionKind kind, String name) {
        assertThat(livCloud.plugins()).hasSize(1);
        PluginStatus plugin = livCloud.plugins().get(0);
        assertThat(plugin.id()).isEqualTo(pluginId);
        assertThat(plugin.state()).as("state; failure: %s", plugin.failure()).isEqualTo(PluginState.STARTED);
        assertThat(plugin.extensions()).hasSize(1);
        ExtensionStatus extension = plugin.extensions().get(0);
        assertThat(extension.kind()).isEqualTo(kind);
        assertThat(extension.name()).isEqualTo(name);
        return extension;
    }
}
