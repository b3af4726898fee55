package io.livcloud.plugin.ec2;

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
class Ec2PluginZipIT {

    @Test
    void builtZipStartsWithTheEc2Provider(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "ec2", ExtensionKind.PROVIDER, "ec2");
            assertThat(extension.support().supported()).isTrue();
        }
    }
}
