package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.CpuOptionsRequest;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.HttpTokensState;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataEndpointState;
import software.amazon.awssdk.services.ec2.model.InstanceMetadataOptionsRequest;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterfaceSpecification;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.KeyPairInfo;
import software.amazon.awssdk.services.ec2.model.NestedVirtualizationSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * {@link Ec2Facade} over the AWS SDK for Java v2: one SDK call a method, SDK types kept inside. HTTP through the
 * JDK's {@code HttpURLConnection} (no Netty, no Apache client), the SDK's standard retry strategy (throttling and
 * 5xx retried with backoff), credentials from the profile or the SDK's default chain.
 *
 * <p>One class although it is long: it is a flat list of one short method per EC2 request {@link Ec2Facade} names,
 * each of the same shape (build the request, send it through {@code call}, map the answer to the plugin's terms).
 * Split by resource kind, {@link Ec2Facade}, its fake and the WireMock test would each become several interfaces that
 * provisioning and teardown always use together; no part of it is read or changed apart from the rest.
 */
final class SdkEc2Facade implements Ec2Facade {

    private static final String DRY_RUN_WOULD_SUCCEED = "DryRunOperation";

    private final Ec2Client client;

    SdkEc2Facade(Ec2Client client) {
        this.client = requireNonNull(client, "client is null");
    }

    /**
     * A client for a region.
     *
     * @param region empty for the SDK's default region chain
     * @param credentials where credentials come from
     * @param endpointOverride another endpoint (tests), or empty
     * @param maxAttempts tries per request
     * @throws Ec2ApiException when the SDK finds no region
     */
    static SdkEc2Facade create(String region, AwsCredentialsProvider credentials, Optional<URI> endpointOverride,
            int maxAttempts) {
        Ec2ClientBuilder builder = Ec2Client.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(60)))
                .overrideConfiguration(override -> override.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(maxAttempts).build()));
        if (!region.isEmpty()) {
            builder.region(Region.of(region));
        }
        endpointOverride.ifPresent(builder::endpointOverride);
        try {
            return new SdkEc2Facade(builder.build());
        } catch (SdkClientException e) {
            throw new Ec2ApiException("configuring the EC2 client", Ec2ApiException.CLIENT_ERROR, e.getMessage(), "", e);
        }
    }

    /** The credentials of a profile, or the SDK's default chain when {@code profile} is empty. */
    static AwsCredentialsProvider credentials(String profile) {
        return profile.isEmpty() ? DefaultCredentialsProvider.builder().build()
                : ProfileCredentialsProvider.builder().profileName(profile).build();
    }

    @Override
    public String region() {
        return client.serviceClientConfiguration().region().id();
    }

    @Override
    public Optional<InstanceTypeInfo> instanceType(String instanceType) {
        try {
            return call("DescribeInstanceTypes", () -> client.describeInstanceTypes(request -> request
                    .instanceTypesWithStrings(instanceType))).instanceTypes().stream().findFirst().map(SdkEc2Facade::info);
        } catch (Ec2ApiException e) {
            if (e.providerCode().equals("InvalidInstanceType")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static Ec2Facade.InstanceTypeInfo info(software.amazon.awssdk.services.ec2.model.InstanceTypeInfo type) {
        List<String> features = type.processorInfo() == null ? List.of()
                : type.processorInfo().supportedFeaturesAsStrings();
        List<String> architectures = type.processorInfo() == null ? List.of()
                : type.processorInfo().supportedArchitecturesAsStrings();
        return new Ec2Facade.InstanceTypeInfo(type.instanceTypeAsString(), Boolean.TRUE.equals(type.bareMetal()),
                type.hypervisorAsString() == null ? "" : type.hypervisorAsString(), Set.copyOf(features), architectures);
    }

    @Override
    public Optional<String> newestImage(String owner, String namePattern) {
        return call("DescribeImages", () -> client.describeImages(request -> request.owners(owner).filters(
                filter("name", namePattern), filter("architecture", "x86_64"), filter("state", "available"))))
                .images().stream()
                .max(Comparator.comparing(Image::creationDate))
                .map(Image::imageId);
    }

    @Override
    public List<Resource> find(Kind kind, Map<String, String> tags) {
        List<Filter> filters = tags.entrySet().stream().map(tag -> filter("tag:" + tag.getKey(), tag.getValue()))
                .toList();
        return describe(kind, filters, List.of());
    }

    @Override
    public Optional<Resource> byId(Kind kind, String id) {
        try {
            return describe(kind, List.of(), List.of(id)).stream().findFirst();
        } catch (Ec2ApiException e) {
            if (e.notFound() || e.providerCode().endsWith(".Malformed")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private List<Resource> describe(Kind kind, List<Filter> filters, List<String> ids) {
        return switch (kind) {
            case INSTANCE -> call("DescribeInstances", () -> client.describeInstancesPaginator(request -> request
                    .filters(filters).instanceIds(ids)).reservations().stream()
                    .flatMap(reservation -> reservation.instances().stream()).map(SdkEc2Facade::instance).toList());
            case ELASTIC_IP -> call("DescribeAddresses", () -> client.describeAddresses(request -> request
                    .filters(filters).allocationIds(ids)).addresses().stream().map(SdkEc2Facade::address).toList());
            case KEY_PAIR -> call("DescribeKeyPairs", () -> client.describeKeyPairs(request -> request
                    .filters(filters).keyPairIds(ids)).keyPairs().stream().map(SdkEc2Facade::keyPair).toList());
            case SECURITY_GROUP -> call("DescribeSecurityGroups", () -> client.describeSecurityGroupsPaginator(
                    request -> request.filters(filters).groupIds(ids)).securityGroups().stream()
                    .map(SdkEc2Facade::securityGroup).toList());
            case ROUTE_TABLE -> call("DescribeRouteTables", () -> client.describeRouteTablesPaginator(request ->
                    request.filters(filters).routeTableIds(ids)).routeTables().stream()
                    .map(SdkEc2Facade::routeTable).toList());
            case INTERNET_GATEWAY -> call("DescribeInternetGateways", () -> client.describeInternetGatewaysPaginator(
                    request -> request.filters(filters).internetGatewayIds(ids)).internetGateways().stream()
                    .map(SdkEc2Facade::internetGateway).toList());
            case SUBNET -> call("DescribeSubnets", () -> client.describeSubnetsPaginator(request -> request
                    .filters(filters).subnetIds(ids)).subnets().stream().map(SdkEc2Facade::subnet).toList());
            case VPC -> call("DescribeVpcs", () -> client.describeVpcsPaginator(request -> request
                    .filters(filters).vpcIds(ids)).vpcs().stream().map(SdkEc2Facade::vpc).toList());
        };
    }

    private static Resource instance(Instance instance) {
        return new Resource(Kind.INSTANCE, instance.instanceId(), tags(instance.tags()), attributes(
                "state", instance.state() == null ? "" : instance.state().nameAsString(),
                "public-ip", instance.publicIpAddress(),
                "private-ip", instance.privateIpAddress(),
                "instance-type", instance.instanceTypeAsString(),
                "subnet-id", instance.subnetId(),
                "availability-zone", instance.placement() == null ? null : instance.placement().availabilityZone()));
    }

    private static Resource address(Address address) {
        return new Resource(Kind.ELASTIC_IP, address.allocationId(), tags(address.tags()), attributes(
                "public-ip", address.publicIp(),
                "association-id", address.associationId(),
                "instance-id", address.instanceId()));
    }

    private static Resource keyPair(KeyPairInfo key) {
        return new Resource(Kind.KEY_PAIR, key.keyPairId(), tags(key.tags()), attributes("name", key.keyName()));
    }

    private static Resource securityGroup(SecurityGroup group) {
        return new Resource(Kind.SECURITY_GROUP, group.groupId(), tags(group.tags()), attributes("vpc-id",
                group.vpcId()));
    }

    private static Resource routeTable(RouteTable table) {
        String associations = table.associations().stream()
                .filter(association -> !Boolean.TRUE.equals(association.main()))
                .map(RouteTableAssociation::routeTableAssociationId)
                .collect(Collectors.joining(","));
        return new Resource(Kind.ROUTE_TABLE, table.routeTableId(), tags(table.tags()), attributes(
                "vpc-id", table.vpcId(), "associations", associations));
    }

    private static Resource internetGateway(InternetGateway gateway) {
        String vpcId = gateway.attachments().stream().findFirst().map(attachment -> attachment.vpcId()).orElse(null);
        return new Resource(Kind.INTERNET_GATEWAY, gateway.internetGatewayId(), tags(gateway.tags()),
                attributes("vpc-id", vpcId));
    }

    private static Resource subnet(Subnet subnet) {
        return new Resource(Kind.SUBNET, subnet.subnetId(), tags(subnet.tags()), attributes(
                "vpc-id", subnet.vpcId(), "availability-zone", subnet.availabilityZone(), "cidr", subnet.cidrBlock()));
    }

    private static Resource vpc(Vpc vpc) {
        return new Resource(Kind.VPC, vpc.vpcId(), tags(vpc.tags()), attributes("cidr", vpc.cidrBlock()));
    }

    @Override
    public String createVpc(String cidr, Map<String, String> tags) {
        return call("CreateVpc", () -> client.createVpc(request -> request.cidrBlock(cidr)
                .tagSpecifications(tagged(ResourceType.VPC, tags)))).vpc().vpcId();
    }

    @Override
    public String createSubnet(String vpcId, String cidr, String availabilityZone, Map<String, String> tags) {
        return call("CreateSubnet", () -> client.createSubnet(request -> request.vpcId(vpcId).cidrBlock(cidr)
                .availabilityZone(availabilityZone.isEmpty() ? null : availabilityZone)
                .tagSpecifications(tagged(ResourceType.SUBNET, tags)))).subnet().subnetId();
    }

    @Override
    public String createInternetGateway(Map<String, String> tags) {
        return call("CreateInternetGateway", () -> client.createInternetGateway(request -> request
                .tagSpecifications(tagged(ResourceType.INTERNET_GATEWAY, tags)))).internetGateway().internetGatewayId();
    }

    @Override
    public void attachInternetGateway(String gatewayId, String vpcId) {
        call("AttachInternetGateway", () -> client.attachInternetGateway(request -> request
                .internetGatewayId(gatewayId).vpcId(vpcId)));
    }

    @Override
    public String createRouteTable(String vpcId, Map<String, String> tags) {
        return call("CreateRouteTable", () -> client.createRouteTable(request -> request.vpcId(vpcId)
                .tagSpecifications(tagged(ResourceType.ROUTE_TABLE, tags)))).routeTable().routeTableId();
    }

    @Override
    public void routeToGateway(String routeTableId, String destinationCidr, String gatewayId) {
        try {
            call("CreateRoute", () -> client.createRoute(request -> request.routeTableId(routeTableId)
                    .destinationCidrBlock(destinationCidr).gatewayId(gatewayId)));
        } catch (Ec2ApiException e) {
            if (!e.providerCode().equals("RouteAlreadyExists")) {
                throw e;
            }
        }
    }

    @Override
    public void routeToInstance(String routeTableId, String destinationCidr, String instanceId) {
        try {
            call("CreateRoute", () -> client.createRoute(request -> request.routeTableId(routeTableId)
                    .destinationCidrBlock(destinationCidr).instanceId(instanceId)));
        } catch (Ec2ApiException e) {
            if (!e.providerCode().equals("RouteAlreadyExists")) {
                throw e;
            }
            // The instance may be a new one after a relaunch: point the route at it.
            call("ReplaceRoute", () -> client.replaceRoute(request -> request.routeTableId(routeTableId)
                    .destinationCidrBlock(destinationCidr).instanceId(instanceId)));
        }
    }

    @Override
    public String associateRouteTable(String routeTableId, String subnetId) {
        return call("AssociateRouteTable", () -> client.associateRouteTable(request -> request
                .routeTableId(routeTableId).subnetId(subnetId))).associationId();
    }

    @Override
    public String createSecurityGroup(String vpcId, String groupName, String description, Map<String, String> tags) {
        return call("CreateSecurityGroup", () -> client.createSecurityGroup(request -> request.vpcId(vpcId)
                .groupName(groupName).description(description)
                .tagSpecifications(tagged(ResourceType.SECURITY_GROUP, tags)))).groupId();
    }

    @Override
    public List<IngressRule> ingressRules(String groupId) {
        List<IngressRule> rules = new ArrayList<>();
        List<SecurityGroup> groups = call("DescribeSecurityGroups", () -> client.describeSecurityGroups(request ->
                request.groupIds(groupId)).securityGroups());
        for (SecurityGroup group : groups) {
            for (IpPermission permission : group.ipPermissions()) {
                for (IpRange range : permission.ipRanges()) {
                    rules.add(new IngressRule(permission.ipProtocol(),
                            permission.fromPort() == null ? -1 : permission.fromPort(),
                            permission.toPort() == null ? -1 : permission.toPort(), range.cidrIp(),
                            range.description() == null ? "" : range.description()));
                }
            }
        }
        return rules;
    }

    @Override
    public void authorizeIngress(String groupId, List<IngressRule> rules) {
        call("AuthorizeSecurityGroupIngress", () -> client.authorizeSecurityGroupIngress(request -> request
                .groupId(groupId).ipPermissions(permissions(rules, true))));
    }

    @Override
    public void revokeIngress(String groupId, List<IngressRule> rules) {
        call("RevokeSecurityGroupIngress", () -> client.revokeSecurityGroupIngress(request -> request
                .groupId(groupId).ipPermissions(permissions(rules, false))));
    }

    private static List<IpPermission> permissions(List<IngressRule> rules, boolean withDescription) {
        return rules.stream().map(rule -> IpPermission.builder()
                .ipProtocol(rule.protocol())
                // Ports mean nothing for protocols such as ESP (50); EC2 wants them left out there.
                .fromPort(rule.fromPort() < 0 ? null : rule.fromPort())
                .toPort(rule.toPort() < 0 ? null : rule.toPort())
                .ipRanges(IpRange.builder().cidrIp(rule.sourceCidr())
                        .description(withDescription && !rule.description().isEmpty() ? rule.description() : null)
                        .build())
                .build()).toList();
    }

    @Override
    public String importKeyPair(String keyName, String openSshPublicKey, Map<String, String> tags) {
        return call("ImportKeyPair", () -> client.importKeyPair(request -> request.keyName(keyName)
                .publicKeyMaterial(SdkBytes.fromUtf8String(openSshPublicKey))
                .tagSpecifications(tagged(ResourceType.KEY_PAIR, tags)))).keyPairId();
    }

    @Override
    public Resource runInstance(LaunchRequest launch) {
        Instance instance = call("RunInstances", () -> client.runInstances(request -> request
                .imageId(launch.imageId())
                .instanceType(launch.instanceType())
                .minCount(1)
                .maxCount(1)
                .keyName(launch.keyName())
                .userData(Base64.getEncoder().encodeToString(launch.userData().getBytes(StandardCharsets.UTF_8)))
                // IMDSv2 only, and the token's response may cross no router (hop limit 1): a guest VM this host
                // routes is one hop further, so it never gets a token, and with it the host's role credentials.
                // Without the explicit limit the AMI's default applies, which may be 2.
                .metadataOptions(InstanceMetadataOptionsRequest.builder()
                        .httpTokens(HttpTokensState.REQUIRED)
                        .httpPutResponseHopLimit(1)
                        .httpEndpoint(InstanceMetadataEndpointState.ENABLED)
                        .build())
                .cpuOptions(launch.nestedVirtualization() ? CpuOptionsRequest.builder()
                        .nestedVirtualization(NestedVirtualizationSpecification.ENABLED).build() : null)
                // A public address from the start, so cloud-init reaches the Debian mirror before the Elastic IP
                // replaces it.
                .networkInterfaces(InstanceNetworkInterfaceSpecification.builder()
                        .deviceIndex(0)
                        .subnetId(launch.subnetId())
                        .groups(launch.securityGroupId())
                        .associatePublicIpAddress(true)
                        .build())
                .tagSpecifications(tagged(ResourceType.INSTANCE, launch.tags()),
                        tagged(ResourceType.VOLUME, launch.tags()),
                        tagged(ResourceType.NETWORK_INTERFACE, launch.tags())))).instances().get(0);
        return instance(instance);
    }

    @Override
    public void disableSourceDestinationCheck(String instanceId) {
        call("ModifyInstanceAttribute", () -> client.modifyInstanceAttribute(request -> request.instanceId(instanceId)
                .sourceDestCheck(AttributeBooleanValue.builder().value(false).build())));
    }

    @Override
    public Resource allocateAddress(Map<String, String> tags) {
        var response = call("AllocateAddress", () -> client.allocateAddress(request -> request.domain(DomainType.VPC)
                .tagSpecifications(tagged(ResourceType.ELASTIC_IP, tags))));
        return new Resource(Kind.ELASTIC_IP, response.allocationId(), tags, attributes("public-ip",
                response.publicIp()));
    }

    @Override
    public void associateAddress(String allocationId, String instanceId) {
        call("AssociateAddress", () -> client.associateAddress(request -> request.allocationId(allocationId)
                .instanceId(instanceId).allowReassociation(true)));
    }

    @Override
    public void terminateInstance(String instanceId, boolean dryRun) {
        dryRunnable("TerminateInstances", dryRun, () -> client.terminateInstances(request -> request
                .instanceIds(instanceId).dryRun(dryRun)));
    }

    @Override
    public void disassociateAddress(String associationId, boolean dryRun) {
        dryRunnable("DisassociateAddress", dryRun, () -> client.disassociateAddress(request -> request
                .associationId(associationId).dryRun(dryRun)));
    }

    @Override
    public void releaseAddress(String allocationId, boolean dryRun) {
        dryRunnable("ReleaseAddress", dryRun, () -> client.releaseAddress(request -> request
                .allocationId(allocationId).dryRun(dryRun)));
    }

    @Override
    public void deleteKeyPair(String keyPairId, boolean dryRun) {
        dryRunnable("DeleteKeyPair", dryRun, () -> client.deleteKeyPair(request -> request.keyPairId(keyPairId)
                .dryRun(dryRun)));
    }

    @Override
    public void deleteSecurityGroup(String groupId, boolean dryRun) {
        dryRunnable("DeleteSecurityGroup", dryRun, () -> client.deleteSecurityGroup(request -> request
                .groupId(groupId).dryRun(dryRun)));
    }

    @Override
    public void disassociateRouteTable(String associationId, boolean dryRun) {
        dryRunnable("DisassociateRouteTable", dryRun, () -> client.disassociateRouteTable(request -> request
                .associationId(associationId).dryRun(dryRun)));
    }

    @Override
    public void deleteRouteTable(String routeTableId, boolean dryRun) {
        dryRunnable("DeleteRouteTable", dryRun, () -> client.deleteRouteTable(request -> request
                .routeTableId(routeTableId).dryRun(dryRun)));
    }

    @Override
    public void detachInternetGateway(String gatewayId, String vpcId, boolean dryRun) {
        dryRunnable("DetachInternetGateway", dryRun, () -> client.detachInternetGateway(request -> request
                .internetGatewayId(gatewayId).vpcId(vpcId).dryRun(dryRun)));
    }

    @Override
    public void deleteInternetGateway(String gatewayId, boolean dryRun) {
        dryRunnable("DeleteInternetGateway", dryRun, () -> client.deleteInternetGateway(request -> request
                .internetGatewayId(gatewayId).dryRun(dryRun)));
    }

    @Override
    public void deleteSubnet(String subnetId, boolean dryRun) {
        dryRunnable("DeleteSubnet", dryRun, () -> client.deleteSubnet(request -> request.subnetId(subnetId)
                .dryRun(dryRun)));
    }

    @Override
    public void deleteVpc(String vpcId, boolean dryRun) {
        dryRunnable("DeleteVpc", dryRun, () -> client.deleteVpc(request -> request.vpcId(vpcId).dryRun(dryRun)));
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs a request; EC2's error answers and client failures become {@link Ec2ApiException}s. */
    private static <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? "HTTP" + e.statusCode() : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                    ? String.valueOf(e.getMessage()) : e.awsErrorDetails().errorMessage();
            throw new Ec2ApiException(action, code, message, e.requestId() == null ? "" : e.requestId(), e);
        } catch (SdkClientException e) {
            throw new Ec2ApiException(action, Ec2ApiException.CLIENT_ERROR, String.valueOf(e.getMessage()), "", e);
        }
    }

    /** A deletion that, as a dry run, succeeds when EC2 answers DryRunOperation ("would have succeeded"). */
    private static void dryRunnable(String action, boolean dryRun, Supplier<?> request) {
        try {
            call(action, request);
        } catch (Ec2ApiException e) {
            if (!(dryRun && e.providerCode().equals(DRY_RUN_WOULD_SUCCEED))) {
                throw e;
            }
        }
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    private static TagSpecification tagged(ResourceType type, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(type).tags(tags.entrySet().stream()
                .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList()).build();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (first, second) -> first));
    }

    /** Key-value pairs, leaving out null values (absent in EC2's answer). */
    private static Map<String, String> attributes(String... keysAndValues) {
        return Stream.iterate(0, i -> i < keysAndValues.length, i -> i + 2)
                .filter(i -> keysAndValues[i + 1] != null)
                .collect(Collectors.toMap(i -> keysAndValues[i], i -> keysAndValues[i + 1]));
    }
}
