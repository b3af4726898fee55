package io.livcloud.engine.report;

import static java.util.Objects.requireNonNull;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.ReportWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Writes a migration's report as {@code <id>.json} (schema {@value JsonReport#SCHEMA}) and {@code <id>.html} (one
 * self-contained XHTML page with an inline SVG chart) under the reports directory, creating the directory if needed.
 * Called by the migration engine once a migration has reached its final phase, and again if a resumed migration
 * finishes it differently: the files are replaced.
 *
 * <p>Each file is written to a temporary file beside it and moved into place, so a reader (or a crash) never sees half
 * a report. The JSON is written first; if the page then cannot be written, the JSON is already the new one.
 *
 * <p>Stateless and thread-safe; two writers of the same migration at once leave one complete version of each file.
 */
public final class HtmlJsonReportWriter implements ReportWriter {

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the migration id cannot name a file in the directory (empty, {@code .},
     *         {@code ..}, or holding a path separator or NUL): the report must not land elsewhere
     * @throws UncheckedIOException if the directory cannot be created or a file cannot be written
     */
    @Override
    public Written write(MigrationReport report, Path reportsDirectory) {
        requireNonNull(report, "report is null");
        requireNonNull(reportsDirectory, "reportsDirectory is null");
        String baseName = fileBaseName(report.migrationId());
        Path json = reportsDirectory.resolve(baseName + ".json");
        Path html = reportsDirectory.resolve(baseName + ".html");
        try {
            Files.createDirectories(reportsDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the reports directory " + reportsDirectory, e);
        }
        replace(json, JsonReport.render(report));
        replace(html, HtmlPage.render(report).getBytes(StandardCharsets.UTF_8));
        return new Written(json, html);
    }

    private static String fileBaseName(String migrationId) {
        boolean unusable = migrationId.isEmpty() || migrationId.equals(".") || migrationId.equals("..")
                || migrationId.indexOf('/') >= 0 || migrationId.indexOf('\\') >= 0 || migrationId.indexOf('\0') >= 0;
        if (unusable) {
            throw new IllegalArgumentException("migration id '" + migrationId
                    + "' cannot name a report file: it must not be empty, '.' or '..', nor hold '/', '\\' or NUL");
        }
        return migrationId;
    }

    private static void replace(Path file, byte[] content) {
        // Beside the target, so the move stays on one file system and can be atomic; hidden, so a listing of the
        // reports directory does not show it in the moment it exists. Not Files.createTempFile: its 0600 would make
        // the reports unreadable to the people they are for.
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try {
                Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the migration report " + file, e);
        }
    }
}
