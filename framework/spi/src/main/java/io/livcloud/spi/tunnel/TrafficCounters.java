package io.livcloud.spi.tunnel;

/**
 * Traffic through a tunnel since it was established, as counted by the tunnel daemon.
 *
 * @param bytesIn bytes received (decrypted)
 * @param bytesOut bytes sent (before encryption)
 * @param packetsIn packets received
 * @param packetsOut packets sent
 */
public record TrafficCounters(long bytesIn, long bytesOut, long packetsIn, long packetsOut) {

    /** No traffic. */
    public static final TrafficCounters ZERO = new TrafficCounters(0, 0, 0, 0);

    public TrafficCounters {
        if (bytesIn < 0 || bytesOut < 0 || packetsIn < 0 || packetsOut < 0) {
            throw new IllegalArgumentException("traffic counters cannot be negative");
        }
    }
}
