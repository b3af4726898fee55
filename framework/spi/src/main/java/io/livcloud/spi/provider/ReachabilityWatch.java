package io.livcloud.spi.provider;

import java.time.Duration;
import java.util.Objects;

/**
 * Probing in progress, started by {@link SiteProber#watch}. Closing it stops it too (its result is then lost).
 */
public interface ReachabilityWatch extends AutoCloseable {

    /**
     * Stops probing and tells what it saw. Idempotent: a second call returns the same result.
     *
     * @throws io.livcloud.spi.ExtensionException if the probing process failed so that nothing can be told
     */
    Result stop();

    /** Stops probing, discarding the result. */
    @Override
    void close();

    /**
     * What a watch saw.
     *
     * @param sent probes sent
     * @param answered probes answered
     * @param longestGap the longest time between two consecutive answers: the interruption a client of the VM saw
     *     (at least the interval, also when nothing was lost)
     * @param interval the probing interval
     */
    record Result(long sent, long answered, Duration longestGap, Duration interval) {
        public Result {
            Objects.requireNonNull(longestGap, "longestGap is null");
            Objects.requireNonNull(interval, "interval is null");
        }
    }
}
