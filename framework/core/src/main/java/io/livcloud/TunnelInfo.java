package io.livcloud;

import io.livcloud.spi.tunnel.StretchStatus;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelStatus;
import java.util.List;
import java.util.Objects;

/**
 * A tunnel between two sites as LivCloud found it: what it joins and its state at that moment.
 *
 * @param id the tunnel's id, {@code <from>-<to>}
 * @param spec what it was built from
 * @param status its state when asked
 * @param stretches the VM segments stretched over it, each with its state when asked
 */
public record TunnelInfo(String id, TunnelSpec spec, TunnelStatus status, List<StretchStatus> stretches) {

    public TunnelInfo {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(spec, "spec is null");
        Objects.requireNonNull(status, "status is null");
        stretches = List.copyOf(stretches);
    }
}
