package io.livcloud.labtools.bench;

import static io.livcloud.labtools.bench.SampleResults.BASELINE;
import static io.livcloud.labtools.bench.SampleResults.LIVCLOUD;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    @Test
    void eachFigureIsInItsColumn() {
        String markdown = MarkdownReport.render(SampleResults.builder()
                .converged(BASELINE, 10, 5.0, 150, 200 * 1048576.0).converged(LIVCLOUD, 10, 2.5, 40, 100 * 1048576.0)
                .build());

        List<String> header = cells(line(markdown, "| dirty MiB/s |"));
        List<String> livCloud = cells(line(markdown, "| 10 | LivCloud |"));
        assertThat(header).hasSameSizeAs(livCloud);
        assertThat(livCloud.get(header.indexOf("converged"))).isEqualTo("1/1");
        assertThat(livCloud.get(header.indexOf("total s p50"))).isEqualTo("2.50");
        assertThat(livCloud.get(header.indexOf("VM pause ms p50"))).isEqualTo("40");
        assertThat(livCloud.get(header.indexOf("client gap ms p50"))).isEqualTo("n/a");
        assertThat(livCloud.get(header.indexOf("MiB sent p50"))).isEqualTo("100.0");
        assertThat(livCloud.get(header.indexOf("total vs baseline"))).isEqualTo("0.50x");
        List<String> baseline = cells(line(markdown, "| 10 | libvirt defaults |"));
        assertThat(baseline.get(header.indexOf("VM pause ms p50"))).isEqualTo("150");
        assertThat(markdown).contains("| through the tunnel (subnet to subnet) | 480 | 400 | 560 | 0.030 |");
    }

    @Test
    void aBaselineThatNeverConvergedHasNoTimeButItsCount() {
        String markdown = MarkdownReport.render(SampleResults.builder().notConverged(BASELINE, 50, 3 * 1048576.0)
                .notConverged(BASELINE, 50, 5 * 1048576.0).converged(LIVCLOUD, 50, 2, 20, 1e8)
                .converged(LIVCLOUD, 50, 2, 20, 1e8).build());

        List<String> header = cells(line(markdown, "| dirty MiB/s |"));
        List<String> baseline = cells(line(markdown, "| 50 | libvirt defaults |"));
        assertThat(baseline.get(header.indexOf("converged"))).isEqualTo("0/2");
        assertThat(baseline.get(header.indexOf("total s p50"))).isEqualTo("n/a");
        assertThat(baseline.get(header.indexOf("MiB sent p50"))).isEqualTo("4.0");
        assertThat(cells(line(markdown, "| 50 | LivCloud |")).get(header.indexOf("total vs baseline")))
                .isEqualTo("n/a");
        assertThat(markdown).contains("| LivCloud, 50 MiB/s: converged | 20/20 | 2/2 | too few runs to tell |");
    }

    @Test
    void aPipeInAVariantNameDoesNotAddAColumn() {
        BenchResults.Variant odd = new BenchResults.Variant("multi|fd", "--multifd 4 | more", false);
        String markdown = MarkdownReport.render(SampleResults.builder().variant(odd)
                .converged(odd, 0, 1, 10, 1e8).converged(BASELINE, 0, 2, 10, 1e8).build());

        String row = line(markdown, "| 0 | multi\\|fd |");
        assertThat(cells(row)).hasSameSizeAs(cells(line(markdown, "| dirty MiB/s |")));
        assertThat(markdown).contains("- multi\\|fd: --multifd 4 \\| more");
    }

    @Test
    void controlPlaneRowsCarryTheirBaselineAndRatio() {
        String markdown = MarkdownReport.render(SampleResults.builder().noTunnel()
                .controlPlane(new BenchResults.ControlPlaneFigures("bin/livcloud", List.of(5000.0), List.of(4000.0),
                        List.of(200.0), List.of(50.0), List.of(300.0), List.of(100.0), 5))
                .build());

        assertThat(markdown).contains("| `livcloud --version` | 200 | 200 | 1 | `java -version`, same JVM options | 50"
                + " | 4.00x |");
        assertThat(markdown).contains("| control-plane overhead (wall - hypervisor) | 1000 | 1000 | 1 |");
        assertThat(markdown).doesNotContain("## Migration between the sites").doesNotContain("## Tunnel throughput");
    }

    private static String line(String markdown, String start) {
        return markdown.lines().filter(each -> each.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with " + start + " in\n" + markdown));
    }

    /** The cells of a table row, split on pipes that are not escaped. */
    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        for (int index = 1; index < row.length(); index++) {
            char character = row.charAt(index);
            if (character == '\\' && index + 1 < row.length()) {
                cell.append(character).append(row.charAt(++index));
            } else if (character == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(character);
            }
        }
        return cells;
    }
}
