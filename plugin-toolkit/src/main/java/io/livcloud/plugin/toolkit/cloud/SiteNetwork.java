package io.livcloud.plugin.toolkit.cloud;

import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.SiteSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * A cloud site's addresses, checked: what its firewall rules and subnets are made from. The rules LivCloud writes
 * open the tunnel (IKE UDP 500/4500, ESP) to {@link #peerGateway()} only and SSH to {@link #operatorCidr()} only, so
 * these checks refuse the values that would quietly open more: an operator CIDR of the whole internet, a peer
 * "gateway" that is a network.
 *
 * @param vmSubnet the private subnet the site's hosts and VMs live in (RFC 1918), {@code /29} or larger
 * @param peerGateway the other site's gateway, a single address; empty while not known, in which case the tunnel ports
 *     stay closed
 * @param operatorCidr who may reach the hosts over SSH
 */
public record SiteNetwork(Ipv4Cidr vmSubnet, Optional<Ipv4Cidr> peerGateway, Ipv4Cidr operatorCidr) {

    /** The site keys these values come from ({@code livcloud.sites.<name>.<key>}), named in error messages. */
    public static final String VM_SUBNET = "vm-subnet";
    public static final String PEER_GATEWAY_ADDRESS = "peer-gateway-address";
    public static final String OPERATOR_CIDR = "operator-cidr";

    /**
     * The longest VM subnet prefix: a /29 has the network, the host, at least one VM and the broadcast address; a /30
     * has no room for a VM once DHCP starts after the host.
     */
    public static final int LONGEST_VM_SUBNET_PREFIX = 29;

    public SiteNetwork {
        Objects.requireNonNull(vmSubnet, "vmSubnet is null");
        Objects.requireNonNull(peerGateway, "peerGateway is null");
        Objects.requireNonNull(operatorCidr, "operatorCidr is null");
    }

    /**
     * Reads and checks a site's addresses.
     *
     * @param spec the site to provision
     * @param defaultVmSubnet used when the spec names none, e.g. the provider's configured default; may be empty
     * @param defaultOperatorCidr used when the spec names none (the provider's configured operator CIDR); may be empty
     * @param invalid the calling plugin's error code for a site it cannot provision, e.g. {@code EC2_INVALID_SITE_SPEC}
     * @throws ExtensionException with {@code invalid}, naming the key, the value and what would be right
     */
    public static SiteNetwork of(SiteSpec spec, String defaultVmSubnet, String defaultOperatorCidr, ErrorCode invalid) {
        String site = spec.name();
        String subnetText = spec.vmSubnet().isBlank() ? defaultVmSubnet : spec.vmSubnet();
        if (subnetText.isBlank()) {
            throw problem(invalid, site, VM_SUBNET, "is not set", "give the site a private subnet, e.g. "
                    + VM_SUBNET + " = \"10.99.20.0/24\"");
        }
        Ipv4Cidr vmSubnet = parse(invalid, site, VM_SUBNET, subnetText);
        if (!vmSubnet.isPrivate()) {
            throw problem(invalid, site, VM_SUBNET, "is " + vmSubnet + ", not a private (RFC 1918) network",
                    "choose one within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, e.g. 10.99.20.0/24");
        }
        // Here, before anything is created, not when the host's user data is made halfway through provisioning.
        if (vmSubnet.prefixLength() > LONGEST_VM_SUBNET_PREFIX) {
            throw problem(invalid, site, VM_SUBNET, "is " + vmSubnet + ", smaller than a /" + LONGEST_VM_SUBNET_PREFIX
                    + ": no room for the host and VMs", "give the site a VM subnet of /" + LONGEST_VM_SUBNET_PREFIX
                    + " or larger, e.g. 10.99.20.0/24");
        }

        Optional<Ipv4Cidr> peer = Optional.empty();
        if (!spec.peerGatewayAddress().isBlank()) {
            Ipv4Cidr address = parse(invalid, site, PEER_GATEWAY_ADDRESS, spec.peerGatewayAddress());
            if (!address.isSingleAddress()) {
                throw problem(invalid, site, PEER_GATEWAY_ADDRESS, "is " + address + ", a network: the tunnel ports"
                        + " open to the peer gateway alone", "give the other site's gateway address, e.g. 203.0.113.7");
            }
            if (address.isSpecialPurpose()) {
                throw problem(invalid, site, PEER_GATEWAY_ADDRESS, "is " + address.networkAddress()
                        + ", which no peer gateway can have (loopback, link-local, multicast or 0.x)",
                        "give the other site's gateway address, e.g. 203.0.113.7");
            }
            peer = Optional.of(address);
        }

        String operatorText = spec.operatorCidr().isBlank() ? defaultOperatorCidr : spec.operatorCidr();
        if (operatorText.isBlank()) {
            throw problem(invalid, site, OPERATOR_CIDR, "is not set, and SSH to the hosts is opened to it alone",
                    "set it to the address LivCloud runs from, e.g. " + OPERATOR_CIDR + " = \"198.51.100.7/32\"");
        }
        Ipv4Cidr operator = parse(invalid, site, OPERATOR_CIDR, operatorText);
        if (operator.prefixLength() == 0) {
            throw problem(invalid, site, OPERATOR_CIDR, "is " + operator + ", which would open SSH to the whole"
                    + " internet", "set it to the address LivCloud runs from, e.g. 198.51.100.7/32");
        }
        if (operator.isSpecialPurpose()) {
            throw problem(invalid, site, OPERATOR_CIDR, "is " + operator + ", which no operator outside the cloud"
                    + " has (loopback, link-local, multicast or 0.x)",
                    "set it to the address LivCloud runs from, e.g. 198.51.100.7/32");
        }
        return new SiteNetwork(vmSubnet, peer, operator);
    }

    private static Ipv4Cidr parse(ErrorCode invalid, String site, String key, String text) {
        try {
            return Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw problem(invalid, site, key, "is wrong: " + e.getMessage(), "write an IPv4 address or CIDR, e.g. "
                    + (key.equals(VM_SUBNET) ? "10.99.20.0/24" : "203.0.113.7/32"));
        }
    }

    private static ExtensionException problem(ErrorCode invalid, String site, String key, String problem,
            String remedy) {
        return new ExtensionException(invalid, "site '" + site + "': " + key + " " + problem, remedy);
    }
}
