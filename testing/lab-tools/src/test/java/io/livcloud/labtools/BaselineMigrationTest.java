package io.livcloud.labtools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineMigrationTest {

    /** What virsh 9.0 printed for a running migration in the lab (shortened). */
    private static final String RUNNING = """
            Job type: 2

            operation: 5
            time_elapsed: 4023
            downtime: 1110
            data_processed: 204666643
            memory_iteration: 3
            """;

    @Test
    void readsLibvirtsTypedParameterNames() {
        Map<String, String> stats = BaselineMigration.parseRawStats(RUNNING);

        assertThat(stats).containsEntry("time_elapsed", "4023").containsEntry("data_processed", "204666643")
                .containsEntry("Job type", "2").doesNotContainKey("");
    }

    @Test
    void theDescriptionNamesTheCommandAndTheWatchdog() {
        assertThat(BaselineMigration.describe(java.time.Duration.ofSeconds(45)))
                .contains("virsh migrate --live --p2p").contains("domjobabort after 45 s");
    }
}
