package io.livcloud.labtools;

import static io.livcloud.testing.TestPluginBuilder.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.cli.ExitCodes;
import io.livcloud.labtools.CliRun.Result;
import io.livcloud.testing.TestSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livcloud lab}, found by the CLI on the class path, against a recording provider named lab. */
class LabCommandTest {

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @TempDir
    Path home;

    @Test
    void theLabToolsAreCommandsOfLivcloudWithHelp() {
        for (List<String> command : List.of(List.of("lab"), List.of("lab", "up"), List.of("lab", "down"),
                List.of("lab", "status"), List.of("demo"), List.of("bench"))) {
            List<String> arguments = new ArrayList<>(command);
            arguments.add("--help");
            Result result = run(arguments.toArray(String[]::new));
            assertThat(result.exitCode()).as(String.join(" ", arguments)).isZero();
            assertThat(result.out()).as(String.join(" ", arguments)).startsWith("Usage: livcloud");
        }
    }

    @Test
    void labCommandsDriveTheLabProvidersConfiguredSites() throws IOException {
        plugin("fakelab").source("f.LabFactory", TestSources.recordingProviderFactory("f", "LabFactory", "lab"))
                .buildFolder(plugins);
        Path config = Files.writeString(home.resolve("livcloud.conf"),
                "livcloud.sites { a { provider = lab, vm-subnet = \"10.99.10.0/24\" }, b { provider = lab } }\n");

        Result up = run("lab", "up", "--config", config.toString());
        assertThat(up.exitCode()).as(up.err()).isZero();
        assertThat(up.out()).isEqualTo("site a: up, gateway , libvirt test:///default\n"
                + "site b: up, gateway , libvirt test:///default\n");

        Result status = run("lab", "status", "--config", config.toString(), "--output", "json");
        assertThat(status.exitCode()).as(status.err()).isZero();
        JsonNode sites = new ObjectMapper().readTree(status.out()).get("sites");
        assertThat(sites.findValuesAsText("name")).containsExactly("a", "b");
        assertThat(sites.findValuesAsText("state")).containsExactly("absent", "absent");

        Result down = run("lab", "down", "--config", config.toString());
        assertThat(down.exitCode()).isZero();
        assertThat(down.out()).isEqualTo("site a: removed all of a\nsite b: removed all of b\n");
    }

    @Test
    void labWithoutLabSitesSaysHowToDeclareThem() {
        Result result = run("lab", "up");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).isEqualTo("livcloud: no site in livcloud.sites uses provider = lab\n"
                + "  fix: declare the lab sites, e.g. livcloud.sites { a { provider = lab }, b { provider = lab } }\n");
    }

    private Result run(String... arguments) {
        return new CliRun(home, plugins, state).run(arguments);
    }
}
