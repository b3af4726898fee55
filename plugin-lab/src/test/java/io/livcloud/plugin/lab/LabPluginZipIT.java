package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.testing.plugin.ZipLibraries;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.testing.plugin.BuiltPluginZip;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does. */
class LabPluginZipIT {

    @Test
    void builtZipStartsWithTheLabProvider(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "lab", ExtensionKind.PROVIDER, "lab");
            assertThat(extension.description()).startsWith("Sites on this machine");
            // Supported or not depends on this machine; either way the answer says why.
            assertThat(extension.support().supported() || extension.support().reason().startsWith("the lab needs"))
                    .as("support: %s", extension.support()).isTrue();
        }
    }

    @Test
    void builtZipCarriesThePrerequisitesInstaller() throws IOException {
        Path zip = Path.of(System.getProperty("test.plugin.zip"));
        boolean found = false;
        try (ZipFile plugin = new ZipFile(zip.toFile())) {
            ZipEntry jar = plugin.stream()
                    .filter(entry -> entry.getName().matches("lib/livcloud-plugin-lab-.*\\.jar"))
                    .findFirst().orElseThrow();
            try (ZipInputStream classes = new ZipInputStream(plugin.getInputStream(jar))) {
                for (ZipEntry entry = classes.getNextEntry(); entry != null; entry = classes.getNextEntry()) {
                    found |= entry.getName().equals("io/livcloud/plugin/lab/install-lab-prerequisites.sh");
                }
            }
        }
        assertThat(found).as("the installer in the plugin's jar").isTrue();
    }

    @Test
    void zipBringsTheToolkitWithItsSshPartForSshModeButNotTheHostsLibraries() {
        ZipLibraries.assertToolkitBundled(ZipLibraries.builtZip(), true);
    }
}
