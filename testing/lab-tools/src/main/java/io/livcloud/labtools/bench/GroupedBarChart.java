package io.livcloud.labtools.bench;

import io.livcloud.engine.report.Figures;
import io.livcloud.engine.report.SvgChart;
import io.livcloud.engine.report.Xml;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Figures compared side by side as an SVG document: one or more panels stacked vertically, each with groups along x (a
 * dirty rate, say) and one bar per series in each group (LivCloud, the baseline). A value that was not measured (a
 * migration that never converged) has no bar but the text {@code n/a}, so an absent figure is never drawn as zero.
 * Shares the scale, escaping and number format of the report page's chart; a pure function of its input.
 */
public final class GroupedBarChart {

    static final int WIDTH = 900;
    static final int PANEL_HEIGHT = 300;
    static final double PLOT_LEFT = 80;
    static final double PLOT_RIGHT = 860;
    static final double PANEL_PLOT_TOP = 50;
    static final double PANEL_PLOT_BOTTOM = 240;
    private static final int TITLE_HEIGHT = 40;
    private static final int LEGEND_HEIGHT = 40;
    private static final List<String> COLOURS = List.of("#1f6fb4", "#e07b00", "#2ca02c", "#9467bd", "#8c564b");

    /**
     * One panel.
     *
     * @param title what it shows, e.g. {@code total time (s)}
     * @param groups the labels along x, in order
     * @param values per series (in the chart's series order), one value per group; empty where not measured
     */
    public record Panel(String title, List<String> groups, List<List<OptionalDouble>> values) {
        public Panel {
            Objects.requireNonNull(title, "title is null");
            groups = List.copyOf(groups);
            values = values.stream().map(List::copyOf).toList();
            for (List<OptionalDouble> series : values) {
                if (series.size() != groups.size()) {
                    throw new IllegalArgumentException("panel '" + title + "' has " + groups.size()
                            + " groups but a series with " + series.size() + " values");
                }
            }
        }
    }

    private final String title;
    private final List<String> series;
    private final List<Panel> panels;
    private final StringBuilder svg = new StringBuilder(8 * 1024);

    private GroupedBarChart(String title, List<String> series, List<Panel> panels) {
        this.title = Objects.requireNonNull(title, "title is null");
        this.series = List.copyOf(series);
        this.panels = List.copyOf(panels);
        if (this.series.size() > COLOURS.size()) {
            throw new IllegalArgumentException("at most " + COLOURS.size() + " series, got " + this.series.size());
        }
        for (Panel panel : this.panels) {
            if (panel.values().size() != this.series.size()) {
                throw new IllegalArgumentException("panel '" + panel.title() + "' has " + panel.values().size()
                        + " series, the chart " + this.series.size());
            }
        }
    }

    /** The chart as a standalone SVG document (with its XML declaration). */
    public static String render(String title, List<String> series, List<Panel> panels) {
        return new GroupedBarChart(title, series, panels).draw();
    }

    private String draw() {
        int height = TITLE_HEIGHT + panels.size() * PANEL_HEIGHT + LEGEND_HEIGHT;
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append("<svg xmlns=\"").append(SvgChart.NAMESPACE).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" font-family=\"system-ui, sans-serif\" role=\"img\">\n");
        svg.append("<title>").append(Xml.escape(title)).append("</title>\n");
        text(WIDTH / 2.0, 26, "middle", "chart-title", 16, title);
        for (int index = 0; index < panels.size(); index++) {
            drawPanel(panels.get(index), TITLE_HEIGHT + index * PANEL_HEIGHT);
        }
        drawLegend(TITLE_HEIGHT + panels.size() * PANEL_HEIGHT + 20);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private void drawPanel(Panel panel, double offset) {
        double largest = panel.values().stream().flatMap(List::stream).filter(OptionalDouble::isPresent)
                .mapToDouble(OptionalDouble::getAsDouble).max().orElse(0);
        SvgChart.Scale scale = SvgChart.Scale.covering(largest);
        double top = offset + PANEL_PLOT_TOP;
        double bottom = offset + PANEL_PLOT_BOTTOM;
        svg.append("<g class=\"panel\">\n");
        text(PLOT_LEFT, offset + 30, "start", "panel-title", 13, panel.title());
        for (double tick : scale.ticks()) {
            double y = y(tick, scale, top, bottom);
            line(PLOT_LEFT, y, PLOT_RIGHT, y, "#e4e4e4");
            text(PLOT_LEFT - 6, y + 4, "end", "tick", 11, Figures.compact(tick));
        }
        line(PLOT_LEFT, bottom, PLOT_RIGHT, bottom, "#333");
        int groups = panel.groups().size();
        double groupWidth = groups == 0 ? 0 : (PLOT_RIGHT - PLOT_LEFT) / groups;
        double barWidth = series.isEmpty() ? 0 : groupWidth * 0.7 / series.size();
        for (int group = 0; group < groups; group++) {
            double groupLeft = PLOT_LEFT + group * groupWidth + groupWidth * 0.15;
            text(PLOT_LEFT + (group + 0.5) * groupWidth, bottom + 18, "middle", "group", 11,
                    panel.groups().get(group));
            for (int index = 0; index < series.size(); index++) {
                double x = groupLeft + index * barWidth;
                OptionalDouble value = panel.values().get(index).get(group);
                if (value.isEmpty()) {
                    text(x + barWidth / 2, bottom - 4, "middle", "not-measured", 10, "n/a");
                    continue;
                }
                double barTop = y(value.getAsDouble(), scale, top, bottom);
                svg.append("<rect class=\"bar\" data-series=\"").append(Xml.escape(series.get(index)))
                        .append("\" data-group=\"").append(Xml.escape(panel.groups().get(group)))
                        .append("\" data-value=\"").append(value(value.getAsDouble())).append("\" x=\"")
                        .append(number(x)).append("\" y=\"").append(number(barTop)).append("\" width=\"")
                        .append(number(barWidth * 0.92)).append("\" height=\"").append(number(bottom - barTop))
                        .append("\" fill=\"").append(COLOURS.get(index)).append("\"><title>")
                        .append(Xml.escape(series.get(index) + ", " + panel.groups().get(group) + ": "
                                + Figures.compact(value.getAsDouble())))
                        .append("</title></rect>\n");
                text(x + barWidth / 2, barTop - 4, "middle", "value", 10, Figures.compact(value.getAsDouble()));
            }
        }
        svg.append("</g>\n");
    }

    private void drawLegend(double y) {
        svg.append("<g class=\"legend\">\n");
        double x = PLOT_LEFT;
        for (int index = 0; index < series.size(); index++) {
            svg.append("<rect x=\"").append(number(x)).append("\" y=\"").append(number(y - 10))
                    .append("\" width=\"14\" height=\"10\" fill=\"").append(COLOURS.get(index)).append("\"/>\n");
            text(x + 20, y, "start", "legend-label", 11, series.get(index));
            x += 20 + series.get(index).length() * 6.5 + 24;
        }
        svg.append("</g>\n");
    }

    private void line(double x1, double y1, double x2, double y2, String colour) {
        svg.append("<line x1=\"").append(number(x1)).append("\" y1=\"").append(number(y1)).append("\" x2=\"")
                .append(number(x2)).append("\" y2=\"").append(number(y2)).append("\" stroke=\"").append(colour)
                .append("\"/>\n");
    }

    private void text(double x, double y, String anchor, String cssClass, int size, String content) {
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(number(x)).append("\" y=\"")
                .append(number(y)).append("\" font-size=\"").append(size).append("\" text-anchor=\"").append(anchor)
                .append("\">").append(Xml.escape(content)).append("</text>\n");
    }

    private static double y(double value, SvgChart.Scale scale, double top, double bottom) {
        double clamped = Math.max(0, Math.min(scale.maximum(), value));
        return bottom - clamped / scale.maximum() * (bottom - top);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** The exact figure, for programs reading the chart (tests, scrapers): more digits than a pixel needs. */
    private static String value(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
