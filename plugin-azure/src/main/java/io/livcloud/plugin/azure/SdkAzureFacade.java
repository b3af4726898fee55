package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.management.profile.AzureProfile;
import com.azure.core.util.Context;
import com.azure.resourcemanager.compute.ComputeManager;
import com.azure.resourcemanager.compute.fluent.ComputeManagementClient;
import com.azure.resourcemanager.compute.fluent.models.ResourceSkuInner;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import com.azure.resourcemanager.compute.models.DiskCreateOptionTypes;
import com.azure.resourcemanager.compute.models.DiskDeleteOptionTypes;
import com.azure.resourcemanager.compute.models.HardwareProfile;
import com.azure.resourcemanager.compute.models.ImageReference;
import com.azure.resourcemanager.compute.models.LinuxConfiguration;
import com.azure.resourcemanager.compute.models.ManagedDiskParameters;
import com.azure.resourcemanager.compute.models.NetworkInterfaceReference;
import com.azure.resourcemanager.compute.models.NetworkProfile;
import com.azure.resourcemanager.compute.models.OSDisk;
import com.azure.resourcemanager.compute.models.OSProfile;
import com.azure.resourcemanager.compute.models.ResourceSkuRestrictions;
import com.azure.resourcemanager.compute.models.SecurityProfile;
import com.azure.resourcemanager.compute.models.SecurityTypes;
import com.azure.resourcemanager.compute.models.SshConfiguration;
import com.azure.resourcemanager.compute.models.SshPublicKey;
import com.azure.resourcemanager.compute.models.StorageAccountTypes;
import com.azure.resourcemanager.compute.models.StorageProfile;
import com.azure.resourcemanager.compute.models.VirtualMachineSizeTypes;
import com.azure.resourcemanager.network.NetworkManager;
import com.azure.resourcemanager.network.fluent.NetworkManagementClient;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceInner;
import com.azure.resourcemanager.network.fluent.models.NetworkInterfaceIpConfigurationInner;
import com.azure.resourcemanager.network.fluent.models.NetworkSecurityGroupInner;
import com.azure.resourcemanager.network.fluent.models.PublicIpAddressInner;
import com.azure.resourcemanager.network.fluent.models.SecurityRuleInner;
import com.azure.resourcemanager.network.fluent.models.SubnetInner;
import com.azure.resourcemanager.network.fluent.models.VirtualNetworkInner;
import com.azure.resourcemanager.network.models.AddressSpace;
import com.azure.resourcemanager.network.models.IpAllocationMethod;
import com.azure.resourcemanager.network.models.IpVersion;
import com.azure.resourcemanager.network.models.PublicIpAddressSku;
import com.azure.resourcemanager.network.models.PublicIpAddressSkuName;
import com.azure.resourcemanager.network.models.SecurityRuleAccess;
import com.azure.resourcemanager.network.models.SecurityRuleDirection;
import com.azure.resourcemanager.network.models.SecurityRuleProtocol;
import com.azure.resourcemanager.resources.ResourceManager;
import com.azure.resourcemanager.resources.fluent.ResourceManagementClient;
import com.azure.resourcemanager.resources.fluent.models.GenericResourceExpandedInner;
import com.azure.resourcemanager.resources.fluent.models.ResourceGroupInner;
import io.livcloud.plugin.azure.ResourceRequest.InboundRule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link AzureFacade} on the Azure SDK for Java: the generated "inner" clients of azure-resourcemanager-resources,
 * -network and -compute, which send exactly one PUT, GET or DELETE per call (plus Azure's long-running-operation
 * polling), so what reaches Azure is what the request records say. The fluent API on top of them would add lookups of
 * its own and hide the request bodies.
 *
 * <p>HTTP goes through the JDK's client (azure-core-http-jdk-httpclient; Netty is excluded from the build). Throttling
 * (429) and transient server errors are retried by the SDK's retry policy, honouring Azure's Retry-After.
 */
final class SdkAzureFacade implements AzureFacade {

    /** The security type that leaves VT-x visible to the guest; not among the SDK's constants. */
    private static final SecurityTypes STANDARD = SecurityTypes.fromString(AzureVmSizes.SECURITY_TYPE_STANDARD);
    private static final String HOSTS_IP_CONFIGURATION = "primary";

    private final String subscriptionId;
    private final ResourceManagementClient resources;
    private final NetworkManagementClient network;
    private final ComputeManagementClient compute;

    /**
     * @param credential how to get tokens, e.g. {@code DefaultAzureCredential}
     * @param httpClient the HTTP client
     * @param environment the Azure cloud (public, China, US Government)
     * @param subscriptionId the subscription everything is in
     * @param retries how often a throttled or transiently failed request is retried
     * @param retryDelay the first retry's delay when Azure names none (it doubles each time)
     */
    SdkAzureFacade(TokenCredential credential, HttpClient httpClient, AzureEnvironment environment,
            String subscriptionId, int retries, Duration retryDelay) {
        this.subscriptionId = requireNonNull(subscriptionId, "subscriptionId is null");
        AzureProfile profile = new AzureProfile(null, subscriptionId, environment);
        RetryOptions retry = new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(retries)
                .setBaseDelay(retryDelay).setMaxDelay(retryDelay.multipliedBy(32)));
        this.resources = ResourceManager.configure().withHttpClient(httpClient).withRetryOptions(retry)
                .authenticate(credential, profile).withSubscription(subscriptionId).serviceClient();
        this.network = NetworkManager.configure().withHttpClient(httpClient).withRetryOptions(retry)
                .authenticate(credential, profile).serviceClient();
        this.compute = ComputeManager.configure().withHttpClient(httpClient).withRetryOptions(retry)
                .authenticate(credential, profile).serviceClient();
    }

    @Override
    public Optional<ResourceGroup> resourceGroup(String name) {
        return call("read resource group " + name, () -> absentIfNotFound(() -> group(resources.getResourceGroups()
                .get(name))));
    }

    @Override
    public List<ResourceGroup> resourceGroupsTagged(String tagName) {
        // ARM's filter for groups: "tagName eq 'x'" (any value), https://learn.microsoft.com/rest/api/resources/resource-groups/list
        String filter = "tagName eq '" + tagName.replace("'", "''") + "'";
        return call("list resource groups tagged " + tagName, () -> resources.getResourceGroups()
                .list(filter, null, Context.NONE).stream().map(SdkAzureFacade::group).toList());
    }

    @Override
    public void createResourceGroup(String name, String location, Map<String, String> tags) {
        call("create resource group " + name, () -> resources.getResourceGroups().createOrUpdate(name,
                new ResourceGroupInner().withLocation(location).withTags(tags)));
    }

    @Override
    public void deleteResourceGroup(String name) {
        call("delete resource group " + name, () -> {
            absentIfNotFound(() -> {
                resources.getResourceGroups().delete(name);
                return Boolean.TRUE;
            });
            return null;
        });
    }

    @Override
    public List<AzureResource> resources(String group) {
        return call("list resources in group " + group, () -> {
            List<AzureResource> found = new ArrayList<>();
            for (GenericResourceExpandedInner resource : resources.getResources().listByResourceGroup(group)) {
                found.add(new AzureResource(resource.type(), resource.name(), tagsOf(resource.tags()), Map.of()));
            }
            return found;
        });
    }

    @Override
    public Optional<AzureResource> get(ResourceKind kind, String group, String name) {
        return call("read " + describe(kind, name), () -> absentIfNotFound(() -> switch (kind) {
            case VIRTUAL_NETWORK -> virtualNetwork(network.getVirtualNetworks().getByResourceGroup(group, name));
            case NETWORK_SECURITY_GROUP -> securityGroup(network.getNetworkSecurityGroups()
                    .getByResourceGroup(group, name));
            case PUBLIC_IP_ADDRESS -> publicIp(network.getPublicIpAddresses().getByResourceGroup(group, name));
            case NETWORK_INTERFACE -> networkInterface(network.getNetworkInterfaces().getByResourceGroup(group, name));
            case VIRTUAL_MACHINE -> virtualMachine(compute.getVirtualMachines().getByResourceGroup(group, name));
            case DISK -> {
                var disk = compute.getDisks().getByResourceGroup(group, name);
                yield new AzureResource(kind.type(), disk.name(), tagsOf(disk.tags()), Map.of());
            }
        }));
    }

    @Override
    public AzureResource createOrUpdate(String group, ResourceRequest request) {
        return call("create " + describe(request.kind(), request.name()), () -> {
            if (request instanceof ResourceRequest.VirtualNetwork vnet) {
                return virtualNetwork(network.getVirtualNetworks().createOrUpdate(group, vnet.name(),
                        new VirtualNetworkInner()
                                .withLocation(vnet.location())
                                .withTags(vnet.tags())
                                .withAddressSpace(new AddressSpace().withAddressPrefixes(List.of(vnet.addressPrefix())))
                                .withSubnets(List.of(new SubnetInner().withName(vnet.subnetName())
                                        .withAddressPrefix(vnet.subnetPrefix())))));
            }
            if (request instanceof ResourceRequest.SecurityGroup nsg) {
                return securityGroup(network.getNetworkSecurityGroups().createOrUpdate(group, nsg.name(),
                        new NetworkSecurityGroupInner()
                                .withLocation(nsg.location())
                                .withTags(nsg.tags())
                                .withSecurityRules(nsg.rules().stream().map(SdkAzureFacade::securityRule).toList())));
            }
            if (request instanceof ResourceRequest.PublicIp ip) {
                return publicIp(network.getPublicIpAddresses().createOrUpdate(group, ip.name(),
                        new PublicIpAddressInner()
                                .withLocation(ip.location())
                                .withTags(ip.tags())
                                .withSku(new PublicIpAddressSku().withName(PublicIpAddressSkuName.STANDARD))
                                .withPublicIpAllocationMethod(IpAllocationMethod.STATIC)
                                .withPublicIpAddressVersion(IpVersion.IPV4)));
            }
            if (request instanceof ResourceRequest.NetworkInterface nic) {
                return networkInterface(network.getNetworkInterfaces().createOrUpdate(group, nic.name(),
                        networkInterfaceBody(group, nic)));
            }
            ResourceRequest.VirtualMachine vm = (ResourceRequest.VirtualMachine) request;
            return virtualMachine(compute.getVirtualMachines().createOrUpdate(group, vm.name(),
                    virtualMachineBody(group, vm)));
        });
    }

    @Override
    public void delete(ResourceKind kind, String group, String name) {
        call("delete " + describe(kind, name), () -> absentIfNotFound(() -> {
            switch (kind) {
                case VIRTUAL_MACHINE -> compute.getVirtualMachines().delete(group, name);
                case DISK -> compute.getDisks().delete(group, name);
                case NETWORK_INTERFACE -> network.getNetworkInterfaces().delete(group, name);
                case PUBLIC_IP_ADDRESS -> network.getPublicIpAddresses().delete(group, name);
                case NETWORK_SECURITY_GROUP -> network.getNetworkSecurityGroups().delete(group, name);
                case VIRTUAL_NETWORK -> network.getVirtualNetworks().delete(group, name);
            }
            return Boolean.TRUE;
        }));
    }

    @Override
    public SizeOffer sizeOffer(String location, String size) {
        // The resource SKUs API, filtered to the location server-side (the only filter it supports).
        String filter = "location eq '" + location.replace("'", "''") + "'";
        return call("list VM sizes in " + location, () -> {
            for (ResourceSkuInner sku : compute.getResourceSkus().list(filter, null, Context.NONE)) {
                if (!"virtualMachines".equalsIgnoreCase(sku.resourceType()) || !size.equalsIgnoreCase(sku.name())) {
                    continue;
                }
                List<String> restrictions = new ArrayList<>();
                for (ResourceSkuRestrictions restriction : Optional.ofNullable(sku.restrictions()).orElse(List.of())) {
                    restrictions.add(restriction.reasonCode() + " in " + String.valueOf(restriction.type())
                            .toLowerCase(Locale.ROOT) + " " + String.join(", ", Optional.ofNullable(
                                    restriction.values()).orElse(List.of())));
                }
                return new SizeOffer(true, restrictions);
            }
            return new SizeOffer(false, List.of());
        });
    }

    @Override
    public void close() {
        // The JDK client's connections are released with it; the SDK's managers hold nothing else.
    }

    private NetworkInterfaceInner networkInterfaceBody(String group, ResourceRequest.NetworkInterface nic) {
        return new NetworkInterfaceInner()
                .withLocation(nic.location())
                .withTags(nic.tags())
                .withEnableIpForwarding(nic.ipForwarding())
                .withNetworkSecurityGroup(new NetworkSecurityGroupInner()
                        .withId(id(group, ResourceKind.NETWORK_SECURITY_GROUP, nic.securityGroup())))
                .withIpConfigurations(List.of(new NetworkInterfaceIpConfigurationInner()
                        .withName(HOSTS_IP_CONFIGURATION)
                        .withPrimary(true)
                        .withPrivateIpAllocationMethod(IpAllocationMethod.DYNAMIC)
                        .withSubnet(new SubnetInner().withId(id(group, ResourceKind.VIRTUAL_NETWORK,
                                nic.virtualNetwork()) + "/subnets/" + nic.subnet()))
                        .withPublicIpAddress(new PublicIpAddressInner()
                                .withId(id(group, ResourceKind.PUBLIC_IP_ADDRESS, nic.publicIp())))));
    }

    private VirtualMachineInner virtualMachineBody(String group, ResourceRequest.VirtualMachine vm) {
        String customData = Base64.getEncoder().encodeToString(vm.customData().getBytes(StandardCharsets.UTF_8));
        return new VirtualMachineInner()
                .withLocation(vm.location())
                .withTags(vm.tags())
                .withHardwareProfile(new HardwareProfile().withVmSize(VirtualMachineSizeTypes.fromString(vm.size())))
                .withSecurityProfile(new SecurityProfile().withSecurityType(
                        SecurityTypes.fromString(vm.securityType())))
                .withStorageProfile(new StorageProfile()
                        .withImageReference(new ImageReference()
                                .withPublisher(vm.image().publisher())
                                .withOffer(vm.image().offer())
                                .withSku(vm.image().sku())
                                .withVersion(vm.image().version()))
                        .withOsDisk(new OSDisk()
                                .withName(vm.osDiskName())
                                .withCreateOption(DiskCreateOptionTypes.FROM_IMAGE)
                                // The disk goes with the VM, so a teardown that deletes the VM leaves no disk.
                                .withDeleteOption(DiskDeleteOptionTypes.DELETE)
                                .withManagedDisk(new ManagedDiskParameters()
                                        .withStorageAccountType(StorageAccountTypes.STANDARD_SSD_LRS))))
                .withOsProfile(new OSProfile()
                        .withComputerName(vm.name())
                        .withAdminUsername(vm.adminUsername())
                        .withCustomData(customData)
                        .withLinuxConfiguration(new LinuxConfiguration()
                                .withDisablePasswordAuthentication(true)
                                .withSsh(new SshConfiguration().withPublicKeys(List.of(new SshPublicKey()
                                        .withPath("/home/" + vm.adminUsername() + "/.ssh/authorized_keys")
                                        .withKeyData(vm.sshPublicKey()))))))
                .withNetworkProfile(new NetworkProfile().withNetworkInterfaces(List.of(new NetworkInterfaceReference()
                        .withId(id(group, ResourceKind.NETWORK_INTERFACE, vm.networkInterface()))
                        .withPrimary(true))));
    }

    private static SecurityRuleInner securityRule(InboundRule rule) {
        SecurityRuleInner inner = new SecurityRuleInner()
                .withName(rule.name())
                .withPriority(rule.priority())
                .withDirection(SecurityRuleDirection.INBOUND)
                .withAccess(SecurityRuleAccess.ALLOW)
                .withProtocol(SecurityRuleProtocol.fromString(rule.protocol()))
                .withSourceAddressPrefix(rule.sourcePrefix())
                .withSourcePortRange("*")
                .withDestinationAddressPrefix("*");
        // Azure takes one port (or range) in destinationPortRange and several only in destinationPortRanges.
        return rule.destinationPorts().size() == 1
                ? inner.withDestinationPortRange(rule.destinationPorts().get(0))
                : inner.withDestinationPortRanges(rule.destinationPorts());
    }

    private String id(String group, ResourceKind kind, String name) {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + group + "/providers/" + kind.type() + "/"
                + name;
    }

    private static ResourceGroup group(ResourceGroupInner inner) {
        return new ResourceGroup(inner.name(), inner.location(), tagsOf(inner.tags()));
    }

    private static AzureResource virtualNetwork(VirtualNetworkInner inner) {
        return resource(ResourceKind.VIRTUAL_NETWORK, inner.name(), inner.tags(),
                state(inner.provisioningState()));
    }

    private static AzureResource securityGroup(NetworkSecurityGroupInner inner) {
        return resource(ResourceKind.NETWORK_SECURITY_GROUP, inner.name(), inner.tags(),
                state(inner.provisioningState()));
    }

    private static AzureResource publicIp(PublicIpAddressInner inner) {
        Map<String, String> properties = state(inner.provisioningState());
        if (inner.ipAddress() != null) {
            properties.put(AzureResource.PUBLIC_ADDRESS, inner.ipAddress());
        }
        return resource(ResourceKind.PUBLIC_IP_ADDRESS, inner.name(), inner.tags(), properties);
    }

    private static AzureResource networkInterface(NetworkInterfaceInner inner) {
        Map<String, String> properties = state(inner.provisioningState());
        Optional.ofNullable(inner.ipConfigurations()).orElse(List.of()).stream()
                .filter(configuration -> configuration.privateIpAddress() != null)
                .findFirst()
                .ifPresent(configuration -> properties.put(AzureResource.PRIVATE_ADDRESS,
                        configuration.privateIpAddress()));
        properties.put(AzureResource.IP_FORWARDING, String.valueOf(Boolean.TRUE.equals(inner.enableIpForwarding())));
        return resource(ResourceKind.NETWORK_INTERFACE, inner.name(), inner.tags(), properties);
    }

    private static AzureResource virtualMachine(VirtualMachineInner inner) {
        Map<String, String> properties = new HashMap<>();
        if (inner.provisioningState() != null) {
            properties.put(AzureResource.PROVISIONING_STATE, inner.provisioningState());
        }
        if (inner.hardwareProfile() != null && inner.hardwareProfile().vmSize() != null) {
            properties.put(AzureResource.VM_SIZE, inner.hardwareProfile().vmSize().toString());
        }
        if (inner.securityProfile() != null && inner.securityProfile().securityType() != null) {
            properties.put(AzureResource.SECURITY_TYPE, inner.securityProfile().securityType().toString());
        }
        return resource(ResourceKind.VIRTUAL_MACHINE, inner.name(), inner.tags(), properties);
    }

    private static Map<String, String> state(Object provisioningState) {
        Map<String, String> properties = new HashMap<>();
        if (provisioningState != null) {
            properties.put(AzureResource.PROVISIONING_STATE, provisioningState.toString());
        }
        return properties;
    }

    private static AzureResource resource(ResourceKind kind, String name, Map<String, String> tags,
            Map<String, String> properties) {
        return new AzureResource(kind.type(), name, tagsOf(tags), properties);
    }

    private static Map<String, String> tagsOf(Map<String, String> tags) {
        return tags == null ? Map.of() : tags;
    }

    private static String describe(ResourceKind kind, String name) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + name;
    }

    /** The value, or empty when Azure answers 404 (the resource, or its group, does not exist). */
    private static <T> Optional<T> absentIfNotFound(Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (HttpResponseException e) {
            if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Runs an SDK call, turning whatever it throws into an {@link AzureCallException} saying what was being done. */
    private static <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (ManagementException e) {
            ManagementError error = e.getValue();
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            String code = error == null || error.getCode() == null ? AzureCallException.NO_CODE : error.getCode();
            String message = error == null || error.getMessage() == null ? e.getMessage() : error.getMessage();
            throw new AzureCallException(operation, status, code, message, e);
        } catch (ClientAuthenticationException e) {
            // Also azure-identity's CredentialUnavailableException: no credential of the chain applies here.
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            throw new AzureCallException(operation, status == 0 ? 401 : status, "AuthenticationFailed",
                    e.getMessage(), e);
        } catch (HttpResponseException e) {
            int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
            throw new AzureCallException(operation, status, AzureCallException.NO_CODE, e.getMessage(), e);
        } catch (AzureCallException e) {
            throw e;
        } catch (RuntimeException e) {
            // Connection refused, DNS, timeouts: no answer from Azure at all.
            throw new AzureCallException(operation, 0, AzureCallException.NO_CODE, String.valueOf(e.getMessage()), e);
        }
    }
}
