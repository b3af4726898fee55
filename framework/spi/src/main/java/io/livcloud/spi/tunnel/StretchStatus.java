package io.livcloud.spi.tunnel;

import java.util.Objects;

/**
 * A {@link Stretch}'s state at one moment.
 *
 * @param joined whether frames can cross between the two ends' bridges now
 * @param detail one line for people, e.g. {@code vxlan 4242 10.99.11.1 <-> 10.99.12.1 on vmseg0, mtu 1350}, or what
 *     is missing
 */
public record StretchStatus(boolean joined, String detail) {

    public StretchStatus {
        Objects.requireNonNull(detail, "detail is null");
    }
}
