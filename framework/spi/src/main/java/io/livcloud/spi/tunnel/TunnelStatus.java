package io.livcloud.spi.tunnel;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link Tunnel}'s state at one moment.
 *
 * @param state the state
 * @param establishedSince when the current security association came up; empty unless {@link TunnelState#UP}
 * @param traffic counters since then
 * @param dataPath how packets are encrypted, as detected, e.g. {@code kernel-esp} or {@code userspace-libipsec}
 * @param detail one line for people: the negotiated proposal when up, the reason when failed
 */
public record TunnelStatus(
        TunnelState state,
        Optional<Instant> establishedSince,
        TrafficCounters traffic,
        String dataPath,
        String detail) {

    public TunnelStatus {
        Objects.requireNonNull(state, "state is null");
        Objects.requireNonNull(establishedSince, "establishedSince is null");
        Objects.requireNonNull(traffic, "traffic is null");
        Objects.requireNonNull(dataPath, "dataPath is null");
        Objects.requireNonNull(detail, "detail is null");
    }
}
