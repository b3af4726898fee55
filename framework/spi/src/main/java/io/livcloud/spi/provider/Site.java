package io.livcloud.spi.provider;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A place VMs run in: one cloud region or lab network with a gateway, hypervisor hosts and a private VM subnet.
 *
 * @param name the site's name in configuration and on the command line
 * @param provider the name of the provider extension that manages it
 * @param location region or zone, e.g. {@code eu-west-1}; empty where it does not apply
 * @param gateway the host that ends the tunnel
 * @param hypervisorHosts the hosts that run VMs; may include the gateway
 * @param vmSubnet the private subnet VMs live in, in CIDR notation, e.g. {@code 10.99.10.0/24}
 * @param attributes provider-specific facts (VPC id, resource group); never secrets
 */
public record Site(
        String name,
        String provider,
        String location,
        Host gateway,
        List<Host> hypervisorHosts,
        String vmSubnet,
        Map<String, String> attributes) {

    public Site {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(provider, "provider is null");
        Objects.requireNonNull(location, "location is null");
        Objects.requireNonNull(gateway, "gateway is null");
        hypervisorHosts = List.copyOf(hypervisorHosts);
        Objects.requireNonNull(vmSubnet, "vmSubnet is null");
        attributes = Map.copyOf(attributes);
        if (hypervisorHosts.isEmpty()) {
            throw new IllegalArgumentException("site '" + name + "' has no hypervisor host");
        }
    }
}
