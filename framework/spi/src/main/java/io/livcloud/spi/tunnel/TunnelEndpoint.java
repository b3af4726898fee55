package io.livcloud.spi.tunnel;

import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.provider.VmSegment;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One end of a tunnel: a site's gateway and the subnet behind it. The core builds it from the site's
 * {@link io.livcloud.spi.provider.Site#gateway() gateway host}; the driver reaches the gateway through
 * {@link io.livcloud.spi.ExtensionContext#hostAccess(String, String)} with {@code siteName} and {@code gatewayName}.
 *
 * @param siteName the site
 * @param gatewayName the gateway host's name in the site ({@link io.livcloud.spi.provider.Host#name()})
 * @param gatewayAddress the gateway's address the peer connects to (the outer, public address)
 * @param subnet the subnet behind the gateway that the tunnel carries, in CIDR notation
 * @param insideAddress the gateway's own address inside {@code subnet}, which a traffic check can send from and to;
 *     empty when the gateway has none
 * @param control how the driver drives the gateway's tunnel daemon; empty when the provider publishes none (the driver
 *     then refuses, naming the site)
 * @param segment the VM segment on the gateway, which the tunnel can stretch; empty when it has none
 * @param attributes the gateway host's provider attributes, for messages only; never secrets
 */
public record TunnelEndpoint(String siteName, String gatewayName, String gatewayAddress, String subnet,
        String insideAddress, Optional<TunnelControl> control, Optional<VmSegment> segment,
        Map<String, String> attributes) {

    public TunnelEndpoint {
        Objects.requireNonNull(siteName, "siteName is null");
        Objects.requireNonNull(gatewayName, "gatewayName is null");
        Objects.requireNonNull(gatewayAddress, "gatewayAddress is null");
        Objects.requireNonNull(subnet, "subnet is null");
        Objects.requireNonNull(insideAddress, "insideAddress is null");
        Objects.requireNonNull(control, "control is null");
        Objects.requireNonNull(segment, "segment is null");
        attributes = Map.copyOf(attributes);
    }
}
