package io.livcloud.spi.tunnel;

import java.util.Map;
import java.util.Objects;

/**
 * One end of a tunnel: a site's gateway and the subnet behind it. The core builds it from the site's
 * {@link io.livcloud.spi.provider.Site#gateway() gateway host}.
 *
 * @param siteName the site
 * @param gatewayAddress the gateway's address the peer connects to (the outer address)
 * @param subnet the subnet behind the gateway that the tunnel carries, in CIDR notation
 * @param insideAddress the gateway's own address inside {@code subnet}, which a traffic check can send from and to;
 *     empty when the gateway has none
 * @param controlUri how the driver reaches this end's tunnel daemon, e.g. {@code unix:///run/charon.vici}; empty for
 *     the driver's default
 * @param attributes the gateway host's provider attributes, e.g.
 *     {@link io.livcloud.spi.provider.Host#NETWORK_NAMESPACE}; never secrets
 */
public record TunnelEndpoint(String siteName, String gatewayAddress, String subnet, String insideAddress,
        String controlUri, Map<String, String> attributes) {

    public TunnelEndpoint {
        Objects.requireNonNull(siteName, "siteName is null");
        Objects.requireNonNull(gatewayAddress, "gatewayAddress is null");
        Objects.requireNonNull(subnet, "subnet is null");
        Objects.requireNonNull(insideAddress, "insideAddress is null");
        Objects.requireNonNull(controlUri, "controlUri is null");
        attributes = Map.copyOf(attributes);
    }
}
