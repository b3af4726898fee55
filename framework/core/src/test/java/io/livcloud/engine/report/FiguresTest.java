package io.livcloud.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.engine.report.SvgChart.Scale;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FiguresTest {

    @Test
    void bytesInBinaryUnitsExactBelowOneKibibyte() {
        assertThat(Figures.bytes(0)).isEqualTo("0 bytes");
        assertThat(Figures.bytes(1023)).isEqualTo("1023 bytes");
        assertThat(Figures.bytes(1536)).isEqualTo("1.50 KiB");
        assertThat(Figures.bytes(3L << 30)).isEqualTo("3.00 GiB");
        assertThat(Figures.bytes(Long.MAX_VALUE)).isEqualTo("8.00 EiB");
        assertThat(Figures.bytes(-2048)).isEqualTo("-2.00 KiB");
    }

    @Test
    void durationsInTheLargestSensibleUnit() {
        assertThat(Figures.duration(Duration.ZERO)).isEqualTo("0 ms");
        assertThat(Figures.duration(Duration.ofMillis(999))).isEqualTo("999 ms");
        assertThat(Figures.duration(Duration.ofMillis(12_345))).isEqualTo("12.3 s");
        assertThat(Figures.duration(Duration.ofSeconds(245))).isEqualTo("4 min 05 s");
        assertThat(Figures.duration(Duration.ofMinutes(123))).isEqualTo("2 h 03 min");
        assertThat(Figures.duration(Duration.ofMillis(-5))).isEqualTo("-5 ms");
    }

    @Test
    void compactTickLabels() {
        assertThat(Figures.compact(0)).isEqualTo("0");
        assertThat(Figures.compact(2.5)).isEqualTo("2.5");
        assertThat(Figures.compact(0.6000000000000001)).isEqualTo("0.6");
        assertThat(Figures.compact(9_999)).isEqualTo("9999");
        assertThat(Figures.compact(12_000)).isEqualTo("12k");
        assertThat(Figures.compact(3.5e6 * 10)).isEqualTo("35M");
        assertThat(Figures.compact(2e-7)).isEqualTo("2.0e-07");
    }

    @Test
    void scalesEndOnARoundMaximumInOneTwoOrFiveSteps() {
        assertThat(Scale.covering(50)).isEqualTo(new Scale(50, 10));
        assertThat(Scale.covering(37)).isEqualTo(new Scale(40, 10));
        assertThat(Scale.covering(1024)).isEqualTo(new Scale(1500, 500));
        assertThat(Scale.covering(1000)).isEqualTo(new Scale(1000, 200));
        assertThat(Scale.covering(50).ticks()).containsExactly(0.0, 10.0, 20.0, 30.0, 40.0, 50.0);
    }

    @Test
    void anEmptyOrUnusableRangeGetsTheAxisZeroToOne() {
        for (double largest : new double[] {0, -3, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThat(Scale.covering(largest)).as("%s", largest).isEqualTo(new Scale(1, 0.2));
        }
        assertThat(Scale.covering(0).ticks()).hasSize(6);
    }
}
