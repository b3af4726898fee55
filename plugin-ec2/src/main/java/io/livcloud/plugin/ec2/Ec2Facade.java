package io.livcloud.plugin.ec2;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The narrow part of EC2 that sites need, in the plugin's terms (no SDK types): one method a request. The logic
 * ({@link Ec2SiteProvisioner}, {@link Ec2SiteTeardown}, {@link Ec2InstanceTypes}) is tested against a hand-written
 * fake of this interface; the implementation over the AWS SDK, {@link SdkEc2Facade}, is tested against WireMock
 * serving EC2's XML.
 *
 * <p>Every method throws {@link Ec2ApiException} when EC2 answers with an error (after the SDK's retries), which
 * {@link Ec2Errors} turns into a message with what to do. Methods with {@code dryRun} send EC2's {@code DryRun}
 * parameter and return normally when EC2 answers that the request would have succeeded ({@code DryRunOperation}).
 */
interface Ec2Facade extends AutoCloseable {

    /** The kinds of resources a site is made of, in the order teardown removes them. */
    enum Kind {
        INSTANCE, ELASTIC_IP, KEY_PAIR, SECURITY_GROUP, ROUTE_TABLE, INTERNET_GATEWAY, SUBNET, VPC
    }

    /**
     * A resource as EC2 describes it.
     *
     * @param kind what it is
     * @param id its id, e.g. {@code vpc-0abc}, {@code eipalloc-0abc}, {@code key-0abc}
     * @param tags all its tags
     * @param attributes what teardown and the site description need, by kind: instances {@code state},
     *     {@code public-ip}, {@code private-ip}, {@code instance-type}, {@code subnet-id}, {@code availability-zone};
     *     elastic IPs {@code public-ip}, {@code association-id}, {@code instance-id}; key pairs {@code name};
     *     route tables {@code associations} (comma-separated association ids, the main association left out);
     *     internet gateways {@code vpc-id} (attached VPC, absent when detached); security groups, subnets
     *     {@code vpc-id}; subnets {@code availability-zone}, {@code cidr}; VPCs {@code cidr}
     */
    record Resource(Kind kind, String id, Map<String, String> tags, Map<String, String> attributes) {
        public Resource {
            Objects.requireNonNull(kind, "kind is null");
            Objects.requireNonNull(id, "id is null");
            tags = Map.copyOf(tags);
            attributes = Map.copyOf(attributes);
        }

        /** An attribute, or empty text. */
        String attribute(String key) {
            return attributes.getOrDefault(key, "");
        }
    }

    /**
     * What DescribeInstanceTypes says about a type, as far as hypervisors go.
     *
     * @param instanceType e.g. {@code c8i.large}
     * @param bareMetal whether it is a {@code *.metal} type
     * @param hypervisor {@code nitro}, {@code xen}, or empty (bare metal has none)
     * @param supportedFeatures ProcessorInfo.SupportedFeatures, e.g. {@code nested-virtualization}, {@code amd-sev-snp}
     * @param architectures e.g. {@code x86_64}
     */
    record InstanceTypeInfo(String instanceType, boolean bareMetal, String hypervisor, Set<String> supportedFeatures,
            List<String> architectures) {
        public InstanceTypeInfo {
            Objects.requireNonNull(instanceType, "instanceType is null");
            Objects.requireNonNull(hypervisor, "hypervisor is null");
            supportedFeatures = Set.copyOf(supportedFeatures);
            architectures = List.copyOf(architectures);
        }
    }

    /**
     * An ingress rule of a security group: one protocol, a port range (both -1 for protocols without ports) and one
     * source.
     *
     * @param protocol {@code tcp}, {@code udp}, or a protocol number such as {@code 50} (ESP)
     * @param fromPort first port, -1 for none
     * @param toPort last port, -1 for none
     * @param sourceCidr e.g. {@code 203.0.113.7/32}
     * @param description shown in the console; not part of the rule's identity
     */
    record IngressRule(String protocol, int fromPort, int toPort, String sourceCidr, String description) {
        public IngressRule {
            Objects.requireNonNull(protocol, "protocol is null");
            Objects.requireNonNull(sourceCidr, "sourceCidr is null");
            Objects.requireNonNull(description, "description is null");
        }

        /** The rule without its description: what EC2 compares. */
        String identity() {
            return protocol + ":" + fromPort + "-" + toPort + ":" + sourceCidr;
        }
    }

    /**
     * A RunInstances request for one site host.
     *
     * @param instanceType e.g. {@code c8i.large}
     * @param imageId the AMI
     * @param subnetId where the host goes
     * @param securityGroupId its only security group
     * @param keyName the imported key pair's name
     * @param userData the cloud-init document, unencoded (the facade encodes it)
     * @param nestedVirtualization whether to set {@code CpuOptions.NestedVirtualization=enabled}
     * @param tags for the instance and its volumes and network interfaces
     */
    record LaunchRequest(String instanceType, String imageId, String subnetId, String securityGroupId, String keyName,
            String userData, boolean nestedVirtualization, Map<String, String> tags) {
        public LaunchRequest {
            Objects.requireNonNull(instanceType, "instanceType is null");
            Objects.requireNonNull(imageId, "imageId is null");
            Objects.requireNonNull(subnetId, "subnetId is null");
            Objects.requireNonNull(securityGroupId, "securityGroupId is null");
            Objects.requireNonNull(keyName, "keyName is null");
            Objects.requireNonNull(userData, "userData is null");
            tags = Map.copyOf(tags);
        }
    }

    /** The region this facade talks to, e.g. {@code eu-west-1}. */
    String region();

    /** The type's description; empty when the region has no such type. */
    Optional<InstanceTypeInfo> instanceType(String instanceType);

    /** The newest available x86_64 image of {@code owner} whose name matches {@code namePattern} ({@code *} wildcards). */
    Optional<String> newestImage(String owner, String namePattern);

    /** The resources of a kind that carry all these tags (key to value). */
    List<Resource> find(Kind kind, Map<String, String> tags);

    /** One resource by id; empty when EC2 does not know it (any more). */
    Optional<Resource> byId(Kind kind, String id);

    String createVpc(String cidr, Map<String, String> tags);

    /** @param availabilityZone empty for EC2's choice */
    String createSubnet(String vpcId, String cidr, String availabilityZone, Map<String, String> tags);

    String createInternetGateway(Map<String, String> tags);

    void attachInternetGateway(String gatewayId, String vpcId);

    String createRouteTable(String vpcId, Map<String, String> tags);

    /** Routes {@code destinationCidr} to an internet gateway; an existing route to the same target is left as it is. */
    void routeToGateway(String routeTableId, String destinationCidr, String gatewayId);

    /** Routes {@code destinationCidr} to an instance, replacing a route for the same destination. */
    void routeToInstance(String routeTableId, String destinationCidr, String instanceId);

    /** @return the association id */
    String associateRouteTable(String routeTableId, String subnetId);

    String createSecurityGroup(String vpcId, String groupName, String description, Map<String, String> tags);

    List<IngressRule> ingressRules(String groupId);

    void authorizeIngress(String groupId, List<IngressRule> rules);

    void revokeIngress(String groupId, List<IngressRule> rules);

    /** @return the key pair's id */
    String importKeyPair(String keyName, String openSshPublicKey, Map<String, String> tags);

    /** Launches one instance; returns it as RunInstances describes it (state {@code pending}). */
    Resource runInstance(LaunchRequest request);

    void disableSourceDestinationCheck(String instanceId);

    /** Allocates a VPC Elastic IP; returns it with its {@code public-ip}. */
    Resource allocateAddress(Map<String, String> tags);

    void associateAddress(String allocationId, String instanceId);

    void terminateInstance(String instanceId, boolean dryRun);

    void disassociateAddress(String associationId, boolean dryRun);

    void releaseAddress(String allocationId, boolean dryRun);

    void deleteKeyPair(String keyPairId, boolean dryRun);

    void deleteSecurityGroup(String groupId, boolean dryRun);

    void disassociateRouteTable(String associationId, boolean dryRun);

    void deleteRouteTable(String routeTableId, boolean dryRun);

    void detachInternetGateway(String gatewayId, String vpcId, boolean dryRun);

    void deleteInternetGateway(String gatewayId, boolean dryRun);

    void deleteSubnet(String subnetId, boolean dryRun);

    void deleteVpc(String vpcId, boolean dryRun);

    /** Releases the SDK client. */
    @Override
    void close();
}
