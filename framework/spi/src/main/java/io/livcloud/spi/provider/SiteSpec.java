package io.livcloud.spi.provider;

import java.util.Map;
import java.util.Objects;

/**
 * What {@link CloudProvider#provision} is asked to build.
 *
 * @param name the site's name; every resource is tagged with it
 * @param location region or zone; empty for the provider's configured default
 * @param instanceType the host instance type or VM size; empty for the provider's default
 * @param vmSubnet the VM subnet in CIDR notation
 * @param peerGatewayAddress the other site's gateway address: the only source allowed to reach the tunnel ports;
 *     empty when not yet known
 * @param operatorCidr who may reach the hosts' management ports (SSH), in CIDR notation
 * @param options provider-specific settings from the site's configuration section
 */
public record SiteSpec(
        String name,
        String location,
        String instanceType,
        String vmSubnet,
        String peerGatewayAddress,
        String operatorCidr,
        Map<String, String> options) {

    public SiteSpec {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(location, "location is null");
        Objects.requireNonNull(instanceType, "instanceType is null");
        Objects.requireNonNull(vmSubnet, "vmSubnet is null");
        Objects.requireNonNull(peerGatewayAddress, "peerGatewayAddress is null");
        Objects.requireNonNull(operatorCidr, "operatorCidr is null");
        options = Map.copyOf(options);
    }
}
