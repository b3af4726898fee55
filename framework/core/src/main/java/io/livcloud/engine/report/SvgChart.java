package io.livcloud.engine.report;

import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationReport.Pause;
import io.livcloud.engine.MigrationReport.PhaseMark;
import io.livcloud.engine.MigrationReport.Sample;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.stream.LongStream;

/**
 * The transfer chart of the report page, as inline SVG: x is seconds since the migration started; the remaining bytes
 * (MiB, left axis) and the guest's dirty rate (MiB/s, right axis) are two polylines; each phase entered is a dashed
 * vertical line with its name; the pause at switch-over is a shaded band. Called by {@link HtmlPage}; a pure function of
 * the report, so the same report always gives the same SVG.
 *
 * <p>Public only for its {@link #NAMESPACE} and {@link Scale}, which the lab tools' bench chart shares so that both
 * charts read alike; the chart itself is the report's.
 */
public final class SvgChart {

    public static final String NAMESPACE = "http://www.w3.org/2000/svg";
    static final int WIDTH = 900;
    static final int HEIGHT = 400;
    static final double PLOT_LEFT = 80;
    static final double PLOT_RIGHT = 820;
    static final double PLOT_TOP = 40;
    static final double PLOT_BOTTOM = 310;
    /** A pause of a few milliseconds in a migration of minutes is far below a pixel; it must still be seen. */
    static final double MINIMUM_PAUSE_WIDTH = 2;

    private static final double MIB = 1024.0 * 1024.0;
    private static final String REMAINING_COLOUR = "#1f6fb4";
    private static final String DIRTY_RATE_COLOUR = "#e07b00";
    private static final String PAUSE_COLOUR = "#d62728";
    private static final String PHASE_COLOUR = "#555555";

    private final MigrationReport report;
    private final List<Sample> samples;
    private final Scale time;
    private final Scale remaining;
    private final Scale dirtyRate;
    private final StringBuilder svg = new StringBuilder(16 * 1024);

    private SvgChart(MigrationReport report) {
        this.report = report;
        // The report promises time order; sorting anyway keeps the lines from folding back on a stray sample.
        this.samples = report.samples().stream().sorted(Comparator.comparing(Sample::at)).toList();
        this.time = Scale.covering(latestSecond());
        this.remaining = Scale.covering(largestMebibytes(Sample::remainingBytes));
        this.dirtyRate = Scale.covering(largestMebibytes(Sample::dirtyRateBytesPerSecond));
    }

    /** The chart as one {@code <svg>} element in the SVG namespace. */
    static String render(MigrationReport report) {
        return new SvgChart(report).draw();
    }

    private String draw() {
        svg.append("<svg xmlns=\"").append(NAMESPACE).append("\" class=\"transfer-chart\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(HEIGHT).append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" role=\"img\"")
                .append(" aria-labelledby=\"chart-title\">\n");
        svg.append("<title id=\"chart-title\">Remaining memory and dirty rate of ").append(Xml.escape(report.vmName()))
                .append(" over time</title>\n");
        drawGridAndAxes();
        report.pause().ifPresent(this::drawPause);
        drawPhaseMarks();
        if (samples.isEmpty()) {
            text((PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2, "middle", "no-samples",
                    "no transfer samples");
        } else {
            drawSeries("remaining", REMAINING_COLOUR, Sample::remainingBytes, remaining);
            drawSeries("dirty-rate", DIRTY_RATE_COLOUR, Sample::dirtyRateBytesPerSecond, dirtyRate);
        }
        drawLegend();
        svg.append("</svg>");
        return svg.toString();
    }

    private void drawGridAndAxes() {
        svg.append("<g class=\"axes\" font-size=\"11\" fill=\"#333\">\n");
        for (double tick : remaining.ticks()) {
            double y = y(tick, remaining);
            line(PLOT_LEFT, y, PLOT_RIGHT, y, "grid", "stroke=\"#e4e4e4\"");
            text(PLOT_LEFT - 6, y + 4, "end", "tick-remaining", Figures.compact(tick));
        }
        for (double tick : dirtyRate.ticks()) {
            text(PLOT_RIGHT + 6, y(tick, dirtyRate) + 4, "start", "tick-dirty-rate", Figures.compact(tick));
        }
        for (double tick : time.ticks()) {
            double x = x(tick);
            line(x, PLOT_BOTTOM, x, PLOT_BOTTOM + 5, "tick", "stroke=\"#333\"");
            text(x, PLOT_BOTTOM + 18, "middle", "tick-time", Figures.compact(tick));
        }
        line(PLOT_LEFT, PLOT_TOP, PLOT_LEFT, PLOT_BOTTOM, "axis", "stroke=\"" + REMAINING_COLOUR + "\"");
        line(PLOT_RIGHT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM, "axis", "stroke=\"" + DIRTY_RATE_COLOUR + "\"");
        line(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, "axis", "stroke=\"#333\"");
        text((PLOT_LEFT + PLOT_RIGHT) / 2, PLOT_BOTTOM + 36, "middle", "axis-title", "seconds since start");
        rotatedText(22, (PLOT_TOP + PLOT_BOTTOM) / 2, "middle", "axis-title", "remaining (MiB)");
        rotatedText(WIDTH - 14, (PLOT_TOP + PLOT_BOTTOM) / 2, "middle", "axis-title", "dirty rate (MiB/s)");
        svg.append("</g>\n");
    }

    private void drawPause(Pause pause) {
        double start = x(Timing.secondsSinceStart(report, pause.at()));
        double end = x(Timing.secondsSinceStart(report, pause.at()) + seconds(pause));
        double width = Math.max(MINIMUM_PAUSE_WIDTH, end - start);
        // A pause at the very end would be pushed out of the plot by the minimum width: move it back in.
        start = Math.min(start, PLOT_RIGHT - width);
        String label = "pause " + Figures.duration(pause.downtime());
        svg.append("<g class=\"pause\">\n");
        svg.append("<rect class=\"pause\" x=\"").append(number(start)).append("\" y=\"").append(number(PLOT_TOP))
                .append("\" width=\"").append(number(width)).append("\" height=\"")
                .append(number(PLOT_BOTTOM - PLOT_TOP)).append("\" fill=\"").append(PAUSE_COLOUR)
                .append("\" fill-opacity=\"0.3\" stroke=\"").append(PAUSE_COLOUR).append("\" stroke-width=\"0.5\">")
                .append("<title>").append(Xml.escape(label)).append("</title></rect>\n");
        text(start + width / 2, PLOT_TOP - 6, "middle", "pause-label", label);
        svg.append("</g>\n");
    }

    private void drawPhaseMarks() {
        svg.append("<g class=\"phase-marks\" font-size=\"10\" fill=\"").append(PHASE_COLOUR).append("\">\n");
        for (PhaseMark mark : report.phases()) {
            double x = x(Timing.secondsSinceStart(report, mark.at()));
            line(x, PLOT_TOP, x, PLOT_BOTTOM, "phase-mark",
                    "stroke=\"" + PHASE_COLOUR + "\" stroke-dasharray=\"4 3\"");
            // Written downwards along its line: phases a second apart would overlap as horizontal labels. Right of
            // the line, except at the right edge, where the dirty rate's tick labels are.
            double labelX = x + 12 > PLOT_RIGHT ? x - 2 : x + 12;
            rotatedText(labelX, PLOT_TOP + 4, "end", "phase-label", mark.phase().name());
        }
        svg.append("</g>\n");
    }

    private void drawSeries(String name, String colour, ToLongFunction<Sample> bytes, Scale scale) {
        StringBuilder points = new StringBuilder(samples.size() * 14);
        for (Sample sample : samples) {
            if (!points.isEmpty()) {
                points.append(' ');
            }
            points.append(number(x(Timing.secondsSinceStart(report, sample.at())))).append(',')
                    .append(number(y(mebibytes(bytes.applyAsLong(sample)), scale)));
        }
        svg.append("<polyline class=\"").append(name).append("\" fill=\"none\" stroke=\"").append(colour)
                .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" points=\"").append(points).append("\"/>\n");
        if (samples.size() == 1) {
            // A polyline of one point draws nothing.
            Sample only = samples.get(0);
            svg.append("<circle class=\"").append(name).append("-point\" cx=\"")
                    .append(number(x(Timing.secondsSinceStart(report, only.at())))).append("\" cy=\"")
                    .append(number(y(mebibytes(bytes.applyAsLong(only)), scale))).append("\" r=\"3\" fill=\"")
                    .append(colour).append("\"/>\n");
        }
    }

    private void drawLegend() {
        double y = HEIGHT - 22;
        svg.append("<g class=\"legend\" font-size=\"11\" fill=\"#333\">\n");
        double x = PLOT_LEFT;
        x = legendLine(x, y, REMAINING_COLOUR, "", "remaining (MiB, left)");
        x = legendLine(x, y, DIRTY_RATE_COLOUR, "", "dirty rate (MiB/s, right)");
        x = legendLine(x, y, PHASE_COLOUR, " stroke-dasharray=\"4 3\"", "phase entered");
        if (report.pause().isPresent()) {
            svg.append("<rect x=\"").append(number(x)).append("\" y=\"").append(number(y - 8))
                    .append("\" width=\"20\" height=\"10\" fill=\"").append(PAUSE_COLOUR)
                    .append("\" fill-opacity=\"0.3\"/>\n");
            text(x + 26, y + 1, "start", "legend-label", "pause");
        }
        svg.append("</g>\n");
    }

    private double legendLine(double x, double y, String colour, String dash, String label) {
        svg.append("<line x1=\"").append(number(x)).append("\" y1=\"").append(number(y - 3)).append("\" x2=\"")
                .append(number(x + 20)).append("\" y2=\"").append(number(y - 3)).append("\" stroke=\"").append(colour)
                .append("\" stroke-width=\"2\"").append(dash).append("/>\n");
        text(x + 26, y + 1, "start", "legend-label", label);
        return x + 26 + label.length() * 6.5 + 18;
    }

    private void line(double x1, double y1, double x2, double y2, String cssClass, String attributes) {
        svg.append("<line class=\"").append(cssClass).append("\" x1=\"").append(number(x1)).append("\" y1=\"")
                .append(number(y1)).append("\" x2=\"").append(number(x2)).append("\" y2=\"").append(number(y2))
                .append("\" ").append(attributes).append("/>\n");
    }

    private void text(double x, double y, String anchor, String cssClass, String content) {
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(number(x)).append("\" y=\"")
                .append(number(y)).append("\" text-anchor=\"").append(anchor).append("\">")
                .append(Xml.escape(content)).append("</text>\n");
    }

    private void rotatedText(double x, double y, String anchor, String cssClass, String content) {
        svg.append("<text class=\"").append(cssClass).append("\" x=\"").append(number(x)).append("\" y=\"")
                .append(number(y)).append("\" text-anchor=\"").append(anchor).append("\" transform=\"rotate(-90 ")
                .append(number(x)).append(' ').append(number(y)).append(")\">").append(Xml.escape(content))
                .append("</text>\n");
    }

    private double x(double secondsSinceStart) {
        double clamped = Math.max(0, Math.min(time.maximum(), secondsSinceStart));
        return PLOT_LEFT + clamped / time.maximum() * (PLOT_RIGHT - PLOT_LEFT);
    }

    private static double y(double value, Scale scale) {
        double clamped = Math.max(0, Math.min(scale.maximum(), value));
        return PLOT_BOTTOM - clamped / scale.maximum() * (PLOT_BOTTOM - PLOT_TOP);
    }

    /** The last moment the chart must show: the end, a phase, a sample or the pause's end, whichever is latest. */
    private double latestSecond() {
        double latest = Timing.secondsSinceStart(report, report.endedAt());
        for (PhaseMark mark : report.phases()) {
            latest = Math.max(latest, Timing.secondsSinceStart(report, mark.at()));
        }
        for (Sample sample : samples) {
            latest = Math.max(latest, Timing.secondsSinceStart(report, sample.at()));
        }
        if (report.pause().isPresent()) {
            Pause pause = report.pause().get();
            latest = Math.max(latest, Timing.secondsSinceStart(report, pause.at()) + seconds(pause));
        }
        return latest;
    }

    private double largestMebibytes(ToLongFunction<Sample> bytes) {
        return samples.stream().mapToDouble(sample -> mebibytes(bytes.applyAsLong(sample))).max().orElse(0);
    }

    private static double mebibytes(long bytes) {
        // Negative figures mean "unknown" to some hypervisors; they are drawn at zero, not below the axis.
        return Math.max(0, bytes) / MIB;
    }

    private static double seconds(Pause pause) {
        return Math.max(0, pause.downtime().getSeconds() + pause.downtime().getNano() / 1e9);
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /**
     * An axis from zero to a round maximum, in round steps (1, 2 or 5 times a power of ten), about five of them.
     *
     * @param maximum the axis' end, always positive
     * @param step the distance between ticks
     */
    public record Scale(double maximum, double step) {

        private static final int TICKS = 5;

        /** The axis for values from zero to {@code largest}; an empty or zero range gets the axis 0..1. */
        public static Scale covering(double largest) {
            if (!(largest > 0) || Double.isInfinite(largest)) {
                return new Scale(1, 0.2);
            }
            double rough = largest / TICKS;
            double power = Math.pow(10, Math.floor(Math.log10(rough)));
            double normalized = rough / power;
            double step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * power;
            return new Scale(Math.ceil(largest / step - 1e-9) * step, step);
        }

        public List<Double> ticks() {
            long count = Math.round(maximum / step);
            return LongStream.rangeClosed(0, count).mapToObj(index -> index * step).toList();
        }
    }
}
