package io.livcloud.engine.report;

import static io.livcloud.engine.report.Reports.GIB;
import static io.livcloud.engine.report.Reports.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationReport.Check;
import io.livcloud.engine.MigrationReport.Pause;
import io.livcloud.engine.MigrationReport.PhaseMark;
import io.livcloud.engine.MigrationReport.Sample;
import io.livcloud.engine.Phase;
import io.livcloud.engine.ReportWriter.Written;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlJsonReportWriterTest {

    private static final String XHTML = "http://www.w3.org/1999/xhtml";
    private static final String SVG = "http://www.w3.org/2000/svg";
    private static final double PLOT_WIDTH = SvgChart.PLOT_RIGHT - SvgChart.PLOT_LEFT;

    @TempDir
    Path directory;

    private final HtmlJsonReportWriter writer = new HtmlJsonReportWriter();

    @Test
    void writesBothFilesNamedByTheMigrationUnderANewDirectory() {
        Path reports = directory.resolve("state/reports");

        Written written = writer.write(Reports.typical(), reports);

        assertThat(written.json()).isEqualTo(reports.resolve("m-20260301-0001.json")).isRegularFile();
        assertThat(written.html()).isEqualTo(reports.resolve("m-20260301-0001.html")).isRegularFile();
        assertThat(listing(reports)).containsExactlyInAnyOrder("m-20260301-0001.json", "m-20260301-0001.html");
    }

    @Test
    void jsonReadsBackWithTheSchemaTheFiguresAndTheTimes() throws IOException {
        JsonNode json = readJson(writer.write(Reports.typical(), directory).json());

        assertThat(json.get("schema").asText()).isEqualTo("livcloud-migration-report/1");
        assertThat(json.get("migrationId").asText()).isEqualTo("m-20260301-0001");
        assertThat(json.get("vmName").asText()).isEqualTo("web-1");
        assertThat(json.get("fromSite").asText()).isEqualTo("lab-a");
        assertThat(json.get("toSite").asText()).isEqualTo("lab-b");
        assertThat(json.get("startedAt").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(json.get("endedAt").asText()).isEqualTo("2026-03-01T10:00:50Z");
        assertThat(json.get("durationMillis").asLong()).isEqualTo(50_000);
        assertThat(json.get("finalPhase").asText()).isEqualTo("DONE");
        assertThat(json.get("detail").asText()).isEqualTo("2.00 GiB in 40.1 s, pause 120 ms");
        assertThat(json.get("policy").get("multifd-channels").asText()).isEqualTo("4");
        assertThat(json.get("policy").fieldNames()).toIterable()
                .containsExactly("compression", "downtime-limit", "multifd-channels");

        JsonNode transfer = json.get("phases").get(4);
        assertThat(json.get("phases")).hasSize(9);
        assertThat(transfer.get("phase").asText()).isEqualTo("TRANSFER");
        assertThat(transfer.get("at").asText()).isEqualTo("2026-03-01T10:00:05Z");
        assertThat(transfer.get("sinceStartMillis").asLong()).isEqualTo(5_000);
        assertThat(transfer.get("durationMillis").asLong()).isEqualTo(40_000);

        JsonNode firstSample = json.get("samples").get(0);
        assertThat(json.get("samples")).hasSize(21);
        assertThat(firstSample.get("remainingBytes").isIntegralNumber()).isTrue();
        assertThat(firstSample.get("remainingBytes").asLong()).isEqualTo(2 * GIB);
        assertThat(firstSample.get("dirtyRateBytesPerSecond").asLong()).isEqualTo(10L << 20);
        assertThat(firstSample.get("throughputBytesPerSecond").asLong()).isEqualTo(100L << 20);
        assertThat(firstSample.get("sinceStartMillis").asLong()).isEqualTo(5_000);

        assertThat(json.get("ladder").get(0).get("step").asText()).isEqualTo("downtime-limit 300ms -> 1s");
        assertThat(json.get("ladder").get(0).get("sinceStartMillis").asLong()).isEqualTo(25_000);
        assertThat(json.get("checks").get(0).get("passed").asBoolean()).isTrue();
        assertThat(json.get("checks").get(0).get("remedy").isNull()).isTrue();
        assertThat(json.get("checks").get(1).get("passed").asBoolean()).isFalse();
        assertThat(json.get("checks").get(1).get("remedy").asText()).isEqualTo("free memory on lab-b or pick another site");

        assertThat(json.get("pause").get("at").asText()).isEqualTo("2026-03-01T10:00:45Z");
        assertThat(json.get("pause").get("downtimeMillis").asLong()).isEqualTo(120);
        assertThat(json.get("totalTransferTimeMillis").asLong()).isEqualTo(40_100);
        assertThat(json.get("bytesTransferred").asLong()).isEqualTo(2 * GIB + 12_345);
        assertThat(json.get("clientInterruptionMillis").asLong()).isEqualTo(900);
    }

    @Test
    void jsonKeepsTheKeysOfAbsentValuesAsNull() throws IOException {
        MigrationReport aborted = Reports.typicalBuilder()
                .finalPhase(Phase.ABORTED)
                .pause(Optional.empty())
                .totalTransferTime(Optional.empty())
                .clientInterruption(Optional.empty())
                .build();

        JsonNode json = readJson(writer.write(aborted, directory).json());

        assertThat(json.get("finalPhase").asText()).isEqualTo("ABORTED");
        for (String key : List.of("pause", "totalTransferTimeMillis", "clientInterruptionMillis")) {
            assertThat(json.has(key)).as(key).isTrue();
            assertThat(json.get(key).isNull()).as(key).isTrue();
        }
    }

    @Test
    void htmlIsWellFormedXhtmlWithTheChartInTheSvgNamespace() throws Exception {
        Document page = readXml(writer.write(Reports.typical(), directory).html());

        assertThat(page.getDocumentElement().getNamespaceURI()).isEqualTo(XHTML);
        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(page.getElementsByTagNameNS(SVG, "svg").getLength()).isEqualTo(1);
        assertThat(text(page, XHTML, "title")).isEqualTo("Migration of web-1: lab-a \u2192 lab-b");
        assertThat(text(page, XHTML, "h1")).isEqualTo("Migration of web-1");
    }

    @Test
    void htmlLoadsNothingFromElsewhere() throws IOException {
        String page = Files.readString(writer.write(Reports.typical(), directory).html());

        assertThat(page).doesNotContain("<script", "<link", "src=", "@import", "url(");
        // The two namespaces look like addresses but are only names; nothing else may.
        assertThat(page.replace("\"" + XHTML + "\"", "").replace("\"" + SVG + "\"", ""))
                .doesNotContain("http://", "https://");
    }

    @Test
    void htmlShowsTheSummaryTheTablesAndAFailedCheckWithItsRemedy() throws Exception {
        Document page = readXml(writer.write(Reports.typical(), directory).html());

        assertThat(rowsOf(page, "summary")).contains(
                List.of("Migration", "m-20260301-0001"),
                List.of("Final phase", "DONE"),
                List.of("Total time", "50.0 s"),
                List.of("Pause", "120 ms at +45.0 s"),
                List.of("Bytes transferred", "2.00 GiB (2147495993 bytes)"),
                List.of("Longest interruption a client saw", "900 ms"));
        assertThat(rowsOf(page, "checks")).contains(
                List.of("architecture", "pass", "x86_64 on both sides", ""),
                List.of("capacity", "fail", "destination has 1 GiB free, VM needs 2 GiB",
                        "free memory on lab-b or pick another site"));
        assertThat(rowsOf(page, "policy")).containsSubsequence(
                List.of("compression", "zstd"), List.of("downtime-limit", "300ms"), List.of("multifd-channels", "4"));
        assertThat(rowsOf(page, "phases")).contains(List.of("TRANSFER", "2026-03-01T10:00:05Z", "+5.0 s", "40.0 s"));
        assertThat(rowsOf(page, "ladder"))
                .contains(List.of("+25.0 s", "downtime-limit 300ms -> 1s", "remaining memory grew over 3 passes"));
    }

    @Test
    void chartHasBothSeriesWithXNonDecreasingAndEveryPointInsideThePlot() throws Exception {
        Document page = readXml(writer.write(Reports.typical(), directory).html());

        for (String series : List.of("remaining", "dirty-rate")) {
            List<double[]> points = points(single(page, "polyline", series));
            assertThat(points).as(series).hasSize(21);
            for (int index = 0; index < points.size(); index++) {
                double[] point = points.get(index);
                assertThat(point[0]).as(series + " x").isBetween(SvgChart.PLOT_LEFT, SvgChart.PLOT_RIGHT);
                assertThat(point[1]).as(series + " y").isBetween(SvgChart.PLOT_TOP, SvgChart.PLOT_BOTTOM);
                if (index > 0) {
                    assertThat(point[0]).as(series + " x after point " + index)
                            .isGreaterThanOrEqualTo(points.get(index - 1)[0]);
                }
            }
        }
        List<double[]> remaining = points(single(page, "polyline", "remaining"));
        // The first sample is at 5 s of a 50 s axis; remaining memory falls, so the line goes down the page.
        assertThat(remaining.get(0)[0]).isCloseTo(SvgChart.PLOT_LEFT + PLOT_WIDTH * 5 / 50, within(0.1));
        assertThat(remaining.get(20)[1]).isGreaterThan(remaining.get(0)[1]);
    }

    @Test
    void chartPutsSamplesGivenOutOfOrderInTimeOrder() throws Exception {
        List<Sample> shuffled = new ArrayList<>(Reports.typicalSamples());
        Collections.reverse(shuffled);
        Document page = readXml(writer.write(Reports.typicalBuilder().samples(shuffled).build(), directory).html());

        List<double[]> points = points(single(page, "polyline", "remaining"));
        for (int index = 1; index < points.size(); index++) {
            assertThat(points.get(index)[0]).isGreaterThanOrEqualTo(points.get(index - 1)[0]);
        }
    }

    @Test
    void chartMarksEveryPhaseWithADashedLineAndItsName() throws Exception {
        Document page = readXml(writer.write(Reports.typical(), directory).html());

        List<Element> marks = elements(page, "line", "phase-mark");
        assertThat(marks).hasSize(9);
        assertThat(marks).allSatisfy(mark -> {
            assertThat(mark.getAttribute("stroke-dasharray")).isNotBlank();
            assertThat(mark.getAttribute("x1")).isEqualTo(mark.getAttribute("x2"));
        });
        assertThat(Double.parseDouble(marks.get(4).getAttribute("x1")))
                .isCloseTo(SvgChart.PLOT_LEFT + PLOT_WIDTH * 5 / 50, within(0.1));
        assertThat(elements(page, "text", "phase-label")).extracting(Element::getTextContent).containsExactly(
                "PLAN", "PREFLIGHT", "CHANNEL", "PREPARE", "TRANSFER", "SWITCH_OVER", "VERIFY", "CLEANUP", "DONE");
    }

    @Test
    void chartShadesThePauseInProportionToItsLength() throws Exception {
        Document page = pageWithPause(new Pause(at(45), Duration.ofSeconds(5)));

        Element band = single(page, "rect", "pause");
        assertThat(Double.parseDouble(band.getAttribute("x")))
                .isCloseTo(SvgChart.PLOT_LEFT + PLOT_WIDTH * 45 / 50, within(0.1));
        assertThat(Double.parseDouble(band.getAttribute("width"))).isCloseTo(PLOT_WIDTH * 5 / 50, within(0.1));
        assertThat(single(page, "text", "pause-label").getTextContent()).isEqualTo("pause 5.0 s");
    }

    @Test
    void chartKeepsAVeryShortPauseVisible() throws Exception {
        Document page = pageWithPause(new Pause(at(45), Duration.ofMillis(1)));

        assertThat(Double.parseDouble(single(page, "rect", "pause").getAttribute("width")))
                .isGreaterThanOrEqualTo(SvgChart.MINIMUM_PAUSE_WIDTH);
    }

    @Test
    void chartKeepsAPauseAtTheVeryEndInsideThePlot() throws Exception {
        Document page = pageWithPause(new Pause(at(50), Duration.ZERO));

        Element band = single(page, "rect", "pause");
        double right = Double.parseDouble(band.getAttribute("x")) + Double.parseDouble(band.getAttribute("width"));
        assertThat(right).isLessThanOrEqualTo(SvgChart.PLOT_RIGHT + 0.05);
        assertThat(Double.parseDouble(band.getAttribute("width"))).isGreaterThanOrEqualTo(SvgChart.MINIMUM_PAUSE_WIDTH);
    }

    @Test
    void chartHasNoPauseBandWithoutAPause() throws Exception {
        MigrationReport noPause = Reports.typicalBuilder().pause(Optional.empty()).build();
        Document page = readXml(writer.write(noPause, directory).html());

        assertThat(elements(page, "rect", "pause")).isEmpty();
        assertThat(rowsOf(page, "summary")).contains(List.of("Pause", "none"));
    }

    @Test
    void hostileTextIsShownAsWrittenAndCannotBreakOrScriptThePage() throws Exception {
        String hostile = "<script>alert(\"x\")</script> & 'web' ]]> <!-- \u0001";
        MigrationReport report = Reports.typicalBuilder()
                .vmName(hostile)
                .sites("a&b <c>", "\"d\"")
                .detail(hostile)
                .policy(Map.of("<key>", "&value;"))
                .checks(List.of(new Check("<c>", false, "found & \"said\"", "run '<fix>'")))
                .build();
        Written written = writer.write(report, directory);

        Document page = readXml(written.html());
        String shown = "<script>alert(\"x\")</script> & 'web' ]]> <!-- \uFFFD";
        assertThat(text(page, XHTML, "h1")).isEqualTo("Migration of " + shown);
        assertThat(single(page, "p", "route").getTextContent()).isEqualTo("a&b <c> \u2192 \"d\"");
        assertThat(page.getElementsByTagNameNS("*", "script").getLength()).isZero();
        assertThat(rowsOf(page, "policy")).contains(List.of("<key>", "&value;"));
        assertThat(rowsOf(page, "checks")).contains(List.of("<c>", "fail", "found & \"said\"", "run '<fix>'"));
        assertThat(Files.readString(written.html())).doesNotContain("<script", "\u0001");
        // JSON escapes on its own and carries the name exactly, control character included.
        assertThat(readJson(written.json()).get("vmName").asText()).isEqualTo(hostile);
    }

    @Test
    void withoutSamplesTheChartSaysSoAndStillShowsThePhases() throws Exception {
        MigrationReport failedEarly = Reports.typicalBuilder()
                .finalPhase(Phase.FAILED)
                .phases(List.of(new PhaseMark(Phase.PLAN, at(0)), new PhaseMark(Phase.PREFLIGHT, at(1)),
                        new PhaseMark(Phase.FAILED, at(2))))
                .endedAt(at(2))
                .samples(List.of())
                .ladder(List.of())
                .pause(Optional.empty())
                .totalTransferTime(Optional.empty())
                .bytesTransferred(0)
                .clientInterruption(Optional.empty())
                .build();
        Written written = writer.write(failedEarly, directory);

        Document page = readXml(written.html());
        assertThat(single(page, "text", "no-samples").getTextContent()).isEqualTo("no transfer samples");
        assertThat(page.getElementsByTagNameNS(SVG, "polyline").getLength()).isZero();
        assertThat(elements(page, "line", "phase-mark")).hasSize(3);
        assertThat(Files.readString(written.html())).contains("No convergence steps were taken.");
        assertThat(readJson(written.json()).get("samples")).isEmpty();
    }

    @Test
    void oneSampleIsDrawnAsAVisiblePointOnEachSeries() throws Exception {
        // 1000 MiB and 5 MiB/s are round maxima of their axes.
        Sample only = new Sample(at(10), 0, 0, 1000L << 20, 5L << 20, 50L << 20);
        Document page = readXml(writer.write(Reports.typicalBuilder().samples(List.of(only)).build(), directory)
                .html());

        for (String series : List.of("remaining", "dirty-rate")) {
            List<double[]> points = points(single(page, "polyline", series));
            assertThat(points).hasSize(1);
            assertThat(points.get(0)[0]).isCloseTo(SvgChart.PLOT_LEFT + PLOT_WIDTH * 10 / 50, within(0.1));
            Element point = single(page, "circle", series + "-point");
            assertThat(Double.parseDouble(point.getAttribute("cx"))).isEqualTo(points.get(0)[0]);
            // The only sample is the largest, and round: it sits at the very top of its own axis.
            assertThat(Double.parseDouble(point.getAttribute("cy"))).isCloseTo(SvgChart.PLOT_TOP, within(0.1));
        }
    }

    @Test
    void aMigrationThatTookNoTimeStillGivesAFiniteChart() throws Exception {
        MigrationReport instant = Reports.typicalBuilder()
                .endedAt(Reports.START)
                .phases(List.of(new PhaseMark(Phase.PLAN, at(0)), new PhaseMark(Phase.ABORTED, at(0))))
                .finalPhase(Phase.ABORTED)
                .samples(List.of(new Sample(at(0), 0, 0, 0, 0, 0)))
                .pause(Optional.of(new Pause(at(0), Duration.ZERO)))
                .totalTransferTime(Optional.of(Duration.ZERO))
                .clientInterruption(Optional.of(Duration.ZERO))
                .build();
        Written written = writer.write(instant, directory);

        String page = Files.readString(written.html());
        assertThat(page).doesNotContain("NaN", "Infinity");
        Document document = readXml(written.html());
        assertThat(points(single(document, "polyline", "remaining")).get(0))
                .containsExactly(SvgChart.PLOT_LEFT, SvgChart.PLOT_BOTTOM);
        assertThat(rowsOf(document, "summary")).contains(List.of("Total time", "0 ms"));
        assertThat(Double.parseDouble(single(document, "rect", "pause").getAttribute("width")))
                .isGreaterThanOrEqualTo(SvgChart.MINIMUM_PAUSE_WIDTH);
        assertThat(readJson(written.json()).get("durationMillis").asLong()).isZero();
    }

    @Test
    void hugeAndNegativeFiguresStayExactInJsonAndInsideTheChart() throws Exception {
        MigrationReport huge = Reports.typicalBuilder()
                .samples(List.of(
                        new Sample(at(10), Long.MAX_VALUE, 0, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
                        new Sample(at(20), 1, 0, -1, -1, -1)))
                .bytesTransferred(Long.MAX_VALUE)
                .build();
        Written written = writer.write(huge, directory);

        JsonNode json = readJson(written.json());
        assertThat(json.get("bytesTransferred").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(json.get("samples").get(0).get("remainingBytes").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(json.get("samples").get(1).get("remainingBytes").asLong()).isEqualTo(-1);
        Document page = readXml(written.html());
        for (double[] point : points(single(page, "polyline", "remaining"))) {
            assertThat(point[1]).isBetween(SvgChart.PLOT_TOP, SvgChart.PLOT_BOTTOM);
        }
        assertThat(rowsOf(page, "summary")).contains(List.of("Bytes transferred", "8.00 EiB (9223372036854775807 bytes)"));
        assertThat(elements(page, "text", "tick-remaining")).allSatisfy(
                tick -> assertThat(tick.getTextContent().length()).isLessThanOrEqualTo(7));
    }

    @Test
    void aSecondWriteReplacesBothFilesAndLeavesNoTemporaryFiles() throws IOException {
        writer.write(Reports.typicalBuilder().detail("first attempt").build(), directory);

        Written second = writer.write(Reports.typicalBuilder().detail("second attempt").build(), directory);

        assertThat(Files.readString(second.json())).contains("second attempt").doesNotContain("first attempt");
        assertThat(Files.readString(second.html())).contains("second attempt").doesNotContain("first attempt");
        assertThat(listing(directory)).containsExactlyInAnyOrder("m-20260301-0001.json", "m-20260301-0001.html");
    }

    @Test
    void theSameReportGivesTheSameBytes() throws IOException {
        Written first = writer.write(Reports.typical(), directory.resolve("first"));
        Written second = writer.write(Reports.typical(), directory.resolve("second"));

        assertThat(Files.readAllBytes(second.json())).isEqualTo(Files.readAllBytes(first.json()));
        assertThat(Files.readAllBytes(second.html())).isEqualTo(Files.readAllBytes(first.html()));
    }

    @Test
    void refusesAMigrationIdThatIsNotAFileNameAndWritesNothing() {
        Path reports = directory.resolve("reports");
        for (String id : List.of("../escape", "a/b", "a\\b", "..", ".", "", "a\0b")) {
            MigrationReport report = Reports.typicalBuilder().migrationId(id).build();
            assertThatThrownBy(() -> writer.write(report, reports))
                    .as(id)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot name a report file");
        }
        assertThat(listing(directory)).isEmpty();
    }

    @Test
    void aDirectoryThatCannotBeMadeIsAnUncheckedIoException() throws IOException {
        Path notADirectory = Files.writeString(directory.resolve("file"), "in the way");

        assertThatThrownBy(() -> writer.write(Reports.typical(), notADirectory.resolve("reports")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("reports directory");
    }

    @Test
    void aMigrationIdWithSpacesIsLinkedFromThePage() throws Exception {
        Written written = writer.write(Reports.typicalBuilder().migrationId("run #2 100%").build(), directory);

        assertThat(written.json().getFileName().toString()).isEqualTo("run #2 100%.json");
        Element link = (Element) readXml(written.html()).getElementsByTagNameNS(XHTML, "a").item(0);
        assertThat(link.getAttribute("href")).isEqualTo("run%20%232%20100%25.json");
    }

    private Document pageWithPause(Pause pause) throws Exception {
        return readXml(writer.write(Reports.typicalBuilder().pause(Optional.of(pause)).build(), directory).html());
    }

    private static JsonNode readJson(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    /** Parses as namespace-aware XML: any malformed markup fails the test here. */
    private static Document readXml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        return builder.parse(file.toFile());
    }

    private static String text(Document page, String namespace, String localName) {
        NodeList nodes = page.getElementsByTagNameNS(namespace, localName);
        assertThat(nodes.getLength()).as(localName).isEqualTo(1);
        return nodes.item(0).getTextContent();
    }

    /** Elements of either namespace with the local name and the class. */
    private static List<Element> elements(Document page, String localName, String cssClass) {
        NodeList nodes = page.getElementsByTagNameNS("*", localName);
        List<Element> found = new ArrayList<>();
        for (int index = 0; index < nodes.getLength(); index++) {
            Element element = (Element) nodes.item(index);
            if (element.getAttribute("class").equals(cssClass)) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element single(Document page, String localName, String cssClass) {
        List<Element> found = elements(page, localName, cssClass);
        assertThat(found).as(localName + "." + cssClass).hasSize(1);
        return found.get(0);
    }

    /** The cells' texts of each row of the table with that class, header cells included. */
    private static List<List<String>> rowsOf(Document page, String tableClass) {
        Element table = single(page, "table", tableClass);
        NodeList rows = table.getElementsByTagNameNS(XHTML, "tr");
        List<List<String>> cells = new ArrayList<>();
        for (int row = 0; row < rows.getLength(); row++) {
            List<String> texts = new ArrayList<>();
            NodeList children = rows.item(row).getChildNodes();
            for (int child = 0; child < children.getLength(); child++) {
                if (children.item(child) instanceof Element cell) {
                    texts.add(cell.getTextContent());
                }
            }
            cells.add(texts);
        }
        return cells;
    }

    private static List<double[]> points(Element polyline) {
        String points = polyline.getAttribute("points").trim();
        return Stream.of(points.split("\\s+"))
                .map(pair -> pair.split(","))
                .map(pair -> new double[] {Double.parseDouble(pair[0]), Double.parseDouble(pair[1])})
                .toList();
    }

    private static List<String> listing(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
