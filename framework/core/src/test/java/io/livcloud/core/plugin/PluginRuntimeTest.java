package io.livcloud.core.plugin;

import static io.livcloud.testing.TestPluginBuilder.plugin;
import static io.livcloud.testing.TestSources.hypervisorFactory;
import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.PluginState;
import io.livcloud.spi.ExtensionFactory;
import io.livcloud.spi.ExtensionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginRuntimeTest {

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @Test
    void loadsFolderAndZipPluginsWithTheirExtensions() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        plugin("beta").source("b.BetaFactory", hypervisorFactory("b", "BetaFactory", "beta")).buildZip(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(runtime.plugins()).extracting(InstalledPlugin::id, InstalledPlugin::state, InstalledPlugin::path)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("alpha", PluginState.STARTED, plugins.resolve("alpha")),
                            org.assertj.core.groups.Tuple.tuple("beta", PluginState.STARTED, plugins.resolve("beta.zip")));
            assertThat(runtime.extensions()).extracting(LoadedExtension::kind, LoadedExtension::name,
                            LoadedExtension::pluginId)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(ExtensionKind.HYPERVISOR, "alpha", "alpha"),
                            org.assertj.core.groups.Tuple.tuple(ExtensionKind.HYPERVISOR, "beta", "beta"));
            assertThat(runtime.problems()).isEmpty();
        }
    }

    @Test
    void corruptZipFailsAloneWithItsFileName() throws IOException {
        plugin("alpha").source("a.AlphaFactory", hypervisorFactory("a", "AlphaFactory", "alpha")).buildFolder(plugins);
        Files.write(plugins.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 'n', 'o', 't', ' ', 'a', ' ', 'z'});

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "broken")).isEqualTo("not a readable plugin zip (ZipException: zip END header "
                    + "not found); replace it with the plugin's release zip");
            assertThat(state(runtime, "alpha")).isEqualTo(PluginState.STARTED);
        }
    }

    @Test
    void missingDescriptorIsNamed() throws IOException {
        plugin("nameless").withoutDescriptor()
                .source("n.NamelessFactory", hypervisorFactory("n", "NamelessFactory", "nameless"))
                .buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "nameless")).isEqualTo("no plugin descriptor: plugin.properties is missing; "
                    + "a LivCloud plugin is a folder or zip with plugin.properties (plugin.id, plugin.version) and "
                    + "lib/*.jar");
        }
    }

    @Test
    void descriptorWithoutVersionIsNamed() throws IOException {
        plugin("unversioned").descriptor("plugin.version", null).buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "unversioned"))
                    .isEqualTo("plugin.properties has no plugin.version; add it (the plugins parent pom writes it for you)");
        }
    }

    @Test
    void requiresRangeTheCoreDoesNotSatisfy() throws IOException {
        plugin("future").descriptor("plugin.requires", ">=0.2.0")
                .source("f.FutureFactory", hypervisorFactory("f", "FutureFactory", "future"))
                .buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "future")).isEqualTo("requires LivCloud >=0.2.0 (plugin.requires), but this "
                    + "is LivCloud 0.1.0; install a build of the plugin made for LivCloud 0.1.0");
            assertThat(runtime.extensions()).isEmpty();
        }
    }

    @Test
    void requiresThatIsNoVersionRange() throws IOException {
        plugin("garbled").descriptor("plugin.requires", "banana").buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "garbled")).startsWith("plugin.requires 'banana' is not a version range (")
                    .endsWith("); write it like '>=0.1.0 & <0.2.0'");
        }
    }

    @Test
    void duplicateExtensionNamesFailBothPlugins() throws IOException {
        plugin("one").source("o.OneFactory", hypervisorFactory("o", "OneFactory", "kvm")).buildFolder(plugins);
        plugin("two").source("t.TwoFactory", hypervisorFactory("t", "TwoFactory", "kvm")).buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "one")).isEqualTo("hypervisor extension 'kvm' is also provided by plugin "
                    + "'two' (" + plugins.resolve("two") + "); remove one of the plugins");
            assertThat(failure(runtime, "two")).isEqualTo("hypervisor extension 'kvm' is also provided by plugin "
                    + "'one' (" + plugins.resolve("one") + "); remove one of the plugins");
            assertThat(runtime.extensions()).isEmpty();
        }
    }

    @Test
    void duplicatePluginIdsFailTheSecondCopy() throws IOException {
        plugin("twin").source("t.TwinFactory", hypervisorFactory("t", "TwinFactory", "twin")).buildFolder(plugins);
        plugin("twin").source("t.TwinFactory", hypervisorFactory("t", "TwinFactory", "twin")).buildZip(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(runtime.plugins()).extracting(InstalledPlugin::id, InstalledPlugin::state, InstalledPlugin::failure)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("twin", PluginState.STARTED, Optional.empty()),
                            org.assertj.core.groups.Tuple.tuple("twin", PluginState.FAILED, Optional.of(
                                    "plugin id 'twin' is already used by the plugin at " + plugins.resolve("twin")
                                            + "; remove one of the two")));
        }
    }

    @Test
    void pluginWhoseStartThrowsFailsWithTheReason() throws IOException {
        plugin("grumpy").descriptor("plugin.class", "g.GrumpyPlugin")
                .source("g.GrumpyPlugin", """
                        package g;
                        public class GrumpyPlugin extends org.pf4j.Plugin {
                            @Override
                            public void start() {
                                throw new IllegalStateException("grumpy refuses to start");
                            }
                        }
                        """)
                .source("g.GrumpyFactory", hypervisorFactory("g", "GrumpyFactory", "grumpy"))
                .buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "grumpy"))
                    .isEqualTo("failed to start: IllegalStateException: grumpy refuses to start");
        }
    }

    @Test
    void pluginClassThatIsMissing() throws IOException {
        plugin("ghost").descriptor("plugin.class", "g.NoSuchPlugin").buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "ghost")).isEqualTo("failed to start: ClassNotFoundException: g.NoSuchPlugin "
                    + "(a plugin sees only its own jars and the host's io.livcloud.spi, org.pf4j, org.slf4j; bundle "
                    + "other libraries in the plugin's lib/)");
        }
    }

    @Test
    void pluginsSeeTheSpiButNotTheHostsLibraries() throws IOException {
        // The factory's name reports what its class loader can see, so the assertion reads it back through the SPI.
        plugin("probe").source("p.ProbeFactory", hypervisorFactory("p", "ProbeFactory", "placeholder", """
                    private static String visible(String className) {
                        try {
                            Class.forName(className, false, ProbeFactory.class.getClassLoader());
                            return "sees";
                        } catch (ClassNotFoundException e) {
                            return "blind";
                        }
                    }

                    @Override
                    public String description() {
                        return "guice-" + visible("com.google.inject.Injector")
                                + " config-" + visible("com.typesafe.config.Config")
                                + " core-" + visible("io.livcloud.core.plugin.PluginRuntime")
                                + " spi-" + visible("io.livcloud.spi.ExtensionFactory")
                                + " slf4j-" + visible("org.slf4j.Logger");
                    }
                """)).buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            ExtensionFactory<?> factory = runtime.extensions().get(0).factory();
            assertThat(factory.description())
                    .isEqualTo("guice-blind config-blind core-blind spi-sees slf4j-sees");
        }
    }

    @Test
    void aBundledCopyOfTheSpiDoesNotShadowTheHosts() throws Exception {
        Path spiJar = Path.of(ExtensionFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path spi = spiJar.toString().endsWith(".jar") ? spiJar : jarOf(spiJar);
        plugin("bundler").bundle(spi)
                .source("b.BundlerFactory", hypervisorFactory("b", "BundlerFactory", "bundler"))
                .buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(state(runtime, "bundler")).isEqualTo(PluginState.STARTED);
            assertThat(runtime.extensions().get(0).factory()).isInstanceOf(ExtensionFactory.class);
        }
    }

    @Test
    void extensionWithAnInvalidNameFailsItsPlugin() throws IOException {
        plugin("shouty").source("s.ShoutyFactory", hypervisorFactory("s", "ShoutyFactory", "Shouty_Name"))
                .buildFolder(plugins);

        try (PluginRuntime runtime = start()) {
            assertThat(failure(runtime, "shouty")).isEqualTo("extension s.ShoutyFactory cannot be created: "
                    + "IllegalStateException: its name 'Shouty_Name' is not lower case letters, digits and dashes "
                    + "starting with a letter");
        }
    }

    @Test
    void disabledPluginIsNotLoaded() throws IOException {
        plugin("sleepy").source("s.SleepyFactory", hypervisorFactory("s", "SleepyFactory", "sleepy"))
                .buildFolder(plugins);

        try (PluginRuntime runtime = PluginRuntime.start(List.of(plugins), state, Set.of("sleepy"), "0.1.0")) {
            assertThat(state(runtime, "sleepy")).isEqualTo(PluginState.DISABLED);
            assertThat(runtime.extensions()).isEmpty();
        }
    }

    @Test
    void missingPluginsRootIsAProblemNotACrash() {
        Path missing = plugins.resolve("nowhere");
        try (PluginRuntime runtime = PluginRuntime.start(List.of(missing), state, Set.of(), "0.1.0")) {
            assertThat(runtime.plugins()).isEmpty();
            assertThat(runtime.problems()).containsExactly("plugins directory " + missing + " does not exist or is "
                    + "not a directory; create it or correct livcloud.plugins.directories (or --plugins-dir)");
        }
    }

    @Test
    void zipsAreExpandedOutsideThePluginsRootAndReusedByContent() throws IOException {
        plugin("beta").source("b.BetaFactory", hypervisorFactory("b", "BetaFactory", "beta")).buildZip(plugins);
        try (PluginRuntime first = start()) {
            assertThat(state(first, "beta")).isEqualTo(PluginState.STARTED);
        }
        try (PluginRuntime second = start()) {
            assertThat(state(second, "beta")).isEqualTo(PluginState.STARTED);
        }
        try (var listing = Files.list(plugins)) {
            assertThat(listing).containsExactly(plugins.resolve("beta.zip"));
        }
        try (var listing = Files.list(state)) {
            assertThat(listing).hasSize(1);
        }
    }

    private PluginRuntime start() {
        return PluginRuntime.start(List.of(plugins), state, Set.of(), "0.1.0");
    }

    private static String failure(PluginRuntime runtime, String id) {
        InstalledPlugin plugin = find(runtime, id);
        assertThat(plugin.state()).as("state of " + id).isEqualTo(PluginState.FAILED);
        return plugin.failure().orElseThrow();
    }

    private static PluginState state(PluginRuntime runtime, String id) {
        return find(runtime, id).state();
    }

    private static InstalledPlugin find(PluginRuntime runtime, String id) {
        return runtime.plugins().stream().filter(plugin -> plugin.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no plugin " + id + " in " + runtime.plugins()));
    }

    private static Path jarOf(Path classesFolder) throws IOException {
        Path jar = Files.createTempFile("spi-copy-", ".jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                var files = Files.walk(classesFolder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new java.util.jar.JarEntry(classesFolder.relativize(file).toString()));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }
}
