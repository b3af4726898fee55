package io.livcloud.engine.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.Phase;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The report's JSON document, schema {@value #SCHEMA}. An explicit document rather than {@link MigrationReport}
 * serialized as it is: the file is read by other programs, so its names and units are chosen here and stay stable when
 * the record changes. Instants are ISO-8601 strings, durations are whole milliseconds in fields ending in
 * {@code Millis}, byte counts are plain numbers, and absent values are {@code null} rather than missing keys.
 */
final class JsonReport {

    /** The document's schema; bumped when a field changes meaning or goes away, not when one is added. */
    static final String SCHEMA = "livcloud-migration-report/1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private JsonReport() {
    }

    /** The report as UTF-8 JSON. */
    static byte[] render(MigrationReport report) {
        try {
            return MAPPER.writeValueAsBytes(document(report));
        } catch (JsonProcessingException e) {
            // Only plain records, strings and numbers go in: failing here is a bug, not a condition to handle.
            throw new UncheckedIOException("cannot write migration report " + report.migrationId() + " as JSON", e);
        }
    }

    static Document document(MigrationReport report) {
        List<Duration> timeInPhase = Timing.timeInEachPhase(report);
        return new Document(
                SCHEMA,
                report.migrationId(),
                report.vmName(),
                report.fromSite(),
                report.toSite(),
                report.startedAt(),
                report.endedAt(),
                Timing.sinceStart(report, report.endedAt()).toMillis(),
                report.finalPhase(),
                report.detail(),
                // Sorted: the same policy always gives the same file.
                new TreeMap<>(report.policy()),
                IntStream.range(0, report.phases().size())
                        .mapToObj(index -> {
                            MigrationReport.PhaseMark mark = report.phases().get(index);
                            return new PhaseEntry(mark.phase(), mark.at(),
                                    Timing.sinceStart(report, mark.at()).toMillis(), timeInPhase.get(index).toMillis());
                        })
                        .toList(),
                report.samples().stream()
                        .map(sample -> new SampleEntry(sample.at(), Timing.sinceStart(report, sample.at()).toMillis(),
                                sample.iteration(), sample.transferredBytes(), sample.remainingBytes(),
                                sample.dirtyRateBytesPerSecond(), sample.throughputBytesPerSecond()))
                        .toList(),
                report.ladder().stream()
                        .map(step -> new LadderEntry(step.at(), Timing.sinceStart(report, step.at()).toMillis(),
                                step.step(), step.reason()))
                        .toList(),
                report.checks().stream()
                        .map(check -> new CheckEntry(check.name(), check.passed(), check.detail(),
                                check.remedy().isEmpty() ? Optional.empty() : Optional.of(check.remedy())))
                        .toList(),
                report.pause().map(pause -> new PauseEntry(pause.at(),
                        Timing.sinceStart(report, pause.at()).toMillis(), pause.downtime().toMillis())),
                report.totalTransferTime().map(Duration::toMillis),
                report.bytesTransferred(),
                report.clientInterruption().map(Duration::toMillis));
    }

    /** The whole document; the components' order is the order of the keys in the file. */
    record Document(
            String schema,
            String migrationId,
            String vmName,
            String fromSite,
            String toSite,
            Instant startedAt,
            Instant endedAt,
            long durationMillis,
            Phase finalPhase,
            String detail,
            SortedMap<String, String> policy,
            List<PhaseEntry> phases,
            List<SampleEntry> samples,
            List<LadderEntry> ladder,
            List<CheckEntry> checks,
            Optional<PauseEntry> pause,
            Optional<Long> totalTransferTimeMillis,
            long bytesTransferred,
            Optional<Long> clientInterruptionMillis) {
    }

    record PhaseEntry(Phase phase, Instant at, long sinceStartMillis, long durationMillis) {
    }

    record SampleEntry(Instant at, long sinceStartMillis, long iteration, long transferredBytes, long remainingBytes,
            long dirtyRateBytesPerSecond, long throughputBytesPerSecond) {
    }

    record LadderEntry(Instant at, long sinceStartMillis, String step, String reason) {
    }

    record CheckEntry(String name, boolean passed, String detail, Optional<String> remedy) {
    }

    record PauseEntry(Instant at, long sinceStartMillis, long downtimeMillis) {
    }
}
