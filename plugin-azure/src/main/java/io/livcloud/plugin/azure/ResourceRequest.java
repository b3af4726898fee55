package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What the provisioner asks the facade to create (or bring up to date) in a resource group: one record per kind, in
 * plugin terms. Resources refer to each other by name within the group; the facade makes Azure ids of them.
 */
sealed interface ResourceRequest {

    /** The resource's name in its group. */
    String name();

    /** The region, e.g. {@code westeurope}. */
    String location();

    /** Its tags. */
    Map<String, String> tags();

    /** The kind of resource this creates. */
    ResourceKind kind();

    /** A VNet with one subnet for the site's hosts. */
    record VirtualNetwork(String name, String location, String addressPrefix, String subnetName, String subnetPrefix,
            Map<String, String> tags) implements ResourceRequest {
        public VirtualNetwork {
            requireNonNull(addressPrefix, "addressPrefix is null");
            requireNonNull(subnetName, "subnetName is null");
            requireNonNull(subnetPrefix, "subnetPrefix is null");
            tags = Map.copyOf(tags);
        }

        @Override
        public ResourceKind kind() {
            return ResourceKind.VIRTUAL_NETWORK;
        }
    }

    /** A network security group; inbound allow rules only, everything else stays denied by Azure's defaults. */
    record SecurityGroup(String name, String location, List<InboundRule> rules, Map<String, String> tags)
            implements ResourceRequest {
        public SecurityGroup {
            rules = List.copyOf(rules);
            tags = Map.copyOf(tags);
        }

        @Override
        public ResourceKind kind() {
            return ResourceKind.NETWORK_SECURITY_GROUP;
        }
    }

    /**
     * An inbound allow rule.
     *
     * @param name the rule's name
     * @param priority 100 to 4096, lower first
     * @param protocol Azure's protocol name: {@code Udp}, {@code Tcp}, {@code Esp}
     * @param sourcePrefix who may connect, e.g. {@code 203.0.113.7/32}
     * @param destinationPorts ports or ranges, e.g. {@code 500}; {@code *} for protocols without ports (ESP)
     */
    record InboundRule(String name, int priority, String protocol, String sourcePrefix, List<String> destinationPorts) {
        public InboundRule {
            requireNonNull(name, "name is null");
            requireNonNull(protocol, "protocol is null");
            requireNonNull(sourcePrefix, "sourcePrefix is null");
            destinationPorts = List.copyOf(destinationPorts);
        }
    }

    /** A static Standard-SKU IPv4 public address. */
    record PublicIp(String name, String location, Map<String, String> tags) implements ResourceRequest {
        public PublicIp {
            tags = Map.copyOf(tags);
        }

        @Override
        public ResourceKind kind() {
            return ResourceKind.PUBLIC_IP_ADDRESS;
        }
    }

    /**
     * A NIC in a subnet, with a public IP, a security group, and IP forwarding (a gateway routes packets that are not
     * addressed to it, which Azure drops unless the NIC allows it).
     */
    record NetworkInterface(String name, String location, String virtualNetwork, String subnet, String securityGroup,
            String publicIp, boolean ipForwarding, Map<String, String> tags) implements ResourceRequest {
        public NetworkInterface {
            requireNonNull(virtualNetwork, "virtualNetwork is null");
            requireNonNull(subnet, "subnet is null");
            requireNonNull(securityGroup, "securityGroup is null");
            requireNonNull(publicIp, "publicIp is null");
            tags = Map.copyOf(tags);
        }

        @Override
        public ResourceKind kind() {
            return ResourceKind.NETWORK_INTERFACE;
        }
    }

    /**
     * A Linux VM with SSH key login only, cloud-init custom data and an OS disk deleted with it.
     *
     * @param size the VM size, e.g. {@code Standard_D4s_v5}
     * @param securityType {@code Standard} for nested virtualization
     * @param image the marketplace image
     * @param adminUsername the login user
     * @param sshPublicKey its authorized key, in OpenSSH format
     * @param customData the cloud-init document, as text (the facade encodes it)
     * @param networkInterface the NIC's name
     * @param osDiskName the OS disk's name
     */
    record VirtualMachine(String name, String location, String size, String securityType, Image image,
            String adminUsername, String sshPublicKey, String customData, String networkInterface, String osDiskName,
            Map<String, String> tags) implements ResourceRequest {
        public VirtualMachine {
            requireNonNull(size, "size is null");
            requireNonNull(securityType, "securityType is null");
            requireNonNull(image, "image is null");
            requireNonNull(adminUsername, "adminUsername is null");
            requireNonNull(sshPublicKey, "sshPublicKey is null");
            requireNonNull(customData, "customData is null");
            requireNonNull(networkInterface, "networkInterface is null");
            requireNonNull(osDiskName, "osDiskName is null");
            tags = Map.copyOf(tags);
        }

        @Override
        public ResourceKind kind() {
            return ResourceKind.VIRTUAL_MACHINE;
        }
    }

    /** A marketplace image, as {@code publisher:offer:sku:version} (the Azure CLI's URN). */
    record Image(String publisher, String offer, String sku, String version) {
        public Image {
            requireNonNull(publisher, "publisher is null");
            requireNonNull(offer, "offer is null");
            requireNonNull(sku, "sku is null");
            requireNonNull(version, "version is null");
        }

        /**
         * Parses a URN such as {@code Debian:debian-12:12-gen2:latest}.
         *
         * @throws IllegalArgumentException if it does not have four non-empty parts
         */
        static Image parse(String urn) {
            String[] parts = urn.trim().split(":", -1);
            if (parts.length != 4 || List.of(parts).stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("'" + urn + "' is not an image URN publisher:offer:sku:version");
            }
            return new Image(parts[0], parts[1], parts[2], parts[3]);
        }

        @Override
        public String toString() {
            return publisher + ":" + offer + ":" + sku + ":" + version;
        }
    }
}
