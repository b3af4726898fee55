package io.livcloud.testing.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipLibrariesTest {

    @TempDir
    Path directory;

    private Path zip(String... entries) throws IOException {
        Path zip = directory.resolve("plugin.zip");
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                out.closeEntry();
            }
        }
        return zip;
    }

    @Test
    void listsTheJarsInLib() throws IOException {
        Path zip = zip("plugin.properties", "lib/", "lib/livcloud-plugin-toolkit-0.1.0.jar", "lib/jna-5.19.1.jar");

        assertThat(ZipLibraries.of(zip)).containsExactly("livcloud-plugin-toolkit-0.1.0.jar", "jna-5.19.1.jar");
        ZipLibraries.assertToolkitBundled(zip, false);
    }

    @Test
    void namesWhatIsMissingOrShouldNotBeThere() throws IOException {
        Path zip = zip("lib/sshd-core-2.17.1.jar", "lib/slf4j-api-2.0.17.jar");

        assertThatThrownBy(() -> ZipLibraries.assertToolkitBundled(zip, false)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no livcloud-plugin-toolkit jar; sshd jars, which this plugin does not use;"
                        + " slf4j-api-2.0.17.jar, which the host provides");
        assertThatThrownBy(() -> ZipLibraries.assertToolkitBundled(zip("lib/livcloud-plugin-toolkit-0.1.0.jar"),
                true)).hasMessageContaining("no sshd jars, which the toolkit's SSH access needs");
    }
}
