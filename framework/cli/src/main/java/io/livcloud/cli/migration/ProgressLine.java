package io.livcloud.cli.migration;

import io.livcloud.engine.EngineEvent;
import io.livcloud.engine.Phase;
import java.io.PrintWriter;

/**
 * The live progress line of a migration: phase, a bar, sent, left, rate, dirty rate, pass, ETA. The bar never runs
 * backwards: when the guest dirties memory faster than it is sent, the memory left grows, but the bar keeps the
 * furthest point it reached. On a terminal it rewrites one line; elsewhere it prints a line per second at most.
 */
public final class ProgressLine {

    private static final int WIDTH = 24;
    private static final long PLAIN_INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private double furthest;
    private boolean shown;
    private long lastPlain;

    ProgressLine(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** The fraction the bar shows: the furthest it has been. */
    double fraction(EngineEvent.Progress figures) {
        long sent = figures.sentBytes();
        long total = sent + figures.remainingBytes();
        double now = total == 0 ? 0 : Math.min(1.0, (double) sent / total);
        furthest = Math.max(furthest, now);
        return furthest;
    }

    void show(Phase phase, EngineEvent.Progress figures) {
        double fraction = fraction(figures);
        int filled = (int) Math.round(fraction * WIDTH);
        long rate = figures.throughputBytesPerSecond();
        long left = figures.remainingBytes();
        String eta = rate > figures.dirtyRateBytesPerSecond() && rate > 0
                ? Math.round((double) left / (rate - figures.dirtyRateBytesPerSecond())) + " s" : "-";
        String line = String.format("%-11s [%s%s] %3.0f%% sent %d MiB, left %d MiB, %d MiB/s, dirty %d MiB/s, pass %d"
                + " (attempt %d), ETA %s", phase, "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100,
                figures.sentBytes() >> 20, left >> 20, rate >> 20, figures.dirtyRateBytesPerSecond() >> 20,
                figures.iteration(), figures.attempt(), eta);
        if (terminal) {
            out.print("\r" + line + "\u001b[K");
            shown = true;
        } else {
            long now = System.nanoTime();
            if (now - lastPlain < PLAIN_INTERVAL_NANOS && lastPlain != 0) {
                return;
            }
            lastPlain = now;
            out.println(line);
        }
        out.flush();
    }

    /** Ends the rewritten line before other output. */
    void clear() {
        if (terminal && shown) {
            out.print("\r\u001b[K");
            out.flush();
            shown = false;
        }
    }
}
