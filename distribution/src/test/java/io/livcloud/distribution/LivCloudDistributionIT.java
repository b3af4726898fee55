package io.livcloud.distribution;

import static io.livcloud.distribution.Installation.assertSucceeds;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.distribution.Installation.Result;
import io.livcloud.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unpacks the real installation archive with {@code tar}, as a user would, and runs its launcher in a child process.
 * The archive and the example plugin's zip come from the build (see the failsafe configuration in pom.xml).
 */
class LivCloudDistributionIT {

    private static final String VERSION = Installation.VERSION;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path unpacked;

    private static Installation installation;
    private static Path home;

    @BeforeAll
    static void unpackTheArchive() throws Exception {
        installation = Installation.unpack(unpacked);
        home = installation.home();
    }

    @Test
    void archiveHasTheInstallationLayout() {
        assertThat(home.resolve("bin/livcloud")).isExecutable();
        assertThat(home.resolve("conf/livcloud.conf")).content()
                .contains("hypervisor = kvm")
                .contains("tunnel = strongswan");
        assertThat(home.resolve("lib").toFile().list()).anyMatch(jar -> jar.startsWith("livcloud-cli-"));
        for (String plugin : List.of("kvm", "strongswan", "ec2", "azure", "lab")) {
            assertThat(home.resolve("plugins/" + plugin + "/plugin.properties")).content()
                    .contains("plugin.id=" + plugin);
            assertThat(home.resolve("plugins/" + plugin + "/lib/livcloud-plugin-" + plugin + "-" + VERSION + ".jar"))
                    .isRegularFile();
        }
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Result result = livcloud("--version");

        assertThat(result.exitCode()).as(result.errors()).isZero();
        assertThat(result.output().lines().findFirst()).hasValue("livcloud " + VERSION);
    }

    @Test
    void launcherFindsJavaOnThePathWithoutJavaHome() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        Result result = installation.run(List.of(home.resolve("bin/livcloud").toString(), "--version"),
                Map.of("JAVA_HOME", "", "PATH", javaBin + ":/usr/bin:/bin"));

        assertThat(result.exitCode()).as(result.errors()).isZero();
        assertThat(result.output().lines().findFirst()).hasValue("livcloud " + VERSION);
    }

    @Test
    void launcherRefusesJavaOlderThan17(@TempDir Path oldJava) throws Exception {
        // A stand-in JDK 11: its release file is what the launcher reads, and its java would fail if it were run.
        Files.writeString(oldJava.resolve("release"), "JAVA_VERSION=\"11.0.22\"\n");
        Path java = Files.createDirectories(oldJava.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\necho 'the launcher must not run an old java' >&2\nexit 99\n");
        assertThat(java.toFile().setExecutable(true)).isTrue();

        Result result = installation.run(List.of(home.resolve("bin/livcloud").toString(), "--version"),
                Map.of("JAVA_HOME", oldJava.toString()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors())
                .isEqualTo("livcloud: LivCloud needs Java 17 or later, but " + java
                        + " is Java 11; set JAVA_HOME to a newer one\n");
    }

    @Test
    void bundledPluginsStartAndConfigurationChecksOut() throws Exception {
        JsonNode plugins = pluginsAsJson();

        assertThat(plugins.get("problems")).as("problems in %s", plugins).isNotNull().isEmpty();
        assertThat(plugins.path("plugins").findValuesAsText("id"))
                .containsExactlyInAnyOrder("kvm", "strongswan", "ec2", "azure", "lab");
        assertStarted(plugins, "kvm", "hypervisor", "kvm");
        assertStarted(plugins, "kvm", "register-probe", "host");
        assertStarted(plugins, "strongswan", "tunnel", "strongswan");
        assertStarted(plugins, "ec2", "provider", "ec2");
        assertStarted(plugins, "azure", "provider", "azure");
        assertStarted(plugins, "lab", "provider", "lab");

        Result check = livcloud("config", "check");
        assertThat(check.exitCode()).as("config check: %s%s", check.output(), check.errors()).isZero();
    }

    /** A copy of the installation, so that adding a plugin does not change what the other tests see. */
    @Test
    void aThirdPartyPluginZipDroppedIntoPluginsIsStarted(@TempDir Path copy) throws Exception {
        Result cp = installation.run(List.of("cp", "-R", home + "/.", copy.toString()), Map.of());
        assertThat(cp.exitCode()).as(cp.errors()).isZero();
        Path exampleZip = Path.of(requireNonNull(System.getProperty("test.example-plugin.zip"),
                "test.example-plugin.zip is not set: run this test with mvn verify"));
        Files.copy(exampleZip, copy.resolve("plugins").resolve(exampleZip.getFileName()));

        JsonNode plugins = pluginsAsJson(copy);

        assertThat(plugins.path("plugins").findValuesAsText("id"))
                .containsExactlyInAnyOrder("kvm", "strongswan", "ec2", "azure", "lab", "static-sites");
        JsonNode staticProvider = assertStarted(plugins, "static-sites", "provider", "static");
        assertThat(staticProvider.path("supported").asBoolean()).as("supported: %s", staticProvider).isTrue();
    }

    /**
     * The tunnel commands between the two lab sites, through the installed launcher: up (with a traffic check), status
     * as JSON, the throughput bench, down; and the lab leaves nothing behind.
     */
    @Test
    void tunnelCommandsWorkBetweenTheLabSites(@TempDir Path work) throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("iperf3", "iperf3");
        Path config = Files.writeString(work.resolve("livcloud.conf"), ""
                + "livcloud.migration.tunnel = strongswan\n"
                + "livcloud.sites { a { provider = lab }, b { provider = lab } }\n"
                + "livcloud.extensions.provider.lab.directory = \"" + work.resolve("lab") + "\"\n");
        List<String> global = List.of("--config", config.toString(), "--state-dir", work.resolve("state").toString());
        try {
            assertSucceeds(livcloud(global, "lab", "up"));

            Result up = assertSucceeds(livcloud(global, "tunnel", "up", "a", "b"));
            assertThat(up.output()).contains("ESP data path: ", "tunnel a-b: UP, 10.99.11.0/24 <-> 10.99.12.0/24",
                    "traffic check: 10.99.11.1 -> 10.99.12.1 answered through the tunnel");

            JsonNode status = JSON.readTree(assertSucceeds(livcloud(global, "tunnel", "status", "--check", "-o",
                    "json")).output()).path("tunnels").path(0);
            assertThat(status.path("id").asText()).isEqualTo("a-b");
            assertThat(status.path("state").asText()).isEqualTo("UP");
            assertThat(status.path("packetsIn").asLong()).as("the checks' pings came back").isGreaterThanOrEqualTo(6);

            Result bench = assertSucceeds(livcloud(global, "bench", "tunnel", "a", "b", "--seconds", "1", "--runs",
                    "1"));
            assertThat(bench.output()).contains("| raw link (gateway to gateway) |",
                    "| through the tunnel (subnet to subnet) |");

            assertThat(assertSucceeds(livcloud(global, "tunnel", "down", "a", "b")).output())
                    .contains("tunnel a-b: down");
            assertThat(assertSucceeds(livcloud(global, "tunnel", "status")).output()).contains("no tunnel");
            assertThat(assertSucceeds(livcloud(global, "tunnel", "up", "a", "b", "--authentication", "certificate"))
                    .output()).contains("tunnel a-b: UP");
        } finally {
            Result down = livcloud(global, "lab", "down");
            assertThat(down.exitCode()).as("lab down: %s%s", down.output(), down.errors()).isZero();
            assertThat(down.output()).as("lab down takes the tunnel down first").contains("removed tunnel/a-b");
        }
    }

    /** Asserts the plugin is STARTED with exactly the one extension, and returns that extension. */
    private static JsonNode assertStarted(JsonNode plugins, String id, String kind, String name) {
        JsonNode plugin = null;
        for (JsonNode candidate : plugins.path("plugins")) {
            if (candidate.path("id").asText().equals(id)) {
                plugin = candidate;
            }
        }
        assertThat(plugin).as("plugin %s in %s", id, plugins).isNotNull();
        assertThat(plugin.path("state").asText()).as("state of %s: %s", id, plugin).isEqualTo("STARTED");
        JsonNode found = null;
        for (JsonNode extension : plugin.path("extensions")) {
            if (extension.path("kind").asText().equals(kind) && extension.path("name").asText().equals(name)) {
                found = extension;
            }
        }
        assertThat(found).as("%s extension %s of plugin %s in %s", kind, name, id, plugin).isNotNull();
        return found;
    }

    private static JsonNode pluginsAsJson() throws Exception {
        return pluginsAsJson(home);
    }

    private static JsonNode pluginsAsJson(Path installationHome) throws Exception {
        Result result = installation.run(List.of(installationHome.resolve("bin/livcloud").toString(), "plugins",
                "--output", "json"), Map.of());
        assertThat(result.exitCode()).as("livcloud plugins: %s%s", result.output(), result.errors()).isZero();
        return JSON.readTree(result.output());
    }

    private static Result livcloud(String... arguments) throws Exception {
        return installation.livcloud(arguments);
    }

    private static Result livcloud(List<String> global, String... arguments) throws Exception {
        return installation.livcloud(global, arguments);
    }
}
