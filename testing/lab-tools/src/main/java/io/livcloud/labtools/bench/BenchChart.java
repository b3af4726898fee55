package io.livcloud.labtools.bench;

import io.livcloud.labtools.bench.GroupedBarChart;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The bench's chart: per dirty rate, the median total time and the median VM pause of each variant side by side, the
 * baseline among them; a variant that never converged at a rate shows {@code n/a} there instead of a bar.
 */
public final class BenchChart {

    private BenchChart() {
    }

    /** The SVG document; with no migration measured, a chart that says so in its title. */
    public static String render(BenchResults results) {
        List<MigrationRow> rows = MigrationRow.of(results);
        List<String> series = results.variants().stream().map(BenchResults.Variant::name).toList();
        String title = rows.isEmpty() ? "LivCloud bench: no migration measured"
                : "Migration between the sites: median of " + results.conditions().runs() + " run(s), "
                        + results.conditions().memoryMiB() + " MiB guest";
        return GroupedBarChart.render(title, series, List.of(
                panel("total time (s), runs that converged", results, rows,
                        row -> row.totalSeconds().median()),
                panel("VM pause, QEMU downtime (ms)", results, rows, row -> row.pauseMillis().median())));
    }

    private static GroupedBarChart.Panel panel(String title, BenchResults results, List<MigrationRow> rows,
            Function<MigrationRow, OptionalDouble> figure) {
        List<List<OptionalDouble>> values = new ArrayList<>();
        for (BenchResults.Variant variant : results.variants()) {
            List<OptionalDouble> perRate = new ArrayList<>();
            for (int rate : results.rates()) {
                perRate.add(rows.stream()
                        .filter(row -> row.dirtyRateMiBps() == rate && row.variant().equals(variant))
                        .findFirst().map(figure).orElse(OptionalDouble.empty()));
            }
            values.add(perRate);
        }
        List<String> groups = results.rates().stream().map(rate -> rate + " MiB/s").toList();
        return new GroupedBarChart.Panel(title, groups, values);
    }
}
