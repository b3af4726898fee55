package io.livcloud.spi.provider;

import java.util.Objects;

/**
 * How a tunnel driver drives a gateway's tunnel daemon, reached through the gateway's
 * {@link io.livcloud.spi.host.HostAccess}. Published by the provider for its gateway hosts.
 *
 * @param controlSocket the daemon's control socket on the gateway, e.g. strongSwan's {@code /var/run/charon.vici}
 * @param localAddress the address the daemon sends from and the gateway really holds: its private address when the
 *     provider puts it behind NAT (an EC2 Elastic IP, an Azure public IP), else its public address
 * @param identity how the gateway names itself to its peer (the IKE identity), e.g. its public address, which the
 *     peer sees even behind NAT
 * @param updown a command on the gateway that its daemon runs as a tunnel comes up or goes down, given the peer's
 *     address inside the tunnel (the address the peer's tunneled traffic comes from) so it can let exactly that peer
 *     reach the host's hypervisor ports; empty for none
 */
public record TunnelControl(String controlSocket, String localAddress, String identity, String updown) {

    public TunnelControl {
        Objects.requireNonNull(controlSocket, "controlSocket is null");
        Objects.requireNonNull(localAddress, "localAddress is null");
        Objects.requireNonNull(identity, "identity is null");
        Objects.requireNonNull(updown, "updown is null");
        if (controlSocket.isBlank()) {
            throw new IllegalArgumentException("a tunnel control needs the daemon's control socket");
        }
    }
}
