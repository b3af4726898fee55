package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloud;
import io.livcloud.PluginState;
import io.livcloud.spi.ExtensionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. */
class AzurePluginZipIT {

    @Test
    void builtZipStartsWithTheAzureProvider(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        Path builtZip = Path.of(requireNonNull(System.getProperty("test.plugin.zip"),
                "test.plugin.zip is not set: run this test with mvn verify, which builds the zip first"));
        Files.copy(builtZip, pluginsDirectory.resolve(builtZip.getFileName()));

        try (LivCloud livCloud = LivCloud.builder()
                .pluginsDirectory(pluginsDirectory)
                .stateDirectory(stateDirectory)
                .build()) {
            assertThat(livCloud.plugins()).singleElement().satisfies(plugin -> {
                assertThat(plugin.id()).isEqualTo("azure");
                assertThat(plugin.state()).as("state; failure: %s", plugin.failure()).isEqualTo(PluginState.STARTED);
                assertThat(plugin.extensions()).singleElement().satisfies(extension -> {
                    assertThat(extension.kind()).isEqualTo(ExtensionKind.PROVIDER);
                    assertThat(extension.name()).isEqualTo("azure");
                    assertThat(extension.support().supported()).isFalse();
                    assertThat(extension.support().reason()).contains("not implemented");
                });
            });
        }
    }
}
