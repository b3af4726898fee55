package io.livcloud.engine.report;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationReport.Check;
import io.livcloud.engine.MigrationReport.Pause;
import io.livcloud.engine.MigrationReport.PhaseMark;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The report as one self-contained XHTML page: summary, {@link SvgChart transfer chart}, phases, convergence ladder,
 * preflight checks and policy. Nothing is loaded from elsewhere (styles inline, system fonts, the chart inline), so it
 * opens offline and can be mailed as one file. Well-formed XML, so it can be checked and processed as such; it avoids
 * self-closed HTML elements so browsers that read it as plain HTML see the same page.
 */
final class HtmlPage {

    static final String NAMESPACE = "http://www.w3.org/1999/xhtml";

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em; color: #222; }
            h1 { margin-bottom: 0.2em; }
            .route { margin-top: 0; font-size: 1.2em; color: #555; }
            table { border-collapse: collapse; margin-bottom: 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
            th { background: #f3f3f3; }
            td.number { text-align: right; font-variant-numeric: tabular-nums; }
            .phase-DONE { color: #1a7f37; font-weight: bold; }
            .phase-ABORTED { color: #9a6700; font-weight: bold; }
            .phase-FAILED { color: #cf222e; font-weight: bold; }
            .pass { color: #1a7f37; font-weight: bold; }
            .fail { color: #cf222e; font-weight: bold; }
            svg.transfer-chart { max-width: 100%; height: auto; }
            footer { margin-top: 2em; color: #777; font-size: 0.9em; }
            """;

    private final MigrationReport report;
    private final StringBuilder html = new StringBuilder(32 * 1024);

    private HtmlPage(MigrationReport report) {
        this.report = report;
    }

    /** The whole page, UTF-8 text to be written as {@code <id>.html}. */
    static String render(MigrationReport report) {
        return new HtmlPage(report).page();
    }

    private String page() {
        String vmName = Xml.escape(report.vmName());
        html.append("<!DOCTYPE html>\n<html xmlns=\"").append(NAMESPACE).append("\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"UTF-8\"/>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
                .append("<title>Migration of ").append(vmName).append(": ").append(Xml.escape(report.fromSite()))
                .append(" \u2192 ").append(Xml.escape(report.toSite())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        summary();
        section("transfer", "Transfer");
        html.append(SvgChart.render(report)).append('\n');
        phases();
        ladder();
        checks();
        policy();
        html.append("<footer>LivCloud migration report, schema ").append(JsonReport.SCHEMA)
                .append(". The same data for programs: <a href=\"")
                .append(Xml.escape(fileReference(report.migrationId() + ".json"))).append("\">")
                .append(Xml.escape(report.migrationId())).append(".json</a>.</footer>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private void summary() {
        html.append("<header>\n<h1>Migration of ").append(Xml.escape(report.vmName())).append("</h1>\n")
                .append("<p class=\"route\">").append(Xml.escape(report.fromSite())).append(" \u2192 ")
                .append(Xml.escape(report.toSite())).append("</p>\n");
        html.append("<table class=\"summary\">\n");
        summaryRow("Migration", text(report.migrationId()));
        summaryRow("Final phase", "<span class=\"phase-" + report.finalPhase().name() + "\">"
                + report.finalPhase().name() + "</span>");
        summaryRow("Detail", text(report.detail()));
        summaryRow("Started", text(report.startedAt().toString()));
        summaryRow("Ended", text(report.endedAt().toString()));
        summaryRow("Total time", text(Figures.duration(Timing.sinceStart(report, report.endedAt()))));
        summaryRow("Pause", text(report.pause().map(this::describe).orElse("none")));
        summaryRow("Hypervisor's migration time",
                text(report.totalTransferTime().map(Figures::duration).orElse("the transfer did not end")));
        summaryRow("Bytes transferred",
                text(Figures.bytes(report.bytesTransferred()) + " (" + report.bytesTransferred() + " bytes)"));
        report.clientInterruption().ifPresent(interruption ->
                summaryRow("Longest interruption a client saw", text(Figures.duration(interruption))));
        html.append("</table>\n</header>\n");
    }

    private String describe(Pause pause) {
        return Figures.duration(pause.downtime()) + " at " + sinceStart(pause.at());
    }

    private void phases() {
        List<Duration> timeInPhase = Timing.timeInEachPhase(report);
        List<List<Cell>> rows = new ArrayList<>();
        for (int index = 0; index < report.phases().size(); index++) {
            PhaseMark mark = report.phases().get(index);
            rows.add(List.of(Cell.of(mark.phase().name()), Cell.of(mark.at().toString()),
                    Cell.number(sinceStart(mark.at())), Cell.number(Figures.duration(timeInPhase.get(index)))));
        }
        table(new Table("phases", "Phases", "No phases were recorded.",
                List.of("Phase", "Entered", "Since start", "Time in phase")), rows);
    }

    private void ladder() {
        List<List<Cell>> rows = report.ladder().stream()
                .map(step -> List.of(Cell.number(sinceStart(step.at())), Cell.of(step.step()), Cell.of(step.reason())))
                .toList();
        table(new Table("ladder", "Convergence ladder", "No convergence steps were taken.",
                List.of("Since start", "Step", "Why")), rows);
    }

    private void checks() {
        List<List<Cell>> rows = new ArrayList<>();
        for (Check check : report.checks()) {
            String result = check.passed() ? "pass" : "fail";
            rows.add(List.of(Cell.of(check.name()), new Cell(result, result), Cell.of(check.detail()),
                    Cell.of(check.remedy())));
        }
        table(new Table("checks", "Preflight checks", "No preflight checks were recorded.",
                List.of("Check", "Result", "Found", "Remedy")), rows);
    }

    private void policy() {
        List<List<Cell>> rows = new TreeMap<>(report.policy()).entrySet().stream()
                .map(setting -> List.of(Cell.of(setting.getKey()), Cell.of(setting.getValue())))
                .toList();
        table(new Table("policy", "Policy", "No policy settings were recorded.", List.of("Setting", "Value")), rows);
    }

    private void section(String id, String title) {
        html.append("<h2 id=\"").append(id).append("\">").append(text(title)).append("</h2>\n");
    }

    /** A titled section with a table of the rows, or with the sentence that says there are none. */
    private void table(Table table, List<List<Cell>> rows) {
        section(table.id(), table.title());
        if (rows.isEmpty()) {
            html.append("<p>").append(text(table.whenEmpty())).append("</p>\n");
            return;
        }
        html.append("<table class=\"").append(table.id()).append("\">\n<tr>");
        for (String column : table.columns()) {
            html.append("<th>").append(text(column)).append("</th>");
        }
        html.append("</tr>\n");
        for (List<Cell> row : rows) {
            html.append("<tr>");
            for (Cell cell : row) {
                html.append(cell.cssClass().isEmpty() ? "<td>" : "<td class=\"" + cell.cssClass() + "\">")
                        .append(text(cell.text())).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void summaryRow(String label, String escapedValue) {
        html.append("<tr><th>").append(text(label)).append("</th><td>").append(escapedValue).append("</td></tr>\n");
    }

    private String sinceStart(Instant at) {
        Duration since = Timing.sinceStart(report, at);
        // Before the start only when a clock stepped; the minus sign then says so.
        return since.isNegative() ? Figures.duration(since) : "+" + Figures.duration(since);
    }

    private static String text(String raw) {
        return Xml.escape(raw);
    }

    /** A relative link to a sibling file whose name may hold spaces, '#', '?' or '%'. */
    private static String fileReference(String fileName) {
        return URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A table section.
     *
     * @param id the section's anchor and the table's class
     * @param title the heading
     * @param whenEmpty the sentence shown instead of a table without rows
     * @param columns the column headings
     */
    private record Table(String id, String title, String whenEmpty, List<String> columns) {
    }

    /**
     * A table cell: raw text, escaped when written.
     *
     * @param text the text
     * @param cssClass the cell's class, empty for none
     */
    private record Cell(String text, String cssClass) {

        static Cell of(String text) {
            return new Cell(text, "");
        }

        static Cell number(String text) {
            return new Cell(text, "number");
        }
    }
}
