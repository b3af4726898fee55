package io.livcloud.plugin.lab;

import io.livcloud.testing.plugin.ReferenceConf;
import io.livcloud.testing.FakeExtensionConfig;
import java.nio.file.Path;

/** The lab's configuration section for tests: reference.conf's defaults, on LivCloud's own test fake. */
final class LabConfigs {

    private LabConfigs() {
    }

    /** The reference.conf defaults with the directory given. */
    static FakeExtensionConfig withDirectory(Path directory) {
        return ReferenceConf.defaults(new LabCloudProviderFactory()).with(LabConfig.DIRECTORY.key(), directory);
    }
}
