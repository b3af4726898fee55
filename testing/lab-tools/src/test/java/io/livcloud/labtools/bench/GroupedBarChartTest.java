package io.livcloud.labtools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.engine.report.SvgChart;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class GroupedBarChartTest {

    private static final List<String> SERIES = List.of("LivCloud", "libvirt defaults");

    @Test
    void isWellFormedSvgEvenWithMarkupInNames() throws Exception {
        String svg = GroupedBarChart.render("<b>&\"bench\"", List.of("a<b", "c&d"), List.of(new GroupedBarChart.Panel(
                "time 'x'", List.of("0 MiB/s <idle>"), List.of(List.of(OptionalDouble.of(1)),
                        List.of(OptionalDouble.of(2))))));

        Document document = parse(svg);

        assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
        assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo(SvgChart.NAMESPACE);
        assertThat(document.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("<b>&\"bench\"");
        assertThat(bars(document)).extracting(bar -> bar.getAttribute("data-series")).containsExactly("a<b", "c&d");
        assertThat(bars(document).get(0).getAttribute("data-group")).isEqualTo("0 MiB/s <idle>");
    }

    @Test
    void barsArePlacedByGroupAndSeriesWithHeightsProportionalToTheirValues() throws Exception {
        GroupedBarChart.Panel panel = new GroupedBarChart.Panel("total time (s)", List.of("0", "50"),
                List.of(List.of(OptionalDouble.of(2), OptionalDouble.of(8)),
                        List.of(OptionalDouble.of(4), OptionalDouble.of(1))));

        List<Element> bars = bars(parse(GroupedBarChart.render("bench", SERIES, List.of(panel))));

        assertThat(bars).extracting(bar -> bar.getAttribute("data-group") + "/" + bar.getAttribute("data-series")
                + "=" + bar.getAttribute("data-value")).containsExactly("0/LivCloud=2.000",
                "0/libvirt defaults=4.000", "50/LivCloud=8.000", "50/libvirt defaults=1.000");
        double unit = height(bars.get(0)) / 2;
        assertThat(height(bars.get(1))).isCloseTo(4 * unit, org.assertj.core.data.Offset.offset(0.2));
        assertThat(height(bars.get(2))).isCloseTo(8 * unit, org.assertj.core.data.Offset.offset(0.2));
        // Left to right: group 0's bars, then group 50's; within a group the series in order.
        assertThat(bars).extracting(bar -> Double.parseDouble(bar.getAttribute("x"))).isSorted();
        // Every bar stands on the same baseline.
        assertThat(bars).extracting(bar -> Math.round(Double.parseDouble(bar.getAttribute("y")) + height(bar)))
                .containsOnly(Math.round(GroupedBarChart.PANEL_PLOT_BOTTOM + 40));
    }

    @Test
    void aValueNotMeasuredHasNoBarButSaysSo() throws Exception {
        GroupedBarChart.Panel panel = new GroupedBarChart.Panel("pause (ms)", List.of("200"),
                List.of(List.of(OptionalDouble.of(25)), List.of(OptionalDouble.empty())));

        Document document = parse(GroupedBarChart.render("bench", SERIES, List.of(panel)));

        assertThat(bars(document)).hasSize(1);
        assertThat(texts(document, "not-measured")).containsExactly("n/a");
    }

    @Test
    void panelsStackAndTheDocumentGrowsWithThem() throws Exception {
        GroupedBarChart.Panel panel = new GroupedBarChart.Panel("p", List.of("g"),
                List.of(List.of(OptionalDouble.of(1)), List.of(OptionalDouble.of(1))));

        Document one = parse(GroupedBarChart.render("bench", SERIES, List.of(panel)));
        Document two = parse(GroupedBarChart.render("bench", SERIES, List.of(panel, panel)));

        assertThat(Integer.parseInt(two.getDocumentElement().getAttribute("height"))
                - Integer.parseInt(one.getDocumentElement().getAttribute("height")))
                .isEqualTo(GroupedBarChart.PANEL_HEIGHT);
        assertThat(bars(two)).hasSize(4);
    }

    @Test
    void refusesAPanelWhoseSeriesDoNotMatch() {
        assertThatThrownBy(() -> new GroupedBarChart.Panel("p", List.of("a", "b"),
                List.of(List.of(OptionalDouble.of(1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 groups");
        GroupedBarChart.Panel onlyOneSeries = new GroupedBarChart.Panel("p", List.of("a"),
                List.of(List.of(OptionalDouble.of(1))));
        assertThatThrownBy(() -> GroupedBarChart.render("bench", SERIES, List.of(onlyOneSeries)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 series");
    }

    private static Document parse(String svg) throws Exception {
        return SvgDocuments.parse(svg);
    }

    private static List<Element> bars(Document document) {
        return SvgDocuments.elements(document, "rect", "bar");
    }

    private static List<String> texts(Document document, String cssClass) {
        return SvgDocuments.elements(document, "text", cssClass).stream().map(Element::getTextContent).toList();
    }

    private static double height(Element bar) {
        return Double.parseDouble(bar.getAttribute("height"));
    }
}
