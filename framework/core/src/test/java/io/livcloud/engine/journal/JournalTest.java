package io.livcloud.engine.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.Phase;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal on a real SQLite file: what one process writes, another reads, and it survives reopening. */
class JournalTest {

    @TempDir
    Path directory;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-25T02:00:00Z"), ZoneOffset.UTC);

    @Test
    void aMigrationsPhasesContextAndFiguresSurviveReopening() {
        Path file = directory.resolve("state/journal.db");
        try (Journal journal = Journal.open(file, clock)) {
            MigrationRecord created = journal.create("m-1", "guest", "a", "b", Map.of("source-uri", "qemu:///a"));
            assertThat(created.phase()).isEqualTo(Phase.PLAN);
            assertThat(created.ownerPid()).contains(ProcessHandle.current().pid());
            journal.enter("m-1", Phase.PREFLIGHT, "checking");
            journal.putContext("m-1", Map.of("destination-uri", "qemu:///b", "source-uri", "qemu:///a2"));
            journal.recordCheck("m-1", new MigrationReport.Check("architecture", true, "x86_64 on x86_64", ""));
            journal.recordSample("m-1", new MigrationReport.Sample(clock.instant(), 1, 10, 90, 5, 20));
            journal.recordLadderStep("m-1", new MigrationReport.LadderStep(clock.instant(), "downtime 300ms -> 600ms",
                    "remaining grew"));
            journal.enter("m-1", Phase.TRANSFER, "copying");
        }
        try (Journal reopened = Journal.open(file, clock)) {
            MigrationRecord record = reopened.find("m-1").orElseThrow();
            assertThat(record.phase()).isEqualTo(Phase.TRANSFER);
            assertThat(record.detail()).isEqualTo("copying");
            assertThat(record.context()).containsEntry("destination-uri", "qemu:///b")
                    .containsEntry("source-uri", "qemu:///a2");
            assertThat(reopened.phases("m-1")).extracting(MigrationReport.PhaseMark::phase)
                    .containsExactly(Phase.PLAN, Phase.PREFLIGHT, Phase.TRANSFER);
            assertThat(reopened.checks("m-1")).hasSize(1);
            assertThat(reopened.samples("m-1").get(0).remainingBytes()).isEqualTo(90);
            assertThat(reopened.ladder("m-1").get(0).reason()).isEqualTo("remaining grew");
            assertThat(reopened.unfinished()).extracting(MigrationRecord::id).containsExactly("m-1");

            reopened.enter("m-1", Phase.DONE, "moved");

            MigrationRecord done = reopened.find("m-1").orElseThrow();
            assertThat(done.endedAt()).contains(clock.instant());
            assertThat(done.ownerPid()).as("nobody runs an ended migration").isEmpty();
            assertThat(reopened.unfinished()).isEmpty();
            assertThat(reopened.requestAbort("m-1")).as("an ended migration cannot be aborted").isFalse();
        }
    }

    @Test
    void anAbortRequestedByAnotherProcessIsSeenByTheOrchestrator() {
        Path file = directory.resolve("journal.db");
        try (Journal orchestrator = Journal.open(file, clock); Journal abortCommand = Journal.open(file, clock)) {
            orchestrator.create("m-2", "guest", "a", "b", Map.of());
            orchestrator.enter("m-2", Phase.TRANSFER, "copying");

            assertThat(abortCommand.requestAbort("m-2")).isTrue();

            assertThat(orchestrator.find("m-2").orElseThrow().abortRequested()).isTrue();
            assertThat(abortCommand.history(10)).extracting(MigrationRecord::id).containsExactly("m-2");
        }
    }

    @Test
    void aJournalFromANewerLivCloudIsRefused() throws Exception {
        Path file = directory.resolve("journal.db");
        try (var connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> Journal.open(file, clock))
                .isInstanceOf(JournalException.class)
                .hasMessageContaining("schema 99, newer than this LivCloud's 1");
    }

    @Test
    void enteringAPhaseOfAnUnknownMigrationFails() {
        try (Journal journal = Journal.open(directory.resolve("journal.db"), clock)) {
            assertThatThrownBy(() -> journal.enter("nope", Phase.TRANSFER, ""))
                    .isInstanceOf(JournalException.class).hasMessageContaining("no migration nope");
        }
    }
}
