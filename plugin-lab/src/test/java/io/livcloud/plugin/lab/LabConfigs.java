package io.livcloud.plugin.lab;

import io.livcloud.testing.FakeExtensionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The lab's configuration section for tests: reference.conf's defaults, on LivCloud's own test fake. */
final class LabConfigs {

    private LabConfigs() {
    }

    /** The reference.conf defaults with the directory given. */
    static FakeExtensionConfig withDirectory(Path directory) {
        return new FakeExtensionConfig("livcloud.extensions.provider.lab", LabConfig.SETTINGS, Map.of(
                LabConfig.DIRECTORY, directory,
                LabConfig.WAN_RATE, "",
                LabConfig.START_TIMEOUT, Duration.ofSeconds(30),
                LabConfig.INSTALL_PREREQUISITES, true));
    }
}
