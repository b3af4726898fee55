package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.testing.BuiltPluginZip;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. */
class AzurePluginZipIT {

    @Test
    void builtZipStartsWithTheAzureProvider(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "azure", ExtensionKind.PROVIDER, "azure");
            assertThat(extension.support().supported()).isFalse();
            assertThat(extension.support().reason())
                    .isEqualTo("the azure provider extension is not implemented in LivCloud 0.1.0 yet");
        }
    }
}
