package io.livcloud.cli.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.engine.EngineEvent;
import io.livcloud.engine.Phase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    private static final long MIB = 1L << 20;

    @Test
    void theBarNeverRunsBackwardsWhenTheGuestDirtiesFasterThanItIsSent() {
        StringWriter text = new StringWriter();
        ProgressLine line = new ProgressLine(new PrintWriter(text), false);

        assertThat(line.fraction(figures(100, 100))).isEqualTo(0.5);
        assertThat(line.fraction(figures(120, 200))).as("more left, but the bar stays").isEqualTo(0.5);
        assertThat(line.fraction(figures(300, 100))).isEqualTo(0.75);
    }

    @Test
    void aPlainOutputLineNamesThePhaseAndTheFigures() {
        StringWriter text = new StringWriter();
        new ProgressLine(new PrintWriter(text), false).show(Phase.TRANSFER, figures(64, 192));

        assertThat(text.toString()).startsWith("TRANSFER    [######..................]  25% sent 64 MiB, left 192 MiB,"
                + " 40 MiB/s, dirty 10 MiB/s, pass 3 (attempt 1), ETA 6 s");
    }

    private static EngineEvent.Progress figures(long sentMiB, long leftMiB) {
        return new EngineEvent.Progress(1, "pre-copy", 3, Duration.ofSeconds(3), sentMiB * MIB, leftMiB * MIB,
                256 * MIB, 10 * MIB, 40 * MIB);
    }
}
