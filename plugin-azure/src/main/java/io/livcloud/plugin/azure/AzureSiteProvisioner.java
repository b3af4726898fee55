package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.plugin.toolkit.cloud.HostBootstrap;
import io.livcloud.plugin.toolkit.cloud.Ipv4Cidr;
import io.livcloud.plugin.toolkit.cloud.SiteNetwork;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TunnelControl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Builds and finds sites in Azure through an {@link AzureFacade} ({@link AzureSiteTeardown} removes them): a resource
 * group (the site's own, or the configured one), a VNet with the hosts' subnet, a security group, a public IP, a NIC
 * with IP forwarding and one VM of a nested-capable size with security type Standard that is both the site's gateway
 * and its hypervisor host, bootstrapped by cloud-init ({@link HostBootstrap}).
 *
 * <p>Every resource carries {@link CloudTags}. Provisioning is idempotent: what exists with the site's tags is reused
 * (the security group is written again, so a peer gateway learnt later opens the tunnel ports); a resource with the
 * site's name but not its tags stops the run.
 *
 * <p>Provisioning returns once Azure reports the VM created; the bootstrap then runs on the host for some minutes and
 * reports to {@link HostBootstrap#STATUS_FILE}. Waiting for it is not done here (see the README).
 */
final class AzureSiteProvisioner {

    static final String PROVIDER = "azure";
    /** The VM's tag that keeps the site's VM subnet, so a site can be described from Azure alone. */
    static final String VM_SUBNET_TAG = "livcloud:vm-subnet";

    private final AzureConfig config;
    private final AzureFacade azure;
    private final Supplier<String> sshPublicKey;

    /**
     * @param sshPublicKey LivCloud's public key for the hosts, in OpenSSH format (asked for only when provisioning)
     */
    AzureSiteProvisioner(AzureConfig config, AzureFacade azure, Supplier<String> sshPublicKey) {
        this.config = requireNonNull(config, "config is null");
        this.azure = requireNonNull(azure, "azure is null");
        this.sshPublicKey = requireNonNull(sshPublicKey, "sshPublicKey is null");
    }

    /** Creates the site or completes what an earlier run began. */
    Site provision(SiteSpec spec) {
        SiteNames names = SiteNames.of(spec.name(), config.resourceGroup());
        String location = spec.location().isBlank() ? config.location().orElse("") : spec.location();
        if (location.isBlank()) {
            throw new ExtensionException(AzureErrorCode.INVALID_SITE_SPEC, "site '" + spec.name() + "' has no location",
                    "give the site a location, or set livcloud.extensions.provider.azure.location, e.g. westeurope");
        }
        String size = spec.instanceType().isBlank() ? config.vmSize() : spec.instanceType();
        InstanceTypeCapability capability = AzureVmSizes.capability(size);
        if (!capability.hardwareVirtualization()) {
            throw new ExtensionException(AzureErrorCode.SIZE_NOT_NESTED_CAPABLE, "site '" + spec.name() + "': VM size "
                    + size + " cannot run a hypervisor with hardware acceleration: "
                    + String.join("; ", capability.reasons()), "choose a size of " + AzureVmSizes.allowedSeries()
                    + ", e.g. Standard_D4s_v5");
        }
        SiteNetwork network = SiteNetwork.of(spec, "", config.operatorCidr(), AzureErrorCode.INVALID_SITE_SPEC);
        Ipv4Cidr hostSubnet = hostSubnet(network);
        HostBootstrap bootstrap = bootstrap(spec.name(), network.vmSubnet());
        try {
            AzureFacade.SizeOffer offer = azure.sizeOffer(location, size);
            if (!offer.usable()) {
                throw new ExtensionException(AzureErrorCode.SIZE_NOT_AVAILABLE, "VM size " + size + " is "
                        + (offer.offered() ? "restricted for this subscription in " + location + ": "
                                + String.join("; ", offer.restrictions()) : "not offered in " + location),
                        "choose another location or size (`az vm list-skus --location " + location
                                + " --resource-type virtualMachines --output table`)");
            }
            ensureGroup(names, location);
            Map<String, String> base = CloudTags.forResource(spec.name(), "gateway");
            ensure(names, new ResourceRequest.SecurityGroup(names.securityGroup(), location, rules(network),
                    CloudTags.forResource(spec.name(), "security-group")), true);
            ensure(names, new ResourceRequest.VirtualNetwork(names.virtualNetwork(), location, hostSubnet.toString(),
                    SiteNames.HOSTS_SUBNET, hostSubnet.toString(), CloudTags.forResource(spec.name(), "network")),
                    false);
            AzureResource ip = ensure(names, new ResourceRequest.PublicIp(names.publicIp(), location,
                    CloudTags.forResource(spec.name(), "gateway-ip")), false);
            AzureResource nic = ensure(names, new ResourceRequest.NetworkInterface(names.networkInterface(), location,
                    names.virtualNetwork(), SiteNames.HOSTS_SUBNET, names.securityGroup(), names.publicIp(), true,
                    CloudTags.forResource(spec.name(), "gateway-nic")), false);
            Map<String, String> vmTags = new LinkedHashMap<>(base);
            vmTags.put(VM_SUBNET_TAG, network.vmSubnet().toString());
            AzureResource vm = ensure(names, new ResourceRequest.VirtualMachine(names.virtualMachine(), location, size,
                    AzureVmSizes.SECURITY_TYPE_STANDARD, config.image(), config.adminUsername(), sshPublicKey.get(),
                    bootstrap.userData(), names.networkInterface(), names.osDisk(), vmTags), false);
            requireStandardSecurity(vm);
            return site(names, location, vm, nic, ip, network.vmSubnet().toString());
        } catch (AzureCallException e) {
            throw AzureErrors.translate(e);
        }
    }

    /** The sites LivCloud created in this subscription (their own groups, and the configured group). */
    List<Site> sites() {
        try {
            Set<String> siteNames = new LinkedHashSet<>();
            for (AzureFacade.ResourceGroup group : azure.resourceGroupsTagged(CloudTags.SITE)) {
                String site = group.tags().get(CloudTags.SITE);
                if (config.resourceGroup().isEmpty() && CloudTags.createdFor(group.tags(), site)) {
                    siteNames.add(site);
                }
            }
            if (config.resourceGroup().isPresent() && azure.resourceGroup(config.resourceGroup().get()).isPresent()) {
                for (AzureResource resource : azure.resources(config.resourceGroup().get())) {
                    String site = resource.tags().get(CloudTags.SITE);
                    if (site != null && CloudTags.createdFor(resource.tags(), site)) {
                        siteNames.add(site);
                    }
                }
            }
            List<Site> sites = new ArrayList<>();
            for (String site : siteNames) {
                describe(site).ifPresent(sites::add);
            }
            return sites;
        } catch (AzureCallException e) {
            throw AzureErrors.translate(e);
        }
    }

    /** The site, if its VM exists (a half-provisioned site has no host to describe). */
    Optional<Site> describe(String siteName) {
        SiteNames names = SiteNames.of(siteName, config.resourceGroup());
        try {
            Optional<AzureFacade.ResourceGroup> group = azure.resourceGroup(names.group());
            if (group.isEmpty()) {
                return Optional.empty();
            }
            Optional<AzureResource> vm = azure.get(ResourceKind.VIRTUAL_MACHINE, names.group(), names.virtualMachine())
                    .filter(found -> CloudTags.createdFor(found.tags(), siteName));
            if (vm.isEmpty()) {
                return Optional.empty();
            }
            AzureResource nic = azure.get(ResourceKind.NETWORK_INTERFACE, names.group(), names.networkInterface())
                    .orElse(new AzureResource(ResourceKind.NETWORK_INTERFACE.type(), names.networkInterface(),
                            Map.of(), Map.of()));
            AzureResource ip = azure.get(ResourceKind.PUBLIC_IP_ADDRESS, names.group(), names.publicIp())
                    .orElse(new AzureResource(ResourceKind.PUBLIC_IP_ADDRESS.type(), names.publicIp(), Map.of(),
                            Map.of()));
            return Optional.of(site(names, group.get().location(), vm.get(), nic, ip,
                    vm.get().tags().getOrDefault(VM_SUBNET_TAG, "")));
        } catch (AzureCallException e) {
            throw AzureErrors.translate(e);
        }
    }

    private void ensureGroup(SiteNames names, String location) {
        Optional<AzureFacade.ResourceGroup> group = azure.resourceGroup(names.group());
        if (!names.groupPerSite()) {
            if (group.isEmpty()) {
                throw new ExtensionException(AzureErrorCode.INVALID_SETTING, "resource group '" + names.group()
                        + "' (livcloud.extensions.provider.azure.resource-group) does not exist",
                        "create it (`az group create --name " + names.group() + " --location " + location
                                + "`), or unset the setting for a group per site");
            }
            return;
        }
        if (group.isPresent() && !CloudTags.createdFor(group.get().tags(), names.site())) {
            throw conflict("resource group " + names.group());
        }
        if (group.isEmpty()) {
            azure.createResourceGroup(names.group(), location, CloudTags.forResource(names.site(), "resource-group"));
        }
    }

    /**
     * The resource as the request asks: reused when it exists with the site's tags ({@code rewrite}: written again),
     * created when absent.
     */
    private AzureResource ensure(SiteNames names, ResourceRequest request, boolean rewrite) {
        Optional<AzureResource> existing = azure.get(request.kind(), names.group(), request.name());
        if (existing.isPresent()) {
            if (!CloudTags.createdFor(existing.get().tags(), names.site())) {
                throw conflict(request.kind().type() + "/" + request.name() + " in group " + names.group());
            }
            if (!rewrite) {
                return existing.get();
            }
        }
        return azure.createOrUpdate(names.group(), request);
    }

    private static void requireStandardSecurity(AzureResource vm) {
        String securityType = vm.property(AzureResource.SECURITY_TYPE).orElse(AzureVmSizes.SECURITY_TYPE_STANDARD);
        if (!securityType.equalsIgnoreCase(AzureVmSizes.SECURITY_TYPE_STANDARD)) {
            throw new ExtensionException(AzureErrorCode.SIZE_NOT_NESTED_CAPABLE, "VM " + vm.name() + " has security"
                    + " type " + securityType + ", under which the guest sees no VT-x", "tear the site down and"
                    + " provision it again: LivCloud creates its VMs with security type Standard");
        }
    }

    /** IKE and ESP from the peer gateway only (none while it is unknown); SSH from the operator only. */
    private static List<ResourceRequest.InboundRule> rules(SiteNetwork network) {
        List<ResourceRequest.InboundRule> rules = new ArrayList<>();
        network.peerGateway().ifPresent(peer -> {
            rules.add(new ResourceRequest.InboundRule("livcloud-ike", 100, "Udp", peer.toString(),
                    List.of("500", "4500")));
            rules.add(new ResourceRequest.InboundRule("livcloud-esp", 110, "Esp", peer.toString(), List.of("*")));
        });
        rules.add(new ResourceRequest.InboundRule("livcloud-ssh", 120, "Tcp", network.operatorCidr().toString(),
                List.of("22")));
        return rules;
    }

    private Ipv4Cidr hostSubnet(SiteNetwork network) {
        Ipv4Cidr hosts;
        try {
            hosts = Ipv4Cidr.parse(config.hostSubnet());
        } catch (IllegalArgumentException e) {
            throw new ExtensionException(AzureErrorCode.INVALID_SETTING, "livcloud.extensions.provider.azure."
                    + AzureConfig.HOST_SUBNET.key() + " is wrong: " + e.getMessage(), "write a private network, e.g."
                    + " 10.250.0.0/24");
        }
        if (!hosts.isPrivate() || hosts.prefixLength() > 29) {
            throw new ExtensionException(AzureErrorCode.INVALID_SETTING, "livcloud.extensions.provider.azure."
                    + AzureConfig.HOST_SUBNET.key() + " is " + hosts + ": Azure needs a private /29 or larger",
                    "write a private network, e.g. 10.250.0.0/24");
        }
        if (hosts.overlaps(network.vmSubnet())) {
            throw new ExtensionException(AzureErrorCode.INVALID_SITE_SPEC, "the VM subnet " + network.vmSubnet()
                    + " overlaps the hosts' Azure subnet " + hosts + " (livcloud.extensions.provider.azure."
                    + AzureConfig.HOST_SUBNET.key() + ")", "give the site a VM subnet outside " + hosts
                    + ", e.g. 10.99.20.0/24, or move host-subnet");
        }
        return hosts;
    }

    private static HostBootstrap bootstrap(String site, Ipv4Cidr vmSubnet) {
        try {
            // Azure installs the login key itself (osProfile), so the document needs no authorized keys.
            return new HostBootstrap(site, vmSubnet, List.of());
        } catch (IllegalArgumentException e) {
            // SiteNetwork.of has checked the subnet's size already: what is left is the site's name.
            throw new ExtensionException(AzureErrorCode.INVALID_SITE_SPEC, "site '" + site + "': " + e.getMessage(),
                    "name the site with lower case letters, digits and dashes, e.g. east-1");
        }
    }

    private Site site(SiteNames names, String location, AzureResource vm, AzureResource nic, AzureResource ip,
            String vmSubnet) {
        String publicAddress = ip.property(AzureResource.PUBLIC_ADDRESS).orElse("");
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("vm-size", vm.property(AzureResource.VM_SIZE).orElse(""));
        attributes.put("security-type", vm.property(AzureResource.SECURITY_TYPE).orElse(""));
        attributes.put("resource-group", names.group());
        String nicAddress = nic.property(AzureResource.PRIVATE_ADDRESS).orElse("");
        attributes.put("nic-address", nicAddress);
        // LivCloud reaches libvirt through the host's access (SSH to the public address, see AzureCloudProvider), so
        // the URI is libvirt's as seen on the host; without a public address nothing reaches it, and qemu:///system
        // alone would be this machine's own libvirt.
        String hypervisorUri = publicAddress.isEmpty() ? "" : HostBootstrap.HYPERVISOR_URI;
        String inside = vmSubnet.isEmpty() ? ""
                : new HostBootstrap(names.site(), Ipv4Cidr.parse(vmSubnet), List.of()).hostVmAddress();
        // Inside the site the host is its address in the VM subnet, which the tunnel carries; its NIC's address is
        // only what it sends IKE from, behind the public IP's NAT.
        Host host = new Host(vm.name(), Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR), publicAddress, inside,
                hypervisorUri, attributes)
                .withTunnelControl(new TunnelControl(HostBootstrap.VICI_SOCKET, nicAddress, publicAddress,
                        HostBootstrap.TUNNEL_UPDOWN));
        if (!inside.isEmpty()) {
            // Peers reach this host's libvirtd and migration port through the tunnel, at its VM-subnet address.
            host = host.withMigration(new MigrationEndpoints("qemu+tcp://" + inside + "/system", "tcp://" + inside
                    + ":49152", "", "", false));
        }
        return new Site(names.site(), PROVIDER, location, host, List.of(host), vmSubnet,
                Map.of("resource-group", names.group(), "group-per-site", String.valueOf(names.groupPerSite())));
    }

    private static ExtensionException conflict(String what) {
        return new ExtensionException(AzureErrorCode.RESOURCE_CONFLICT, what + " exists but was not created by"
                + " LivCloud for this site (it lacks the tags " + CloudTags.SITE + " and " + CloudTags.CREATED_BY + ")",
                "choose another site name, or remove or rename the existing resource");
    }
}
