package io.livcloud.labtools.bench;

import static io.livcloud.labtools.bench.SampleResults.BASELINE;
import static io.livcloud.labtools.bench.SampleResults.LIVCLOUD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class BenchChartTest {

    @Test
    void showsMedianTimeAndPausePerRateAndVariantAndNothingForWhatNeverConverged() throws Exception {
        Document svg = parse(BenchChart.render(SampleResults.builder()
                .converged(BASELINE, 0, 4.0, 170, 1e8).converged(LIVCLOUD, 0, 2.0, 30, 1e8)
                .notConverged(BASELINE, 50, 3e9).converged(LIVCLOUD, 50, 6.0, 25, 1e8).build()));

        assertThat(bars(svg)).containsExactly(
                "0 MiB/s/libvirt defaults=4.000", "0 MiB/s/LivCloud=2.000", "50 MiB/s/LivCloud=6.000",
                "0 MiB/s/libvirt defaults=170.000", "0 MiB/s/LivCloud=30.000", "50 MiB/s/LivCloud=25.000");
        assertThat(svg.getDocumentElement().getTextContent()).contains("n/a");
    }

    @Test
    void withoutMigrationsItIsStillAWellFormedChartThatSaysSo() throws Exception {
        Document svg = parse(BenchChart.render(SampleResults.builder().build()));

        assertThat(svg.getElementsByTagName("title").item(0).getTextContent()).contains("no migration measured");
        assertThat(bars(svg)).isEmpty();
    }

    private static Document parse(String svg) throws Exception {
        return SvgDocuments.parse(svg);
    }

    private static List<String> bars(Document svg) {
        return SvgDocuments.elements(svg, "rect", "bar").stream().map(rect -> rect.getAttribute("data-group") + "/"
                + rect.getAttribute("data-series") + "=" + rect.getAttribute("data-value")).toList();
    }
}
