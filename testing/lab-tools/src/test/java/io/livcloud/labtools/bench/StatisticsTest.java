package io.livcloud.labtools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void medianOfAnOddCountIsTheMiddleValueWhateverTheOrder() {
        assertThat(Statistics.median(List.of(9.0, 1.0, 5.0))).hasValue(5.0);
        assertThat(Statistics.median(List.of(7.0))).hasValue(7.0);
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
        assertThat(Statistics.median(List.of(4.0, 1.0, 3.0, 100.0))).hasValue(3.5);
    }

    @Test
    void p99IsTheNearestRankSoWithFewRunsItIsTheSlowest() {
        assertThat(Statistics.percentile(List.of(3.0, 1.0, 2.0), 99)).hasValue(3.0);
        List<Double> hundred = IntStream.rangeClosed(1, 100).mapToObj(value -> (double) value).toList();
        assertThat(Statistics.percentile(hundred, 99)).hasValue(99.0);
        assertThat(Statistics.percentile(hundred, 50)).hasValue(50.0);
        assertThat(Statistics.percentile(hundred, 100)).hasValue(100.0);
        List<Double> twoHundred = new ArrayList<>(hundred);
        IntStream.rangeClosed(101, 200).forEach(value -> twoHundred.add((double) value));
        assertThat(Statistics.percentile(twoHundred, 99)).hasValue(198.0);
    }

    @Test
    void summaryHasCountMinMaxMedianAndP99() {
        Statistics.Summary summary = Statistics.summarize(List.of(20.0, 10.0, 40.0, 30.0));

        assertThat(summary.count()).isEqualTo(4);
        assertThat(summary.median()).hasValue(25.0);
        assertThat(summary.p99()).hasValue(40.0);
        assertThat(summary.min()).hasValue(10.0);
        assertThat(summary.max()).hasValue(40.0);
    }

    @Test
    void noValuesGiveEmptyFiguresNotZero() {
        Statistics.Summary summary = Statistics.summarize(List.of());

        assertThat(summary.count()).isZero();
        assertThat(summary.median()).isEmpty();
        assertThat(summary.p99()).isEmpty();
        assertThat(Statistics.median(List.of())).isEmpty();
    }

    @Test
    void refusesNaNAndPercentilesOutsideTheRange() {
        assertThatThrownBy(() -> Statistics.median(Arrays.asList(1.0, Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Statistics.percentile(List.of(1.0), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside (0, 100]");
        assertThatThrownBy(() -> Statistics.percentile(List.of(1.0), 101))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
