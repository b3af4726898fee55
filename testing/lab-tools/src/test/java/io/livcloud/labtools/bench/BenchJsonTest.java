package io.livcloud.labtools.bench;

import static io.livcloud.labtools.bench.SampleResults.BASELINE;
import static io.livcloud.labtools.bench.SampleResults.LIVCLOUD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BenchJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hasTheSchemaTheRawRunsAndTheirSummaries() throws Exception {
        JsonNode document = parse(SampleResults.builder().notConverged(BASELINE, 50, 3e9)
                .converged(LIVCLOUD, 50, 2.5, 22, 1.5e8).build());

        assertThat(document.path("schema").asText()).isEqualTo("livcloud-bench/1");
        assertThat(document.path("conditions").path("watchdogSeconds").asInt()).isEqualTo(60);
        assertThat(document.path("tunnel").path("tunnelMedianMbps").asDouble()).isEqualTo(480.0);
        JsonNode runs = document.path("migrations").path("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).path("converged").asBoolean()).isFalse();
        assertThat(runs.get(0).path("pauseMillis").isNull()).as("absent, not zero: %s", runs.get(0)).isTrue();
        assertThat(runs.get(0).path("bytesTransferred").asDouble()).isEqualTo(3e9);
        assertThat(runs.get(1).path("pauseMillis").asDouble()).isEqualTo(22.0);
        JsonNode livCloud = document.path("migrations").path("rows").get(1);
        assertThat(livCloud.path("variant").asText()).isEqualTo("LivCloud");
        assertThat(livCloud.path("totalSeconds").path("median").asDouble()).isEqualTo(2.5);
        assertThat(livCloud.path("versusBaseline").isNull()).isTrue();
        assertThat(document.path("controlPlane").isNull()).isTrue();
        assertThat(document.path("targets").findValuesAsText("verdict")).contains("TOO_FEW_RUNS", "NOT_MEASURED");
    }

    @Test
    void aTunnelOnlyBenchHasNoMigrations() throws Exception {
        JsonNode document = parse(SampleResults.builder().build());

        assertThat(document.path("migrations").isNull()).isTrue();
        assertThat(document.path("tunnel").path("rawMbps")).hasSize(3);
        assertThat(document.path("tunnel").path("ratio").asDouble()).isEqualTo(480.0 / 16000.0);
    }

    private static JsonNode parse(BenchResults results) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(BenchJson.document(results)));
    }
}
