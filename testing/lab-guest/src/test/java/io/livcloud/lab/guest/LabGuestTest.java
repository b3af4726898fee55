package io.livcloud.lab.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabGuestTest {

    @TempDir
    Path cache;

    @Test
    void theJarsSourcesAreExtractedOnceIntoADirectoryNamedByTheirContent() throws IOException {
        LabGuest.missingBuildPackages("x86_64", cache);
        LabGuest.missingBuildPackages("i686", cache);

        List<Path> extracted;
        try (Stream<Path> entries = Files.list(cache)) {
            extracted = entries.toList();
        }
        assertThat(extracted).singleElement().satisfies(directory -> {
            assertThat(directory.getFileName().toString()).matches("sources-[0-9a-f]{16}");
            for (String name : List.of("build-guest.sh", "init", "workload.c")) {
                assertThat(Files.readAllBytes(directory.resolve(name))).isEqualTo(resource(name));
            }
        });
    }

    @Test
    void onlyTheTwoLabArchitecturesAreBuilt() {
        assertThatThrownBy(() -> LabGuest.build("aarch64", cache))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("architecture is 'aarch64', expected one of [x86_64, i686]");
        assertThatThrownBy(() -> LabGuest.missingBuildPackages("i386", cache))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("architecture is 'i386', expected one of [x86_64, i686]");
    }

    @Test
    void theDefaultCacheIsSharedPerUser() {
        if (System.getenv("LIVCLOUD_LAB_CACHE") == null) {
            assertThat(LabGuest.defaultCacheDirectory())
                    .isEqualTo(Path.of(System.getProperty("user.home"), ".cache", "livcloud", "lab-guest"));
        }
    }

    private static byte[] resource(String name) {
        try (InputStream input = LabGuest.class.getResourceAsStream(name)) {
            assertThat(input).as(name).isNotNull();
            return input.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
