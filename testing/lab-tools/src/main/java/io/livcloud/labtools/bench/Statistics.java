package io.livcloud.labtools.bench;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The few statistics the bench reports, over a handful of runs. Percentiles use the nearest-rank method (the value of
 * rank {@code ceil(p/100 * n)}): always a figure that was measured, never an interpolation between two runs — with
 * three runs, p99 is the slowest run, which is what it honestly is.
 */
public final class Statistics {

    private Statistics() {
    }

    /**
     * Median and p99 of some measurements, and how many there were.
     *
     * @param count how many values
     * @param median the median (the mean of the two middle values for an even count); empty without values
     * @param p99 the 99th percentile, nearest rank; empty without values
     * @param min the smallest; empty without values
     * @param max the largest; empty without values
     */
    public record Summary(int count, OptionalDouble median, OptionalDouble p99, OptionalDouble min,
            OptionalDouble max) {
        public Summary {
            Objects.requireNonNull(median, "median is null");
            Objects.requireNonNull(p99, "p99 is null");
            Objects.requireNonNull(min, "min is null");
            Objects.requireNonNull(max, "max is null");
        }
    }

    /** The summary of the values; an empty collection gives a summary of count 0 with every figure empty. */
    public static Summary summarize(Collection<Double> values) {
        List<Double> sorted = sorted(values);
        if (sorted.isEmpty()) {
            return new Summary(0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(),
                    OptionalDouble.empty());
        }
        return new Summary(sorted.size(), median(sorted), percentile(sorted, 99),
                OptionalDouble.of(sorted.get(0)), OptionalDouble.of(sorted.get(sorted.size() - 1)));
    }

    /** The median; empty for no values. */
    public static OptionalDouble median(Collection<Double> values) {
        List<Double> sorted = sorted(values);
        if (sorted.isEmpty()) {
            return OptionalDouble.empty();
        }
        int middle = sorted.size() / 2;
        return OptionalDouble.of(sorted.size() % 2 == 1 ? sorted.get(middle)
                : (sorted.get(middle - 1) + sorted.get(middle)) / 2);
    }

    /**
     * The nearest-rank percentile.
     *
     * @param percent in (0, 100]
     * @throws IllegalArgumentException for a percent outside (0, 100]
     */
    public static OptionalDouble percentile(Collection<Double> values, double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percentile " + percent + " is outside (0, 100]");
        }
        List<Double> sorted = sorted(values);
        if (sorted.isEmpty()) {
            return OptionalDouble.empty();
        }
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return OptionalDouble.of(sorted.get(Math.max(1, rank) - 1));
    }

    private static List<Double> sorted(Collection<Double> values) {
        for (Double value : values) {
            if (value == null || value.isNaN()) {
                // A NaN would sort last and silently become "the slowest run".
                throw new IllegalArgumentException("a measurement is " + value + ": " + values);
            }
        }
        return values.stream().sorted().toList();
    }
}
