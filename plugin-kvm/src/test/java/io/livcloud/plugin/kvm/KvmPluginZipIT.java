package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.PluginState;
import io.livcloud.PluginStatus;
import io.livcloud.testing.plugin.ZipLibraries;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.plugin.BuiltPluginZip;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. */
class KvmPluginZipIT {

    /** Where Debian's libvirt0 puts the client library. */
    static final Path LIBVIRT_SO = Path.of("/usr/lib/x86_64-linux-gnu/libvirt.so.0");

    @Test
    void builtZipStartsWithTheKvmHypervisorAndTheHostProbeSupportedWhereLibvirtIsInstalled(
            @TempDir Path pluginsDirectory, @TempDir Path stateDirectory) throws IOException {
        Prerequisites.require(Files.exists(LIBVIRT_SO), "libvirt0 is not installed (no " + LIBVIRT_SO
                + "): apt-get install libvirt0");
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            // Two extensions, so BuiltPluginZip.onlyExtension (one plugin, one extension) does not apply.
            assertThat(livCloud.plugins()).hasSize(1);
            PluginStatus plugin = livCloud.plugins().get(0);
            assertThat(plugin.id()).isEqualTo("kvm");
            assertThat(plugin.state()).as("state; failure: %s", plugin.failure()).isEqualTo(PluginState.STARTED);
            assertThat(plugin.extensions())
                    .extracting(ExtensionStatus::kind, ExtensionStatus::name)
                    .containsExactlyInAnyOrder(
                            Tuple.tuple(ExtensionKind.HYPERVISOR, "kvm"),
                            Tuple.tuple(ExtensionKind.REGISTER_PROBE, "host"));
            for (ExtensionStatus extension : plugin.extensions()) {
                assertThat(extension.support().supported())
                        .as("%s %s inside the plugin's class loader: %s", extension.kind(), extension.name(),
                                extension.support())
                        .isTrue();
            }
        }
    }

    @Test
    void zipBringsTheToolkitWithoutItsSshPartOrTheHostsLibraries() {
        ZipLibraries.assertToolkitBundled(ZipLibraries.builtZip(), false);
    }
}
