package io.livcloud.plugin.ec2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * EC2 in memory, with the rules that make teardown order matter: a VPC cannot go while it has subnets, security
 * groups, route tables or an attached gateway; a subnet or security group while a live instance uses it; a gateway
 * while attached; a route table while associated; an Elastic IP while associated. Instances go pending → running
 * and shutting-down → terminated on the next describe, and terminated ones stay listed, as in EC2. Every request is
 * logged as {@code Action id} (with {@code (dry run)} for dry runs); {@link #failOn} makes an action fail like EC2.
 */
final class FakeEc2Facade implements Ec2Facade {

    private final String region;
    private final Map<String, Resource> resources = new LinkedHashMap<>();
    private final Map<String, List<IngressRule>> ingress = new HashMap<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, String> failures = new HashMap<>();
    private final Set<String> unauthorized = new HashSet<>();
    final Map<String, InstanceTypeInfo> instanceTypes = new HashMap<>();
    final List<String> requests = new ArrayList<>();
    final List<LaunchRequest> launches = new ArrayList<>();
    boolean closed;
    private String instanceAddress = "10.98.0.10";
    private String elasticIp = "203.0.113.50";

    FakeEc2Facade(String region) {
        this.region = region;
        instanceTypes.put("c8i.large", new InstanceTypeInfo("c8i.large", false, "nitro",
                Set.of("nested-virtualization"), List.of("x86_64")));
        instanceTypes.put("m5.metal", new InstanceTypeInfo("m5.metal", true, "", Set.of(), List.of("x86_64")));
        instanceTypes.put("c4.large", new InstanceTypeInfo("c4.large", false, "xen", Set.of(), List.of("x86_64")));
    }

    /** The VPC address of the instances and the Elastic IP launched and allocated from now on (two sites' own). */
    FakeEc2Facade withAddresses(String vpcAddress, String publicAddress) {
        instanceAddress = vpcAddress;
        elasticIp = publicAddress;
        return this;
    }

    /** Makes every later request of {@code action} fail with EC2's {@code errorCode}. */
    FakeEc2Facade failOn(String action, String errorCode) {
        failures.put(action, errorCode);
        return this;
    }

    /** Makes {@code action} fail with UnauthorizedOperation, dry run or not, as a missing IAM permission does. */
    FakeEc2Facade deny(String action) {
        unauthorized.add(action);
        return this;
    }

    /** Adds a resource that LivCloud did not create (a user's, another site's). */
    String add(Kind kind, Map<String, String> tags, Map<String, String> attributes) {
        String id = nextId(kind);
        resources.put(id, new Resource(kind, id, tags, attributes));
        return id;
    }

    /** All resources of any kind carrying these tags, for assertions. */
    List<Resource> tagged(Map<String, String> tags) {
        return resources.values().stream().filter(resource -> resource.tags().entrySet().containsAll(tags.entrySet()))
                .filter(resource -> !resource.attribute("state").equals("terminated"))
                .toList();
    }

    Resource resource(String id) {
        return resources.get(id);
    }

    List<IngressRule> rules(String groupId) {
        return List.copyOf(ingress.getOrDefault(groupId, List.of()));
    }

    /** The actions requested, without ids. */
    List<String> actions() {
        return requests.stream().map(request -> request.split(" ")[0]).toList();
    }

    @Override
    public String region() {
        return region;
    }

    @Override
    public Optional<InstanceTypeInfo> instanceType(String instanceType) {
        request("DescribeInstanceTypes", instanceType);
        return Optional.ofNullable(instanceTypes.get(instanceType));
    }

    @Override
    public Optional<String> newestImage(String owner, String namePattern) {
        request("DescribeImages", owner);
        return owner.equals(Ec2SiteProvisioner.DEBIAN_IMAGE_OWNER) ? Optional.of("ami-0debian12") : Optional.empty();
    }

    @Override
    public List<Resource> find(Kind kind, Map<String, String> tags) {
        request("Describe" + kind, "");
        advanceStates();
        return resources.values().stream()
                .filter(resource -> resource.kind() == kind)
                .filter(resource -> resource.tags().entrySet().containsAll(tags.entrySet()))
                .toList();
    }

    @Override
    public Optional<Resource> byId(Kind kind, String id) {
        request("Describe" + kind, id);
        advanceStates();
        return Optional.ofNullable(resources.get(id)).filter(resource -> resource.kind() == kind);
    }

    private void advanceStates() {
        for (Resource resource : List.copyOf(resources.values())) {
            if (resource.kind() == Kind.INSTANCE) {
                String state = resource.attribute("state");
                if (state.equals("pending")) {
                    update(resource.id(), "state", "running");
                } else if (state.equals("shutting-down")) {
                    update(resource.id(), "state", "terminated");
                    update(resource.id(), "public-ip", null);
                }
            }
        }
    }

    @Override
    public String createVpc(String cidr, Map<String, String> tags) {
        request("CreateVpc", cidr);
        return create(Kind.VPC, tags, Map.of("cidr", cidr));
    }

    @Override
    public String createSubnet(String vpcId, String cidr, String availabilityZone, Map<String, String> tags) {
        request("CreateSubnet", vpcId);
        exists(vpcId, "InvalidVpcID.NotFound");
        return create(Kind.SUBNET, tags, Map.of("vpc-id", vpcId, "cidr", cidr, "availability-zone",
                availabilityZone.isEmpty() ? region + "a" : availabilityZone));
    }

    @Override
    public String createInternetGateway(Map<String, String> tags) {
        request("CreateInternetGateway", "");
        return create(Kind.INTERNET_GATEWAY, tags, Map.of());
    }

    @Override
    public void attachInternetGateway(String gatewayId, String vpcId) {
        request("AttachInternetGateway", gatewayId);
        exists(gatewayId, "InvalidInternetGatewayID.NotFound");
        update(gatewayId, "vpc-id", vpcId);
    }

    @Override
    public String createRouteTable(String vpcId, Map<String, String> tags) {
        request("CreateRouteTable", vpcId);
        exists(vpcId, "InvalidVpcID.NotFound");
        return create(Kind.ROUTE_TABLE, tags, Map.of("vpc-id", vpcId));
    }

    @Override
    public void routeToGateway(String routeTableId, String destinationCidr, String gatewayId) {
        request("CreateRoute", routeTableId + " " + destinationCidr + " " + gatewayId);
        exists(routeTableId, "InvalidRouteTableID.NotFound");
    }

    @Override
    public void routeToInstance(String routeTableId, String destinationCidr, String instanceId) {
        request("CreateRoute", routeTableId + " " + destinationCidr + " " + instanceId);
        exists(routeTableId, "InvalidRouteTableID.NotFound");
    }

    @Override
    public String associateRouteTable(String routeTableId, String subnetId) {
        request("AssociateRouteTable", routeTableId);
        String association = nextId("rtbassoc");
        update(routeTableId, "associations", association);
        return association;
    }

    @Override
    public String createSecurityGroup(String vpcId, String groupName, String description, Map<String, String> tags) {
        request("CreateSecurityGroup", groupName);
        exists(vpcId, "InvalidVpcID.NotFound");
        return create(Kind.SECURITY_GROUP, tags, Map.of("vpc-id", vpcId));
    }

    @Override
    public List<IngressRule> ingressRules(String groupId) {
        request("DescribeSecurityGroups", groupId);
        return rules(groupId);
    }

    @Override
    public void authorizeIngress(String groupId, List<IngressRule> rules) {
        request("AuthorizeSecurityGroupIngress", groupId);
        ingress.computeIfAbsent(groupId, id -> new ArrayList<>()).addAll(rules);
    }

    @Override
    public void revokeIngress(String groupId, List<IngressRule> rules) {
        request("RevokeSecurityGroupIngress", groupId);
        List<String> revoked = rules.stream().map(IngressRule::identity).toList();
        ingress.getOrDefault(groupId, new ArrayList<>()).removeIf(rule -> revoked.contains(rule.identity()));
    }

    @Override
    public String importKeyPair(String keyName, String openSshPublicKey, Map<String, String> tags) {
        request("ImportKeyPair", keyName);
        if (resources.values().stream().anyMatch(resource -> keyName.equals(resource.attribute("name")))) {
            throw error("ImportKeyPair", "InvalidKeyPair.Duplicate", "The keypair already exists");
        }
        return create(Kind.KEY_PAIR, tags, Map.of("name", keyName, "public-key", openSshPublicKey));
    }

    @Override
    public Resource runInstance(LaunchRequest launch) {
        request("RunInstances", launch.instanceType());
        launches.add(launch);
        String id = create(Kind.INSTANCE, launch.tags(), Map.of("state", "pending", "instance-type",
                launch.instanceType(), "subnet-id", launch.subnetId(), "security-group", launch.securityGroupId(),
                "private-ip", instanceAddress, "public-ip", "198.18.0.10", "availability-zone", region + "a"));
        return resources.get(id);
    }

    @Override
    public void disableSourceDestinationCheck(String instanceId) {
        request("ModifyInstanceAttribute", instanceId);
        update(instanceId, "source-dest-check", "false");
    }

    @Override
    public Resource allocateAddress(Map<String, String> tags) {
        request("AllocateAddress", "");
        String id = create(Kind.ELASTIC_IP, tags, Map.of("public-ip", elasticIp));
        return resources.get(id);
    }

    @Override
    public void associateAddress(String allocationId, String instanceId) {
        request("AssociateAddress", allocationId);
        update(allocationId, "association-id", nextId("eipassoc"));
        update(allocationId, "instance-id", instanceId);
        update(instanceId, "public-ip", resources.get(allocationId).attribute("public-ip"));
    }

    @Override
    public void terminateInstance(String instanceId, boolean dryRun) {
        if (dryRunOrRequest("TerminateInstances", instanceId, dryRun)) {
            return;
        }
        exists(instanceId, "InvalidInstanceID.NotFound");
        update(instanceId, "state", "shutting-down");
    }

    @Override
    public void disassociateAddress(String associationId, boolean dryRun) {
        if (dryRunOrRequest("DisassociateAddress", associationId, dryRun)) {
            return;
        }
        Resource address = resources.values().stream()
                .filter(resource -> associationId.equals(resource.attribute("association-id"))).findFirst()
                .orElseThrow(() -> error("DisassociateAddress", "InvalidAssociationID.NotFound", associationId));
        update(address.id(), "association-id", null);
        update(address.id(), "instance-id", null);
    }

    @Override
    public void releaseAddress(String allocationId, boolean dryRun) {
        if (dryRunOrRequest("ReleaseAddress", allocationId, dryRun)) {
            return;
        }
        exists(allocationId, "InvalidAllocationID.NotFound");
        if (!resources.get(allocationId).attribute("association-id").isEmpty()) {
            throw error("ReleaseAddress", "InvalidIPAddress.InUse", "Address is in use");
        }
        resources.remove(allocationId);
    }

    @Override
    public void deleteKeyPair(String keyPairId, boolean dryRun) {
        if (dryRunOrRequest("DeleteKeyPair", keyPairId, dryRun)) {
            return;
        }
        resources.remove(keyPairId); // EC2 answers true for unknown key pairs too
    }

    @Override
    public void deleteSecurityGroup(String groupId, boolean dryRun) {
        if (dryRunOrRequest("DeleteSecurityGroup", groupId, dryRun)) {
            return;
        }
        exists(groupId, "InvalidGroup.NotFound");
        inUse("DeleteSecurityGroup", groupId, resource -> resource.kind() == Kind.INSTANCE
                && groupId.equals(resource.attribute("security-group"))
                && !resource.attribute("state").equals("terminated"));
        resources.remove(groupId);
    }

    @Override
    public void disassociateRouteTable(String associationId, boolean dryRun) {
        if (dryRunOrRequest("DisassociateRouteTable", associationId, dryRun)) {
            return;
        }
        Resource table = resources.values().stream()
                .filter(resource -> associationId.equals(resource.attribute("associations"))).findFirst()
                .orElseThrow(() -> error("DisassociateRouteTable", "InvalidAssociationID.NotFound", associationId));
        update(table.id(), "associations", null);
    }

    @Override
    public void deleteRouteTable(String routeTableId, boolean dryRun) {
        if (dryRunOrRequest("DeleteRouteTable", routeTableId, dryRun)) {
            return;
        }
        exists(routeTableId, "InvalidRouteTableID.NotFound");
        if (!resources.get(routeTableId).attribute("associations").isEmpty()) {
            throw error("DeleteRouteTable", "DependencyViolation", "The routeTable '" + routeTableId
                    + "' has dependencies and cannot be deleted.");
        }
        resources.remove(routeTableId);
    }

    @Override
    public void detachInternetGateway(String gatewayId, String vpcId, boolean dryRun) {
        if (dryRunOrRequest("DetachInternetGateway", gatewayId, dryRun)) {
            return;
        }
        exists(gatewayId, "InvalidInternetGatewayID.NotFound");
        // EC2: "Network vpc-... has some mapped public address(es). Please unmap those public address(es)".
        inUse("DetachInternetGateway", gatewayId, resource -> resource.kind() == Kind.ELASTIC_IP
                && !resource.attribute("association-id").isEmpty());
        update(gatewayId, "vpc-id", null);
    }

    @Override
    public void deleteInternetGateway(String gatewayId, boolean dryRun) {
        if (dryRunOrRequest("DeleteInternetGateway", gatewayId, dryRun)) {
            return;
        }
        exists(gatewayId, "InvalidInternetGatewayID.NotFound");
        if (!resources.get(gatewayId).attribute("vpc-id").isEmpty()) {
            throw error("DeleteInternetGateway", "DependencyViolation", "The internetGateway '" + gatewayId
                    + "' has dependencies and cannot be deleted.");
        }
        resources.remove(gatewayId);
    }

    @Override
    public void deleteSubnet(String subnetId, boolean dryRun) {
        if (dryRunOrRequest("DeleteSubnet", subnetId, dryRun)) {
            return;
        }
        exists(subnetId, "InvalidSubnetID.NotFound");
        inUse("DeleteSubnet", subnetId, resource -> resource.kind() == Kind.INSTANCE
                && subnetId.equals(resource.attribute("subnet-id"))
                && !resource.attribute("state").equals("terminated"));
        resources.remove(subnetId);
    }

    @Override
    public void deleteVpc(String vpcId, boolean dryRun) {
        if (dryRunOrRequest("DeleteVpc", vpcId, dryRun)) {
            return;
        }
        exists(vpcId, "InvalidVpcID.NotFound");
        inUse("DeleteVpc", vpcId, resource -> resource.kind() != Kind.INSTANCE
                && vpcId.equals(resource.attribute("vpc-id")));
        resources.remove(vpcId);
    }

    @Override
    public void close() {
        closed = true;
    }

    private void request(String action, String detail) {
        requests.add(detail.isEmpty() ? action : action + " " + detail);
        if (unauthorized.contains(action)) {
            throw error(action, "UnauthorizedOperation", "You are not authorized to perform this operation.");
        }
        String failure = failures.get(action);
        if (failure != null) {
            throw error(action, failure, "fake failure of " + action);
        }
    }

    /** Logs the request; true when it was a dry run that EC2 would have let through (nothing changes then). */
    private boolean dryRunOrRequest(String action, String id, boolean dryRun) {
        request(action, dryRun ? id + " (dry run)" : id);
        return dryRun;
    }

    private void inUse(String action, String id, java.util.function.Predicate<Resource> dependent) {
        Optional<Resource> user = resources.values().stream().filter(dependent).findFirst();
        if (user.isPresent()) {
            throw error(action, "DependencyViolation", "resource " + id + " has a dependent object ("
                    + user.get().id() + ")");
        }
    }

    private void exists(String id, String notFound) {
        if (!resources.containsKey(id)) {
            throw error("", notFound, "The ID '" + id + "' does not exist");
        }
    }

    private String create(Kind kind, Map<String, String> tags, Map<String, String> attributes) {
        String id = nextId(kind);
        resources.put(id, new Resource(kind, id, tags, attributes));
        return id;
    }

    private void update(String id, String key, String value) {
        Resource resource = resources.get(id);
        Map<String, String> attributes = new HashMap<>(resource.attributes());
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
        resources.put(id, new Resource(resource.kind(), id, resource.tags(), attributes));
    }

    private String nextId(Kind kind) {
        return nextId(switch (kind) {
            case INSTANCE -> "i";
            case ELASTIC_IP -> "eipalloc";
            case KEY_PAIR -> "key";
            case SECURITY_GROUP -> "sg";
            case ROUTE_TABLE -> "rtb";
            case INTERNET_GATEWAY -> "igw";
            case SUBNET -> "subnet";
            case VPC -> "vpc";
        });
    }

    private String nextId(String prefix) {
        int number = counters.merge(prefix, 1, Integer::sum);
        return prefix + "-" + String.format("%017x", number);
    }

    private static Ec2ApiException error(String action, String code, String message) {
        return new Ec2ApiException(action, code, message, "req-fake", null);
    }
}
