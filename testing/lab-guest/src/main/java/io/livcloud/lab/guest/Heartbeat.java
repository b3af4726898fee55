package io.livcloud.lab.guest;

/**
 * One heartbeat line of the lab guest's workload:
 * {@code livcloud-heartbeat seq=<n> uptime_ms=<ms> rate=<R> wss=<N>}.
 *
 * @param sequence 1 for the first heartbeat after boot, then one more for each
 * @param uptimeMillis the guest's CLOCK_MONOTONIC in milliseconds; it does not advance while QEMU has the vCPUs
 *     stopped (for example during a migration's downtime)
 * @param dirtyRateMiBps the dirty rate in force
 * @param workingSetMiB the working set in force
 */
public record Heartbeat(long sequence, long uptimeMillis, int dirtyRateMiBps, int workingSetMiB) {
}
