package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.testing.BuiltPluginZip;
import io.livcloud.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. */
class KvmPluginZipIT {

    /** Where Debian's libvirt0 puts the client library. */
    static final Path LIBVIRT_SO = Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0");

    @Test
    void builtZipStartsWithTheKvmHypervisorSupportedWhereLibvirtIsInstalled(@TempDir Path pluginsDirectory,
            @TempDir Path stateDirectory) throws IOException {
        Prerequisites.require(Files.exists(LIBVIRT_SO), "libvirt0 is not installed (no " + LIBVIRT_SO
                + "): apt-get install libvirt0");
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "kvm", ExtensionKind.HYPERVISOR, "kvm");
            assertThat(extension.support().supported())
                    .as("libvirt.so.0 loads through JNA inside the plugin's class loader: %s", extension.support())
                    .isTrue();
        }
    }
}
