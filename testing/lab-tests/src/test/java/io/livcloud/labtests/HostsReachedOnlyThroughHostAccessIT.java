package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloud;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/**
 * The tunnel, hypervisor and probe code cannot reach a host by being on its machine: no class of the strongswan and
 * kvm plugins as installed (their zips' own jars) nor of the core holds a namespace command or a local control socket,
 * so whatever they do at a site goes through that site's host access. Only the lab plugin, which plays the hosts, may.
 * Reads the classes' constant pools (string constants are stored there as UTF-8), so it fails on a literal added
 * anywhere in that code, not on comments.
 */
class HostsReachedOnlyThroughHostAccessIT {

    private static final List<String> LOCAL_ONLY = List.of("netns", "nsenter", "unix:///run", "/run/charon.vici");

    @Test
    void theTunnelHypervisorAndCoreCodeHoldNoNamespaceCommand() throws IOException {
        List<String> found = new ArrayList<>();
        for (String plugin : List.of("livcloud-plugin-strongswan", "livcloud-plugin-kvm")) {
            Path zip;
            try (var files = Files.list(TwoSiteLab.pluginsDirectory())) {
                zip = files.filter(file -> file.getFileName().toString().startsWith(plugin)).findFirst().orElseThrow();
            }
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    if (entry.getName().startsWith("lib/" + plugin)) {
                        scanJar(plugin, in, found);
                    }
                }
            }
        }
        Path core = Path.of(LivCloud.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        if (Files.isDirectory(core)) {
            try (var classes = Files.walk(core)) {
                for (Path file : classes.filter(path -> path.toString().endsWith(".class")).toList()) {
                    scanClass("core " + core.relativize(file), Files.readAllBytes(file), found);
                }
            }
        } else {
            try (InputStream in = Files.newInputStream(core)) {
                scanJar("core", in, found);
            }
        }
        assertThat(found).as("classes that reach this machine directly").isEmpty();
    }

    private static void scanJar(String owner, InputStream stream, List<String> found) throws IOException {
        JarInputStream jar = new JarInputStream(stream);
        int classes = 0;
        for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
            if (entry.getName().endsWith(".class")) {
                classes++;
                scanClass(owner + " " + entry.getName(), jar.readAllBytes(), found);
            }
        }
        assertThat(classes).as("classes in %s", owner).isPositive();
    }

    private static void scanClass(String name, byte[] bytes, List<String> found) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String literal : LOCAL_ONLY) {
            if (text.contains(literal)) {
                found.add(name + " holds '" + literal + "'");
            }
        }
    }
}
