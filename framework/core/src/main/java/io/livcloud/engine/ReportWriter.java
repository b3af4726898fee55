package io.livcloud.engine;

import java.nio.file.Path;

/**
 * Writes a migration's report: {@code <id>.json} and {@code <id>.html} (a self-contained page with an SVG chart) under
 * the reports directory. Implemented by {@link io.livcloud.engine.report.HtmlJsonReportWriter}.
 */
public interface ReportWriter {

    /**
     * The files written.
     *
     * @param json the JSON report
     * @param html the HTML page
     */
    record Written(Path json, Path html) {
    }

    /**
     * Writes both files, replacing earlier ones of the same migration.
     *
     * @throws java.io.UncheckedIOException if they cannot be written
     */
    Written write(MigrationReport report, Path reportsDirectory);
}
