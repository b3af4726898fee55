package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.ec2.Ec2Facade.IngressRule;
import io.livcloud.plugin.ec2.Ec2Facade.Kind;
import io.livcloud.plugin.ec2.Ec2Facade.Resource;
import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.plugin.toolkit.cloud.HostBootstrap;
import io.livcloud.plugin.toolkit.cloud.Ipv4Cidr;
import io.livcloud.plugin.toolkit.cloud.SiteNetwork;
import io.livcloud.plugin.toolkit.ssh.SshKeys;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TunnelControl;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds and finds the sites of one region ({@link Ec2SiteTeardown} removes them). A site is one host (gateway and
 * hypervisor at once) in a VPC of its own:
 *
 * <ol>
 *   <li>key pair (LivCloud's SSH key, imported);</li>
 *   <li>VPC, internet gateway (attached), subnet, route table (default route to the gateway, associated) — or an
 *       existing subnet and its VPC given as site settings, which are then the user's and never touched;</li>
 *   <li>security group: SSH from the operator CIDR only; IKE (UDP 500, 4500) and ESP (protocol 50) from the peer
 *       gateway's /32 only; nothing else in;</li>
 *   <li>instance of a nested-capable type with {@code CpuOptions.NestedVirtualization=enabled} where the type needs
 *       it, IMDSv2 required, the cloud-init bootstrap as user data; once running, its source/destination check off
 *       (it forwards the VM subnet) and the VM subnet routed to it;</li>
 *   <li>Elastic IP, associated: the tunnel's stable outer address;</li>
 *   <li>the bootstrap's readiness report, read over SSH.</li>
 * </ol>
 *
 * <p>Every resource is created with its tags in the same request (TagSpecifications), so a crash never leaves an
 * untagged resource. Provisioning finds what carries the site's tags and creates only what is missing.
 */
final class Ec2SiteProvisioner {

    static final String PROVIDER = "ec2";
    /** Debian's AWS account, which publishes the official Debian images. */
    static final String DEBIAN_IMAGE_OWNER = "136693071363";
    static final String DEBIAN_12_IMAGES = "debian-12-amd64-*";
    /** The VPC and its subnet when a site does not say (site setting host-subnet): the hosts' own addresses. */
    static final String DEFAULT_HOST_SUBNET = "10.98.0.0/24";
    /** An instance tag that keeps the site's VM subnet, so a site can be described from EC2 alone. */
    static final String VM_SUBNET_TAG = "livcloud:vm-subnet";
    /** Where QEMU's migration stream goes (libvirt's default first migration port). */
    static final int MIGRATION_PORT = 49152;

    static final String AVAILABILITY_ZONE = "availability-zone";
    static final String VPC_ID = "vpc-id";
    static final String SUBNET_ID = "subnet-id";
    static final String HOST_SUBNET = "host-subnet";
    static final String IMAGE_ID = "image-id";

    private static final Pattern SITE_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int LONGEST_SITE_NAME = 40;

    private final Ec2Region ec2Region;
    private final Ec2Facade ec2;
    private final String region;
    private final Ec2Config config;
    private final Supplier<KeyPair> sshKey;
    private final HostReadiness readiness;

    Ec2SiteProvisioner(Ec2Region ec2Region, Ec2Config config, Supplier<KeyPair> sshKey, HostReadiness readiness) {
        this.ec2Region = requireNonNull(ec2Region, "ec2Region is null");
        this.ec2 = ec2Region.ec2();
        this.region = ec2Region.name();
        this.config = requireNonNull(config, "config is null");
        this.sshKey = requireNonNull(sshKey, "sshKey is null");
        this.readiness = requireNonNull(readiness, "readiness is null");
    }

    /** Whether the type can run a hypervisor with hardware acceleration, and what it needs. */
    InstanceTypeCapability capability(String instanceType) {
        try {
            return Ec2InstanceTypes.capability(instanceType, ec2.instanceType(instanceType), region);
        } catch (Ec2ApiException e) {
            throw Ec2Errors.translate(e, "describing instance type " + instanceType + " in " + region);
        }
    }

    /** Creates the site, or completes and returns it when it (partly) exists. */
    Site provision(SiteSpec spec) {
        String site = checkName(spec.name());
        SiteNetwork network = SiteNetwork.of(spec, "", config.operatorCidr(), Ec2ErrorCode.INVALID_SITE_SPEC);
        Ipv4Cidr hostSubnet = hostSubnet(spec, network);
        String instanceType = spec.instanceType().isBlank() ? config.instanceType() : spec.instanceType().trim();
        InstanceTypeCapability capability = capability(instanceType);
        if (!capability.hardwareVirtualization()) {
            throw new ExtensionException(Ec2ErrorCode.NOT_NESTED_CAPABLE, "site '" + site + "': instance type "
                    + instanceType + " cannot run a hypervisor with hardware acceleration: "
                    + String.join("; ", capability.reasons()), "choose a nested-capable type (instance-type ="
                    + " c8i.large, m8i.large, r8i.large) or a bare-metal one (m5.metal); livcloud probe --cloud ec2"
                    + " --instance-type T tells");
        }
        String step = "checking what exists";
        try {
            Map<String, String> siteTags = siteTags(site);

            step = "importing the SSH key pair";
            Resource keyPair = existing(Kind.KEY_PAIR, site, "ssh").orElseGet(() -> created(Kind.KEY_PAIR,
                    site, ec2.importKeyPair(keyName(site), SshKeys.openSshPublicKey(sshKey.get().getPublic(),
                            "livcloud-" + site), CloudTags.forResource(site, "ssh"))));

            step = "setting up the network";
            Network net = spec.options().containsKey(SUBNET_ID)
                    ? existingNetwork(site, spec.options().get(SUBNET_ID), spec.options().getOrDefault(VPC_ID, ""))
                    : siteNetwork(site, hostSubnet, spec.options().getOrDefault(AVAILABILITY_ZONE, ""));

            step = "setting up the security group";
            String groupId = existing(Kind.SECURITY_GROUP, site, "firewall").map(Resource::id).orElseGet(() ->
                    created(Kind.SECURITY_GROUP, site, ec2.createSecurityGroup(net.vpcId, "livcloud-" + site,
                            "LivCloud site " + site + ": SSH from the operator, IKE and ESP from the peer gateway",
                            CloudTags.forResource(site, "firewall"))).id());
            reconcileIngress(groupId, network);

            step = "launching the host";
            Resource instance = liveInstances(siteTags).stream().findFirst().orElse(null);
            if (instance == null) {
                instance = ec2.runInstance(new Ec2Facade.LaunchRequest(instanceType, imageId(spec), net.subnetId,
                        groupId, keyName(site), new HostBootstrap(site, network.vmSubnet(), List.of()).userData(),
                        capability.nestedVirtualization() == NestedVirtualization.AVAILABLE_WITH_OPTION,
                        instanceTags(site, network.vmSubnet())));
                ec2Region.emit("site.resource.created", site, "instance " + instance.id() + " (" + instanceType + ")");
            } else {
                ec2Region.emit("site.resource.reused", site, "instance " + instance.id());
            }
            step = "waiting for instance " + instance.id() + " to run";
            instance = ec2Region.awaitInstance(instance.id(), "running");
            ec2.disableSourceDestinationCheck(instance.id());
            if (!net.routeTableId.isEmpty()) {
                ec2.routeToInstance(net.routeTableId, network.vmSubnet().toString(), instance.id());
            }

            step = "giving the host an Elastic IP";
            Resource address = existing(Kind.ELASTIC_IP, site, "gateway-address")
                    .orElseGet(() -> logged(site, ec2.allocateAddress(CloudTags.forResource(site, "gateway-address"))));
            if (!address.attribute("instance-id").equals(instance.id())) {
                ec2.associateAddress(address.id(), instance.id());
            }

            Optional<BootstrapStatus> bootstrap = Optional.empty();
            if (!config.bootstrapTimeout().isZero()) {
                step = "waiting for the host's bootstrap";
                ec2Region.emit("site.host.bootstrapping", site, "waiting up to " + config.bootstrapTimeout() + " for "
                        + address.attribute("public-ip") + " to install libvirt, QEMU and strongSwan");
                bootstrap = Optional.of(readiness.await(address.attribute("public-ip"), config.bootstrapTimeout()));
            }
            return site(site, instance, address.attribute("public-ip"), network.vmSubnet(),
                    siteAttributes(net.vpcId, net.subnetId, groupId, address.id(), keyPair.id()), bootstrap);
        } catch (Ec2ApiException e) {
            throw Ec2Errors.translate(e, "site '" + site + "' in " + region + ", " + step);
        }
    }

    /** The site as EC2 has it now; empty when it has no live instance. */
    Optional<Site> describe(String site) {
        try {
            Map<String, String> tags = siteTags(site);
            Optional<Resource> instance = liveInstances(tags).stream().findFirst();
            if (instance.isEmpty()) {
                return Optional.empty();
            }
            Optional<Resource> address = ec2.find(Kind.ELASTIC_IP, tags).stream().findFirst();
            String publicIp = address.map(found -> found.attribute("public-ip"))
                    .orElse(instance.get().attribute("public-ip"));
            Ipv4Cidr vmSubnet = Ipv4Cidr.parse(instance.get().tags().getOrDefault(VM_SUBNET_TAG, "0.0.0.0/0"));
            String groupId = ec2.find(Kind.SECURITY_GROUP, tags).stream().findFirst().map(Resource::id).orElse("");
            String keyId = ec2.find(Kind.KEY_PAIR, tags).stream().findFirst().map(Resource::id).orElse("");
            String subnetId = instance.get().attribute("subnet-id");
            String vpcId = ec2.byId(Kind.SUBNET, subnetId).map(subnet -> subnet.attribute("vpc-id")).orElse("");
            return Optional.of(site(site, instance.get(), publicIp, vmSubnet, siteAttributes(vpcId, subnetId,
                    groupId, address.map(Resource::id).orElse(""), keyId), Optional.empty()));
        } catch (Ec2ApiException e) {
            throw Ec2Errors.translate(e, "describing site '" + site + "' in " + region);
        }
    }

    /** The region this provisioner works in. */
    String region() {
        return region;
    }

    /** Every site LivCloud created in this region (found by its instances' tags). */
    List<Site> list() {
        try {
            List<String> names = liveInstances(Map.of(CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE)).stream()
                    .map(instance -> instance.tags().get(CloudTags.SITE))
                    .filter(name -> name != null && !name.isEmpty())
                    .distinct().sorted().toList();
            List<Site> sites = new ArrayList<>();
            for (String name : names) {
                describe(name).ifPresent(sites::add);
            }
            return sites;
        } catch (Ec2ApiException e) {
            throw Ec2Errors.translate(e, "listing LivCloud's sites in " + region);
        }
    }

    private record Network(String vpcId, String subnetId, String routeTableId) {
    }

    /** VPC, internet gateway, subnet and route table of the site's own, found or created in that order. */
    private Network siteNetwork(String site, Ipv4Cidr hostSubnet, String availabilityZone) {
        String vpcId = existing(Kind.VPC, site, "vpc").map(Resource::id).orElseGet(() ->
                created(Kind.VPC, site, ec2.createVpc(hostSubnet.toString(), CloudTags.forResource(site, "vpc"))).id());
        Resource gateway = existing(Kind.INTERNET_GATEWAY, site, "internet-gateway").orElseGet(() ->
                created(Kind.INTERNET_GATEWAY, site, ec2.createInternetGateway(
                        CloudTags.forResource(site, "internet-gateway"))));
        if (!gateway.attribute("vpc-id").equals(vpcId)) {
            ec2.attachInternetGateway(gateway.id(), vpcId);
        }
        String subnetId = existing(Kind.SUBNET, site, "subnet").map(Resource::id).orElseGet(() ->
                created(Kind.SUBNET, site, ec2.createSubnet(vpcId, hostSubnet.toString(), availabilityZone,
                        CloudTags.forResource(site, "subnet"))).id());
        Resource table = existing(Kind.ROUTE_TABLE, site, "routes").orElseGet(() ->
                created(Kind.ROUTE_TABLE, site, ec2.createRouteTable(vpcId, CloudTags.forResource(site, "routes"))));
        ec2.routeToGateway(table.id(), "0.0.0.0/0", gateway.id());
        if (table.attribute("associations").isEmpty()) {
            ec2.associateRouteTable(table.id(), subnetId);
        }
        return new Network(vpcId, subnetId, table.id());
    }

    /** A subnet (and VPC) the user made: used as it is; its routes stay the user's (no VM subnet route is added). */
    private Network existingNetwork(String site, String subnetId, String vpcId) {
        Resource subnet = ec2.byId(Kind.SUBNET, subnetId).orElseThrow(() -> new ExtensionException(
                Ec2ErrorCode.INVALID_SITE_SPEC, "site '" + site + "': subnet-id " + subnetId + " does not exist in "
                        + region, "give an existing subnet of the region, or leave subnet-id out to have one made"));
        if (!vpcId.isEmpty() && !vpcId.equals(subnet.attribute("vpc-id"))) {
            throw new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "site '" + site + "': subnet " + subnetId
                    + " is in " + subnet.attribute("vpc-id") + ", not in vpc-id " + vpcId,
                    "give the subnet's own VPC, or leave vpc-id out");
        }
        ec2Region.emit("site.resource.reused", site, "subnet " + subnetId + " of " + subnet.attribute("vpc-id")
                + " (the user's; its routes are not changed)");
        return new Network(subnet.attribute("vpc-id"), subnetId, "");
    }

    private void reconcileIngress(String groupId, SiteNetwork network) {
        List<IngressRule> wanted = new ArrayList<>();
        wanted.add(new IngressRule("tcp", 22, 22, network.operatorCidr().toString(), "SSH from the operator"));
        network.peerGateway().ifPresent(peer -> {
            wanted.add(new IngressRule("udp", 500, 500, peer.toString(), "IKE from the peer gateway"));
            wanted.add(new IngressRule("udp", 4500, 4500, peer.toString(), "IKE NAT-T and ESP-in-UDP from the peer"
                    + " gateway"));
            wanted.add(new IngressRule("50", -1, -1, peer.toString(), "ESP from the peer gateway"));
        });
        List<IngressRule> present = ec2.ingressRules(groupId);
        Set<String> presentIds = present.stream().map(IngressRule::identity).collect(Collectors.toSet());
        Set<String> wantedIds = wanted.stream().map(IngressRule::identity).collect(Collectors.toSet());
        List<IngressRule> stale = present.stream().filter(rule -> !wantedIds.contains(rule.identity())).toList();
        if (!stale.isEmpty()) {
            // E.g. the peer gateway's address changed: the old one must not keep reaching the tunnel ports.
            ec2.revokeIngress(groupId, stale);
        }
        List<IngressRule> missing = wanted.stream().filter(rule -> !presentIds.contains(rule.identity())).toList();
        if (!missing.isEmpty()) {
            ec2.authorizeIngress(groupId, missing);
        }
    }

    private String imageId(SiteSpec spec) {
        String configured = spec.options().getOrDefault(IMAGE_ID, config.imageId());
        if (!configured.isBlank()) {
            return configured;
        }
        return ec2.newestImage(DEBIAN_IMAGE_OWNER, DEBIAN_12_IMAGES).orElseThrow(() -> new ExtensionException(
                Ec2ErrorCode.NO_IMAGE, "no Debian 12 image (" + DEBIAN_12_IMAGES + " of owner " + DEBIAN_IMAGE_OWNER
                        + ") is available in " + region, "set image-id to a Debian 12 amd64 AMI of the region"));
    }

    private List<Resource> liveInstances(Map<String, String> tags) {
        return ec2.find(Kind.INSTANCE, tags).stream()
                .filter(instance -> !Ec2Region.GONE.contains(instance.attribute("state")))
                .toList();
    }

    private Optional<Resource> existing(Kind kind, String site, String role) {
        Map<String, String> tags = new TreeMap<>(siteTags(site));
        tags.put(CloudTags.ROLE, role);
        Optional<Resource> found = ec2.find(kind, tags).stream().findFirst();
        found.ifPresent(resource -> ec2Region.emit("site.resource.reused", site,
                kind.name().toLowerCase().replace('_', '-') + " " + resource.id()));
        return found;
    }

    private Resource created(Kind kind, String site, String id) {
        return logged(site, new Resource(kind, id, Map.of(), Map.of()));
    }

    private Resource logged(String site, Resource resource) {
        ec2Region.emit("site.resource.created", site, resource.kind().name().toLowerCase().replace('_', '-') + " "
                + resource.id());
        return resource;
    }

    private Site site(String name, Resource instance, String publicIp, Ipv4Cidr vmSubnet,
            Map<String, String> siteAttributes, Optional<BootstrapStatus> bootstrap) {
        String hostVmAddress = vmSubnet.address(1);
        Map<String, String> hostAttributes = new LinkedHashMap<>();
        hostAttributes.put("instance-type", instance.attribute("instance-type"));
        hostAttributes.put("availability-zone", instance.attribute("availability-zone"));
        hostAttributes.put("vpc-address", instance.attribute("private-ip"));
        // What the host found out about itself over SSH: the stack's versions and whether /dev/kvm has VMX behind it.
        bootstrap.ifPresent(status -> {
            hostAttributes.put("bootstrap", status.state());
            for (String fact : List.of("kvm", "qemu", "libvirt", "strongswan")) {
                if (status.facts().containsKey(fact)) {
                    hostAttributes.put("bootstrap." + fact, status.facts().get(fact));
                }
            }
        });
        // Inside the site the host is its address in the VM subnet, which the tunnel carries; its VPC address is only
        // what it sends IKE from, behind the Elastic IP's NAT.
        // LivCloud reaches libvirt through the host's access (SSH to the public address, see Ec2CloudProvider), so the
        // URI is libvirt's as seen on the host; without a public address nothing reaches it, and qemu:///system alone
        // would be this machine's own libvirt.
        Host host = new Host(instance.id(), Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR), publicIp, hostVmAddress,
                publicIp.isEmpty() ? "" : HostBootstrap.HYPERVISOR_URI, hostAttributes)
                // Peers reach this host through the tunnel, at its address in the VM subnet, never at its public one.
                .withMigration(new MigrationEndpoints("qemu+tcp://" + hostVmAddress + "/system", "tcp://"
                        + hostVmAddress + ":" + MIGRATION_PORT, "", "", false))
                // The host's firewall lets the peer host alone reach those ports, once its tunnel is up.
                .withTunnelControl(new TunnelControl(HostBootstrap.VICI_SOCKET, instance.attribute("private-ip"),
                        publicIp, HostBootstrap.TUNNEL_UPDOWN));
        return new Site(name, PROVIDER, region, host, List.of(host), vmSubnet.toString(), siteAttributes);
    }

    private static Map<String, String> siteAttributes(String vpcId, String subnetId, String groupId,
            String allocationId, String keyPairId) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put(VPC_ID, vpcId);
        attributes.put(SUBNET_ID, subnetId);
        attributes.put("security-group-id", groupId);
        attributes.put("elastic-ip-allocation-id", allocationId);
        attributes.put("key-pair-id", keyPairId);
        return attributes;
    }

    private static Map<String, String> instanceTags(String site, Ipv4Cidr vmSubnet) {
        Map<String, String> tags = new LinkedHashMap<>(CloudTags.forResource(site, "gateway"));
        tags.put(VM_SUBNET_TAG, vmSubnet.toString());
        return tags;
    }

    /** The tags that make a resource the site's, sorted so that EC2 requests come out the same every time. */
    static Map<String, String> siteTags(String site) {
        return new TreeMap<>(Map.of(CloudTags.SITE, site, CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE));
    }

    static String keyName(String site) {
        return "livcloud-" + site;
    }

    private static String checkName(String site) {
        if (!SITE_NAME.matcher(site).matches() || site.length() > LONGEST_SITE_NAME) {
            throw new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "site name '" + site + "' cannot name EC2"
                    + " resources", "use lower case letters, digits and dashes, starting with a letter, at most "
                    + LONGEST_SITE_NAME + " characters");
        }
        return site;
    }

    private static Ipv4Cidr hostSubnet(SiteSpec spec, SiteNetwork network) {
        String text = spec.options().getOrDefault(HOST_SUBNET, DEFAULT_HOST_SUBNET);
        Ipv4Cidr hostSubnet;
        try {
            hostSubnet = Ipv4Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "site '" + spec.name() + "': " + HOST_SUBNET
                    + " is wrong: " + e.getMessage(), "write a private /16 to /28, e.g. " + DEFAULT_HOST_SUBNET);
        }
        if (!hostSubnet.isPrivate() || hostSubnet.prefixLength() < 16 || hostSubnet.prefixLength() > 28) {
            throw new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "site '" + spec.name() + "': " + HOST_SUBNET
                    + " is " + hostSubnet + "; a VPC needs a private network from /16 to /28",
                    "write one such as " + DEFAULT_HOST_SUBNET);
        }
        if (hostSubnet.overlaps(network.vmSubnet())) {
            throw new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "site '" + spec.name() + "': " + HOST_SUBNET
                    + " " + hostSubnet + " overlaps vm-subnet " + network.vmSubnet() + "; the VM subnet is routed to"
                    + " the host and must lie outside the VPC", "choose separate networks, e.g. host-subnet = "
                    + DEFAULT_HOST_SUBNET + " and vm-subnet = 10.99.20.0/24");
        }
        return hostSubnet;
    }
}
