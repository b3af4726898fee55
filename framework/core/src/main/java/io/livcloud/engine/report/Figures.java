package io.livcloud.engine.report;

import java.time.Duration;
import java.util.Locale;

/**
 * Numbers as people read them on the report page: byte sizes in binary units, durations in the largest sensible unit.
 * Always in {@link Locale#ROOT}, so a report reads the same on every machine.
 */
public final class Figures {

    private static final String[] BINARY_UNITS = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Figures() {
    }

    /** {@code 1.50 GiB}; exact below 1 KiB ({@code 512 bytes}). */
    static String bytes(long bytes) {
        if (Math.abs(bytes) < 1024) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < BINARY_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.2f %s", value, BINARY_UNITS[unit]);
    }

    /** {@code 412 ms}, {@code 12.3 s}, {@code 4 min 05 s}, {@code 2 h 03 min}; a negative duration keeps its sign. */
    static String duration(Duration duration) {
        if (duration.isNegative()) {
            return "-" + duration(duration.negated());
        }
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long seconds = duration.getSeconds();
        if (seconds < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", seconds / 3_600, seconds % 3_600 / 60);
    }

    /**
     * A chart tick or axis value, short enough to fit beside an axis: {@code 0}, {@code 2.5}, {@code 750},
     * {@code 12k}, {@code 3.5M}, up to {@code E} (10^18); tiny values as {@code 2.0e-07}.
     */
    public static String compact(double value) {
        double magnitude = Math.abs(value);
        if (magnitude != 0 && magnitude < 0.01) {
            // A dirty rate of a few bytes per second, in MiB/s: "0" on every tick would say nothing.
            return String.format(Locale.ROOT, "%.1e", value);
        }
        String[] suffixes = {"", "k", "M", "G", "T", "P", "E"};
        int suffix = 0;
        while (magnitude >= 10_000 && suffix < suffixes.length - 1) {
            magnitude /= 1000;
            value /= 1000;
            suffix++;
        }
        String number = String.format(Locale.ROOT, "%.2f", value);
        // 2.50 -> 2.5, 3.00 -> 3: tick values are round, trailing zeros only add noise.
        number = number.replaceAll("0+$", "").replaceAll("\\.$", "");
        if (number.equals("-0")) {
            number = "0";
        }
        return number + suffixes[suffix];
    }
}
