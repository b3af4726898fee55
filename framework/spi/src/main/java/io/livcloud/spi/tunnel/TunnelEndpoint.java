package io.livcloud.spi.tunnel;

import java.util.Objects;

/**
 * One end of a tunnel: a site's gateway and the subnet behind it.
 *
 * @param siteName the site
 * @param gatewayAddress the gateway's address the peer connects to (the outer address)
 * @param subnet the subnet behind the gateway that the tunnel carries, in CIDR notation
 * @param controlUri how the driver reaches this end's tunnel daemon, e.g. {@code unix:///run/charon.vici}; empty for
 *     the driver's default
 */
public record TunnelEndpoint(String siteName, String gatewayAddress, String subnet, String controlUri) {

    public TunnelEndpoint {
        Objects.requireNonNull(siteName, "siteName is null");
        Objects.requireNonNull(gatewayAddress, "gatewayAddress is null");
        Objects.requireNonNull(subnet, "subnet is null");
        Objects.requireNonNull(controlUri, "controlUri is null");
    }
}
