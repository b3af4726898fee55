package io.livcloud.spi.tunnel;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link TunnelDriver#establish} is asked to build.
 *
 * @param id a stable identifier, the same on a retry or after a restart
 * @param local the end on the site that initiates
 * @param remote the other end
 * @param authentication how the ends authenticate
 * @param options driver-specific tuning (proposals, DPD interval); never secrets
 */
public record TunnelSpec(
        String id,
        TunnelEndpoint local,
        TunnelEndpoint remote,
        TunnelAuthentication authentication,
        Map<String, String> options) {

    public TunnelSpec {
        Objects.requireNonNull(id, "id is null");
        Objects.requireNonNull(local, "local is null");
        Objects.requireNonNull(remote, "remote is null");
        Objects.requireNonNull(authentication, "authentication is null");
        options = Map.copyOf(options);
    }
}
