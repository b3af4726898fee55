package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationProgress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MigrationFiguresTest {

    private static final DomainState RUNNING = new DomainState(DomainState.RUNNING, 1);

    @Test
    void mapsLibvirtsStatisticsToProgress() {
        MigrationProgress progress = MigrationFigures.progress(
                FakeLibvirt.migrating(2, 67_000_000, 50_000_000, 17_000_000), RUNNING, Duration.ofSeconds(9));

        assertThat(progress).isEqualTo(new MigrationProgress(MigrationPhase.PRE_COPY, Duration.ofMillis(700), 2,
                67_000_000, 50_000_000, 17_000_000, 2560L * 4096, 41_000_000));
    }

    @Test
    void thePhaseComesFromTheJobAndTheDomainsState() {
        JobStatistics copying = FakeLibvirt.migrating(1, 67_000_000, 1_000, 66_999_000);
        JobStatistics starting = new JobStatistics(JobStatistics.UNBOUNDED,
                Map.of(JobStatistics.OPERATION, JobStatistics.OPERATION_MIGRATION_OUT));

        assertThat(MigrationFigures.phase(JobStatistics.none(), RUNNING)).isEqualTo(MigrationPhase.SETUP);
        assertThat(MigrationFigures.phase(starting, RUNNING)).isEqualTo(MigrationPhase.SETUP);
        assertThat(MigrationFigures.phase(copying, RUNNING)).isEqualTo(MigrationPhase.PRE_COPY);
        assertThat(MigrationFigures.phase(copying, new DomainState(DomainState.PAUSED, DomainState.PAUSED_MIGRATION)))
                .isEqualTo(MigrationPhase.SWITCH_OVER);
        assertThat(MigrationFigures.phase(copying, new DomainState(DomainState.PAUSED, DomainState.PAUSED_POSTCOPY)))
                .isEqualTo(MigrationPhase.POST_COPY);
        assertThat(MigrationFigures.phase(copying, new DomainState(DomainState.PAUSED, 1)))
                .as("paused by the user: still pre-copy (a paused guest migrates too)")
                .isEqualTo(MigrationPhase.PRE_COPY);
    }

    @Test
    void beforeLibvirtReportsTimeThePluginsClockCounts() {
        assertThat(MigrationFigures.progress(JobStatistics.none(), RUNNING, Duration.ofMillis(40)).elapsed())
                .isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void aCompletedJobGivesTimeDowntimeAndBytes() {
        JobStatistics completed = new JobStatistics(JobStatistics.COMPLETED, Map.of(
                JobStatistics.TIME_ELAPSED, 286L, JobStatistics.DOWNTIME, 15L, JobStatistics.DATA_PROCESSED, 796_199L,
                JobStatistics.MEMORY_PROCESSED, 796_199L));

        MigrationOutcome outcome = MigrationFigures.outcome(MigrationPhase.COMPLETED, completed,
                Optional.of(Duration.ofMillis(2100)), 0, "done");

        assertThat(outcome).as("the whole migration as measured, not only QEMU's part")
                .isEqualTo(new MigrationOutcome(MigrationPhase.COMPLETED, Duration.ofMillis(2100),
                        Optional.of(Duration.ofMillis(15)), 796_199, "done"));
        assertThat(MigrationFigures.outcome(MigrationPhase.COMPLETED, completed, Optional.empty(), 0, "adopted")
                .totalTime()).as("unmeasured (adopted): libvirt's time").isEqualTo(Duration.ofMillis(286));
    }

    @Test
    void withoutStatisticsThePluginsOwnFiguresStand() {
        MigrationOutcome outcome = MigrationFigures.outcome(MigrationPhase.FAILED, JobStatistics.none(),
                Optional.of(Duration.ofSeconds(2)), 4_000, "failed: no route");

        assertThat(outcome).isEqualTo(new MigrationOutcome(MigrationPhase.FAILED, Duration.ofSeconds(2),
                Optional.empty(), 4_000, "failed: no route"));
    }

    @Test
    void aCancelledJobSentAtLeastWhatWasSeen() {
        JobStatistics cancelled = new JobStatistics(JobStatistics.CANCELLED, Map.of(JobStatistics.DATA_PROCESSED, 0L));

        assertThat(MigrationFigures.outcome(MigrationPhase.CANCELLED, cancelled, Optional.of(Duration.ofSeconds(2)),
                562_137,
                "cancelled").bytesTransferred()).isEqualTo(562_137);
    }

    @Test
    void aFailedJobHasNoDowntimeEvenIfLibvirtEstimatedOne() {
        JobStatistics failed = new JobStatistics(JobStatistics.FAILED, Map.of(JobStatistics.DOWNTIME, 300L,
                JobStatistics.MEMORY_PROCESSED, 10L, JobStatistics.DISK_PROCESSED, 5L));

        MigrationOutcome outcome = MigrationFigures.outcome(MigrationPhase.CANCELLED, failed,
                Optional.of(Duration.ofSeconds(1)), 0,
                "cancelled");

        assertThat(outcome.downtime()).isEmpty();
        assertThat(outcome.bytesTransferred()).isEqualTo(15);
    }

    @Test
    void eventsCarryTheFiguresForMachinesAndALineForPeople() {
        MigrationProgress progress = new MigrationProgress(MigrationPhase.PRE_COPY, Duration.ofMillis(700), 2,
                256L << 20, 48L << 20, 12_500L << 10, 0, 110L << 20);

        assertThat(MigrationFigures.message("web1", progress))
                .isEqualTo("web1: pre-copy pass 2, 48.0 MiB of 256.0 MiB sent, 12.2 MiB left, 110.0 MiB/s");
        assertThat(MigrationFigures.attributes("web1", progress)).containsEntry("vm", "web1")
                .containsEntry("phase", "PRE_COPY").containsEntry("iteration", "2")
                .containsEntry("memory-total-bytes", Long.toString(256L << 20)).containsKey("elapsed-ms")
                .containsKeys("memory-transferred-bytes", "memory-remaining-bytes", "dirty-rate-bytes-per-second",
                        "throughput-bytes-per-second");
        assertThat(MigrationFigures.message("web1", new MigrationProgress(MigrationPhase.SETUP, Duration.ZERO, 0, 0, 0,
                0, 0, 0))).isEqualTo("web1: setup");
        assertThat(Formats.size(512)).isEqualTo("512 B");
        assertThat(Formats.size(3L << 40)).isEqualTo("3.0 TiB");
        assertThat(Formats.duration(Duration.ofMillis(15))).isEqualTo("15 ms");
        assertThat(Formats.duration(Duration.ofMillis(2345))).isEqualTo("2.3 s");
        assertThat(Formats.version(10_000_002)).isEqualTo("10.0.2");
    }
}
