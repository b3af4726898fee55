package io.livcloud.plugin.azure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Azure in memory, behind the plugin's facade: resource groups holding resources, every call written to a journal
 * ("create NETWORK_SECURITY_GROUP east-nsg"), the requests kept, and failures injected per journal entry.
 */
final class FakeAzureFacade implements AzureFacade {

    static final String PUBLIC_ADDRESS = "192.0.2.10";
    static final String PRIVATE_ADDRESS = "10.250.0.4";

    final List<String> journal = new ArrayList<>();
    final Map<String, ResourceRequest> requests = new LinkedHashMap<>();
    private final Map<String, ResourceGroup> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, AzureResource>> resources = new HashMap<>();
    private final Map<String, AzureCallException> failures = new HashMap<>();
    private final Map<String, SizeOffer> offers = new HashMap<>();
    boolean closed;
    private String nicAddress = PRIVATE_ADDRESS;
    private String publicAddress = PUBLIC_ADDRESS;

    /** The NIC address and public IP of the sites created from now on (two sites' own). */
    FakeAzureFacade withAddresses(String privateAddress, String publicIp) {
        nicAddress = privateAddress;
        publicAddress = publicIp;
        return this;
    }

    /** The journal entry {@code operation} throws {@code failure} from now on. */
    void failOn(String operation, AzureCallException failure) {
        failures.put(operation, failure);
    }

    void offer(String location, String size, SizeOffer offer) {
        offers.put(location + "/" + size.toLowerCase(Locale.ROOT), offer);
    }

    /** A group or resource made outside LivCloud. */
    void addGroup(String name, String location, Map<String, String> tags) {
        groups.put(name, new ResourceGroup(name, location, tags));
        resources.putIfAbsent(name, new LinkedHashMap<>());
    }

    void addResource(String group, AzureResource resource) {
        resources.get(group).put(resource.type() + "/" + resource.name(), resource);
    }

    boolean hasGroup(String name) {
        return groups.containsKey(name);
    }

    List<AzureResource> contents(String group) {
        return List.copyOf(resources.getOrDefault(group, Map.of()).values());
    }

    @Override
    public Optional<ResourceGroup> resourceGroup(String name) {
        record("read group " + name);
        return Optional.ofNullable(groups.get(name));
    }

    @Override
    public List<ResourceGroup> resourceGroupsTagged(String tagName) {
        record("list groups tagged " + tagName);
        return groups.values().stream().filter(group -> group.tags().containsKey(tagName)).toList();
    }

    @Override
    public void createResourceGroup(String name, String location, Map<String, String> tags) {
        record("create group " + name);
        addGroup(name, location, tags);
    }

    @Override
    public void deleteResourceGroup(String name) {
        record("delete group " + name);
        groups.remove(name);
        resources.remove(name);
    }

    @Override
    public List<AzureResource> resources(String group) {
        record("list resources " + group);
        return contents(group);
    }

    @Override
    public Optional<AzureResource> get(ResourceKind kind, String group, String name) {
        record("read " + kind + " " + name);
        return Optional.ofNullable(resources.getOrDefault(group, Map.of()).get(kind.type() + "/" + name));
    }

    @Override
    public AzureResource createOrUpdate(String group, ResourceRequest request) {
        record("create " + request.kind() + " " + request.name());
        if (!groups.containsKey(group)) {
            throw new AzureCallException("create " + request.name(), 404, "ResourceGroupNotFound",
                    "Resource group '" + group + "' could not be found.");
        }
        requests.put(request.name(), request);
        Map<String, String> properties = new HashMap<>();
        if (request instanceof ResourceRequest.PublicIp) {
            properties.put(AzureResource.PUBLIC_ADDRESS, publicAddress);
        } else if (request instanceof ResourceRequest.NetworkInterface nic) {
            properties.put(AzureResource.PRIVATE_ADDRESS, nicAddress);
            properties.put(AzureResource.IP_FORWARDING, String.valueOf(nic.ipForwarding()));
        } else if (request instanceof ResourceRequest.VirtualMachine vm) {
            properties.put(AzureResource.VM_SIZE, vm.size());
            properties.put(AzureResource.SECURITY_TYPE, vm.securityType());
        }
        AzureResource resource = new AzureResource(request.kind().type(), request.name(), request.tags(), properties);
        addResource(group, resource);
        return resource;
    }

    @Override
    public void delete(ResourceKind kind, String group, String name) {
        record("delete " + kind + " " + name);
        Map<String, AzureResource> inGroup = resources.getOrDefault(group, new HashMap<>());
        inGroup.remove(kind.type() + "/" + name);
    }

    @Override
    public SizeOffer sizeOffer(String location, String size) {
        record("offer " + location + " " + size);
        return offers.getOrDefault(location + "/" + size.toLowerCase(Locale.ROOT),
                new SizeOffer(true, List.of()));
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The journal's entries that change something (creates and deletes), in order. */
    List<String> changes() {
        return journal.stream().filter(entry -> entry.startsWith("create ") || entry.startsWith("delete ")).toList();
    }

    private void record(String operation) {
        journal.add(operation);
        AzureCallException failure = failures.get(operation);
        if (failure != null) {
            throw failure;
        }
    }
}
