package io.livcloud.distribution;

import static io.livcloud.distribution.Installation.assertSucceeds;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.distribution.Installation.Result;
import io.livcloud.testing.Prerequisites;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code livcloud bench} through the installed launcher, as short as it can be: one run, one dirty rate, a 20 s
 * watchdog, in the lab (as root). It checks that the bench works — its outputs exist, parse and hold measured
 * figures — and never how fast anything is: speed is what the bench itself reports.
 */
class LivCloudBenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1024 * 1024;

    @TempDir
    static Path unpacked;

    @Test
    void benchAllWritesTheTableJsonAndChartWithMeasuredFigures(@TempDir Path work) throws Exception {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("iperf3", "iperf3");
        Prerequisites.requireCommand("virsh", "libvirt-clients");
        Prerequisites.requireCommand("libvirtd", "libvirt-daemon");
        Prerequisites.requireCommand("qemu-system-x86_64", "qemu-system-x86 from bookworm-backports");
        Installation installation = Installation.unpack(unpacked);
        Path config = Files.writeString(work.resolve("livcloud.conf"), ""
                + "livcloud.migration { hypervisor = kvm, tunnel = strongswan }\n"
                + "livcloud.sites { a { provider = lab }, b { provider = lab } }\n"
                + "livcloud.extensions.provider.lab.directory = \"" + work.resolve("lab") + "\"\n");
        List<String> global = List.of("--config", config.toString(), "--state-dir", work.resolve("state").toString());
        Path output = work.resolve("out");
        Result bench;
        try {
            bench = assertSucceeds(installation.livcloud(Duration.ofMinutes(15), global, "bench", "all", "--runs", "1",
                    "--rates", "10", "--watchdog", "20s", "--seconds", "1", "--output-dir", output.toString(),
                    "--down"));
        } finally {
            Result down = installation.livcloud(global, "lab", "down");
            assertThat(down.exitCode()).as("lab down: %s%s", down.output(), down.errors()).isZero();
        }

        assertThat(bench.output()).contains("| 10 | libvirt defaults | ", "| 10 | LivCloud | ",
                "| through the tunnel (subnet to subnet) | ", "| `livcloud --version` | ", "## Targets (issue 8)");
        assertThat(output.resolve("bench.md")).content(StandardCharsets.UTF_8).isEqualTo(bench.output());

        JsonNode document = JSON.readTree(output.resolve("bench.json").toFile());
        assertThat(document.path("schema").asText()).isEqualTo("livcloud-bench/1");
        assertThat(document.path("tunnel").path("rawMedianMbps").asDouble()).isPositive();
        assertThat(document.path("tunnel").path("tunnelMedianMbps").asDouble()).isPositive();
        assertThat(document.path("migrations").path("physicalFloorSeconds").asDouble()).isPositive();

        JsonNode runs = document.path("migrations").path("runs");
        assertThat(runs.findValuesAsText("variant")).containsExactly("libvirt defaults", "LivCloud");
        for (JsonNode run : runs) {
            assertThat(run.path("guestAlive").asBoolean()).as("the guest's heartbeat after %s", run).isTrue();
            assertThat(run.path("totalSeconds").asDouble()).as("%s", run).isPositive();
            assertThat(run.path("bytesTransferred").asDouble()).as("bytes sent in %s", run).isPositive();
        }
        JsonNode baseline = runs.get(0);
        if (baseline.path("converged").asBoolean()) {
            assertThat(baseline.path("pauseMillis").asDouble()).as("%s", baseline).isPositive();
        } else {
            assertThat(baseline.path("detail").asText()).contains("aborted by the watchdog",
                    "the source kept running");
        }
        // 10 MiB/s of a 64 MiB working set converges with the engine's defaults; a run that does not is a finding.
        JsonNode livCloud = runs.get(1);
        assertThat(livCloud.path("converged").asBoolean()).as("%s", livCloud).isTrue();
        assertThat(livCloud.path("pauseMillis").asDouble()).as("%s", livCloud).isPositive();
        assertThat(livCloud.path("hypervisorMillis").asDouble()).as("%s", livCloud).isPositive();
        // At least the working set (dirtied throughout) crossed, and not more than a few times the memory did.
        assertThat(livCloud.path("bytesTransferred").asDouble() / MIB).as("MiB sent in %s", livCloud)
                .isBetween(64.0, 10 * 256.0);

        JsonNode plane = document.path("controlPlane");
        assertThat(plane.path("pluginsStarted").asInt()).isEqualTo(5);
        for (String figure : List.of("migrateWallMillis", "migrateHypervisorMillis", "versionMillis",
                "jvmStartMillis", "pluginLoadMillis", "coreLoadMillis")) {
            assertThat(plane.path(figure).path("count").asInt()).as(figure).isEqualTo(1);
            assertThat(plane.path(figure).path("median").asDouble()).as(figure).isPositive();
        }
        assertThat(plane.path("migrateWallMillis").path("median").asDouble())
                .as("the wall time of livcloud migrate includes the hypervisor's own")
                .isGreaterThan(plane.path("migrateHypervisorMillis").path("median").asDouble());
        assertThat(document.path("targets").findValuesAsText("verdict")).isNotEmpty();

        Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(output.resolve("bench.svg"))));
        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(svg.getElementsByTagName("rect").getLength()).as("bars and legend").isGreaterThanOrEqualTo(3);
    }
}
