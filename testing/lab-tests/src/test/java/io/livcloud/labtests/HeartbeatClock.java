package io.livcloud.labtests;

import io.livcloud.lab.guest.Heartbeat;
import io.livcloud.lab.guest.HeartbeatLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Notes when each heartbeat first appears on the host, in any of the guest's serial logs (the source's, then the
 * destination's). The guest's own uptime stops while its vCPUs are paused, so only the host can see how long the guest
 * was silent across a switch-over.
 */
final class HeartbeatClock implements AutoCloseable {

    private static final long POLL_MILLIS = 10;

    private final List<Path> logs;
    private final ConcurrentSkipListMap<Long, Long> firstSeenNanos = new ConcurrentSkipListMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    HeartbeatClock(List<Path> logs) {
        this.logs = List.copyOf(logs);
        this.poller = new Thread(this::poll, "heartbeat-clock");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running) {
            for (Path log : logs) {
                if (!Files.exists(log)) {
                    continue;
                }
                long now = System.nanoTime();
                for (Heartbeat heartbeat : HeartbeatLog.of(log).heartbeats()) {
                    firstSeenNanos.putIfAbsent(heartbeat.sequence(), now);
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The longest host-observed silence between consecutive heartbeats seen, in milliseconds. */
    long maxGapMillis() {
        Map<Long, Long> seen = new TreeMap<>(firstSeenNanos);
        long previous = -1;
        long maxGap = 0;
        for (long nanos : seen.values()) {
            if (previous >= 0) {
                maxGap = Math.max(maxGap, (nanos - previous) / 1_000_000);
            }
            previous = nanos;
        }
        return maxGap;
    }

    /** The sequence numbers seen, in order. */
    List<Long> sequences() {
        return List.copyOf(firstSeenNanos.keySet());
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join(1000);
    }
}
