package io.livcloud.testing.plugin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a plugin zip's {@code lib/} holds, for the plugin's {@code *PluginZipIT}: the toolkit is bundled (its SSH library
 * only where the plugin uses the toolkit's SSH access), and nothing the host provides is.
 */
public final class ZipLibraries {

    private static final List<String> HOST_LIBRARIES = List.of("livcloud-spi-", "livcloud-core-", "pf4j-", "slf4j-");

    private ZipLibraries() {
    }

    /** The zip this module's build made, which failsafe names in {@code test.plugin.zip}. */
    public static Path builtZip() {
        String zip = System.getProperty("test.plugin.zip");
        if (zip == null) {
            throw new IllegalStateException("test.plugin.zip is not set: run this test with mvn verify, which builds"
                    + " the zip first");
        }
        return Path.of(zip);
    }

    /** The file names of the jars in the zip's {@code lib/}. */
    public static List<String> of(Path zip) {
        List<String> jars = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().toList()) {
                if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar")) {
                    jars.add(entry.getName().substring("lib/".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + zip, e);
        }
        return List.copyOf(jars);
    }

    /**
     * Asserts that the zip bundles the toolkit, with Apache MINA SSHD exactly when {@code withSsh}, and none of the
     * host's libraries.
     *
     * @throws AssertionError naming what is missing or should not be there
     */
    public static void assertToolkitBundled(Path zip, boolean withSsh) {
        List<String> jars = of(zip);
        List<String> problems = new ArrayList<>();
        if (jars.stream().noneMatch(jar -> jar.startsWith("livcloud-plugin-toolkit-"))) {
            problems.add("no livcloud-plugin-toolkit jar");
        }
        boolean ssh = jars.stream().anyMatch(jar -> jar.startsWith("sshd-"));
        if (ssh != withSsh) {
            problems.add(withSsh ? "no sshd jars, which the toolkit's SSH access needs" : "sshd jars, which this"
                    + " plugin does not use");
        }
        jars.stream().filter(jar -> HOST_LIBRARIES.stream().anyMatch(jar::startsWith))
                .forEach(jar -> problems.add(jar + ", which the host provides"));
        if (!problems.isEmpty()) {
            throw new AssertionError("lib/ of " + zip + " has " + String.join("; ", problems) + " (lib/: " + jars
                    + ")");
        }
    }
}
