package io.livcloud.plugin.ec2;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.livcloud.plugin.ec2.Ec2Facade.Kind;
import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The facade over the real AWS SDK against WireMock serving EC2's Query API on 127.0.0.1: the requests the SDK sends
 * (form parameters as EC2 reads them), how EC2's XML answers and errors come back, retries on throttling. Static fake
 * credentials, an explicit region and the endpoint override: nothing here reaches AWS (and the build sets
 * aws.disableEc2Metadata, so the SDK never asks the instance metadata address either).
 */
class SdkEc2FacadeTest {

    @RegisterExtension
    static WireMockExtension ec2 = WireMockExtension.newInstance()
            // Loopback only: the fake EC2 must not be reachable from other machines while the tests run.
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    private final List<SdkEc2Facade> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(SdkEc2Facade::close);
    }

    private SdkEc2Facade facade(int maxAttempts) {
        SdkEc2Facade facade = SdkEc2Facade.create("eu-west-1", StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")),
                Optional.of(URI.create("http://127.0.0.1:" + ec2.getPort())), maxAttempts);
        opened.add(facade);
        return facade;
    }

    private static void answer(String action, String body) {
        answer(action, 200, Ec2Xml.response(action, body));
    }

    private static void answer(String action, int status, String xml) {
        ec2.stubFor(post("/").withFormParam("Action", equalTo(action)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(xml)));
    }

    /** The requests WireMock received, oldest first, as form parameters. */
    private static List<Map<String, String>> requests() {
        List<ServeEvent> events = new ArrayList<>(ec2.getAllServeEvents());
        java.util.Collections.reverse(events);
        List<Map<String, String>> requests = new ArrayList<>();
        for (ServeEvent event : events) {
            Map<String, String> form = new TreeMap<>();
            for (String pair : event.getRequest().getBodyAsString().split("&")) {
                int equals = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
            requests.add(form);
        }
        return requests;
    }

    private static List<String> actions() {
        return requests().stream().map(request -> request.get("Action")).toList();
    }

    private static Map<String, String> request(String action) {
        return requests().stream().filter(request -> action.equals(request.get("Action"))).findFirst().orElseThrow(
                () -> new AssertionError("no " + action + " request; got " + actions()));
    }

    @Test
    void instanceTypesFromDescribeInstanceTypes() {
        answer("DescribeInstanceTypes", """
                    <instanceTypeSet>
                        <item>
                            <instanceType>c8i.large</instanceType>
                            <currentGeneration>true</currentGeneration>
                            <bareMetal>false</bareMetal>
                            <hypervisor>nitro</hypervisor>
                            <processorInfo>
                                <supportedArchitectures><item>x86_64</item></supportedArchitectures>
                                <sustainedClockSpeedInGhz>3.9</sustainedClockSpeedInGhz>
                                <supportedFeatures><item>nested-virtualization</item></supportedFeatures>
                                <manufacturer>Intel</manufacturer>
                            </processorInfo>
                            <vCpuInfo><defaultVCpus>2</defaultVCpus><defaultCores>1</defaultCores></vCpuInfo>
                        </item>
                    </instanceTypeSet>""");

        Optional<Ec2Facade.InstanceTypeInfo> c8i = facade(1).instanceType("c8i.large");

        assertThat(c8i).hasValueSatisfying(info -> {
            assertThat(info.bareMetal()).isFalse();
            assertThat(info.hypervisor()).isEqualTo("nitro");
            assertThat(info.supportedFeatures()).containsExactly("nested-virtualization");
            assertThat(info.architectures()).containsExactly("x86_64");
            assertThat(Ec2InstanceTypes.capability("c8i.large", c8i, "eu-west-1").nestedVirtualization())
                    .isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
        });
        Map<String, String> sent = request("DescribeInstanceTypes");
        assertThat(sent).containsEntry("InstanceType.1", "c8i.large").containsEntry("Version", "2016-11-15");
        assertThat(ec2.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/").contains("/eu-west-1/ec2/aws4_request");
    }

    @Test
    void xenAndMetalTypesAndAnUnknownOne() {
        answer("DescribeInstanceTypes", """
                    <instanceTypeSet>
                        <item><instanceType>c4.large</instanceType><bareMetal>false</bareMetal><hypervisor>xen</hypervisor>
                            <processorInfo><supportedArchitectures><item>x86_64</item></supportedArchitectures></processorInfo>
                        </item>
                    </instanceTypeSet>""");
        assertThat(facade(1).instanceType("c4.large")).hasValueSatisfying(info -> {
            assertThat(info.hypervisor()).isEqualTo("xen");
            assertThat(info.supportedFeatures()).isEmpty();
        });

        answer("DescribeInstanceTypes", """
                    <instanceTypeSet>
                        <item><instanceType>m5.metal</instanceType><bareMetal>true</bareMetal>
                            <processorInfo><supportedArchitectures><item>x86_64</item></supportedArchitectures></processorInfo>
                        </item>
                    </instanceTypeSet>""");
        assertThat(facade(1).instanceType("m5.metal")).hasValueSatisfying(info -> {
            assertThat(info.bareMetal()).isTrue();
            assertThat(info.hypervisor()).isEmpty();
        });

        answer("DescribeInstanceTypes", 400, Ec2Xml.error("InvalidInstanceType",
                "The following supplied instance types do not exist: [c9x.huge]"));
        assertThat(facade(1).instanceType("c9x.huge")).isEmpty();
    }

    @Test
    void throttledRequestsAreRetriedWithBackoff() {
        ec2.stubFor(post("/").withFormParam("Action", equalTo("DescribeVpcs")).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("once")
                .willReturn(aResponse().withStatus(503).withBody(Ec2Xml.error("RequestLimitExceeded",
                        "Request limit exceeded."))));
        ec2.stubFor(post("/").withFormParam("Action", equalTo("DescribeVpcs")).inScenario("throttled")
                .whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(200).withBody(Ec2Xml.response("DescribeVpcs", """
                        <vpcSet><item><vpcId>vpc-0a1b2c3d4e5f60001</vpcId><state>available</state>
                        <cidrBlock>10.98.0.0/24</cidrBlock>
                        <tagSet><item><key>livcloud:site</key><value>east</value></item></tagSet></item></vpcSet>"""))));

        List<Ec2Facade.Resource> vpcs = facade(3).find(Kind.VPC, Map.of(CloudTags.SITE, "east"));

        assertThat(vpcs).singleElement().satisfies(vpc -> {
            assertThat(vpc.id()).isEqualTo("vpc-0a1b2c3d4e5f60001");
            assertThat(vpc.attribute("cidr")).isEqualTo("10.98.0.0/24");
            assertThat(vpc.tags()).containsEntry(CloudTags.SITE, "east");
        });
        assertThat(actions()).containsExactly("DescribeVpcs", "DescribeVpcs");
        assertThat(request("DescribeVpcs")).containsEntry("Filter.1.Name", "tag:livcloud:site")
                .containsEntry("Filter.1.Value.1", "east");
    }

    @Test
    void throttlingBeyondTheAttemptsBecomesAnErrorThatSaysWhatToDo() {
        answer("DescribeInstances", 503, Ec2Xml.error("RequestLimitExceeded", "Request limit exceeded."));

        assertThatThrownBy(() -> facade(2).find(Kind.INSTANCE, Map.of()))
                .isInstanceOfSatisfying(Ec2ApiException.class, e -> {
                    assertThat(e.providerCode()).isEqualTo("RequestLimitExceeded");
                    assertThat(e.requestId()).isEqualTo(Ec2Xml.REQUEST_ID);
                    ExtensionException shown = Ec2Errors.translate(e, "listing");
                    assertThat(shown.errorCode()).isEqualTo(Ec2ErrorCode.THROTTLED);
                });
        assertThat(actions()).containsExactly("DescribeInstances", "DescribeInstances");
    }

    @Test
    void aDryRunThatWouldSucceedReturnsNormallyAndOneThatIsDeniedThrows() {
        answer("DeleteVpc", 412, Ec2Xml.error("DryRunOperation",
                "Request would have succeeded, but DryRun flag is set."));
        facade(1).deleteVpc("vpc-0a1b2c3d4e5f60001", true);
        assertThat(request("DeleteVpc")).containsEntry("DryRun", "true").containsEntry("VpcId", "vpc-0a1b2c3d4e5f60001");

        answer("DeleteSubnet", 403, Ec2Xml.error("UnauthorizedOperation",
                "You are not authorized to perform this operation."));
        assertThatThrownBy(() -> facade(1).deleteSubnet("subnet-0a1b2c3d4e5f60001", true))
                .isInstanceOfSatisfying(Ec2ApiException.class, e ->
                        assertThat(e.providerCode()).isEqualTo("UnauthorizedOperation"));
    }

    /** EC2's answers for a site that does not exist yet, and for every creating request. */
    private static void emptyRegionThatCreates() {
        for (String describe : List.of("DescribeKeyPairs:keySet", "DescribeVpcs:vpcSet",
                "DescribeInternetGateways:internetGatewaySet", "DescribeSubnets:subnetSet",
                "DescribeRouteTables:routeTableSet", "DescribeAddresses:addressesSet")) {
            String[] parts = describe.split(":");
            answer(parts[0], "<" + parts[1] + "/>");
        }
        answer("DescribeInstanceTypes", "<instanceTypeSet><item><instanceType>c8i.large</instanceType>"
                + "<bareMetal>false</bareMetal><hypervisor>nitro</hypervisor><processorInfo><supportedArchitectures>"
                + "<item>x86_64</item></supportedArchitectures><supportedFeatures><item>nested-virtualization</item>"
                + "</supportedFeatures></processorInfo></item></instanceTypeSet>");
        answer("DescribeImages", "<imagesSet>"
                + "<item><imageId>ami-0aaaaaaaaaaaaaaa1</imageId><name>debian-12-amd64-20260101-2345</name>"
                + "<imageState>available</imageState><creationDate>2026-01-01T10:00:00.000Z</creationDate></item>"
                + "<item><imageId>ami-0bbbbbbbbbbbbbbb2</imageId><name>debian-12-amd64-20260215-2411</name>"
                + "<imageState>available</imageState><creationDate>2026-02-15T10:00:00.000Z</creationDate></item>"
                + "</imagesSet>");
        answer("ImportKeyPair", "<keyFingerprint>1f:51:ae:28:bf:89:e9:d8:1f:25:5d:37:2d:7d:b8:ca</keyFingerprint>"
                + "<keyName>livcloud-east</keyName><keyPairId>key-0a1b2c3d4e5f60001</keyPairId>");
        answer("CreateVpc", "<vpc><vpcId>vpc-0a1b2c3d4e5f60001</vpcId><state>pending</state>"
                + "<cidrBlock>10.98.0.0/24</cidrBlock><dhcpOptionsId>dopt-1a2b3c4d</dhcpOptionsId>"
                + "<instanceTenancy>default</instanceTenancy><isDefault>false</isDefault></vpc>");
        answer("CreateInternetGateway", "<internetGateway><internetGatewayId>igw-0a1b2c3d4e5f60001</internetGatewayId>"
                + "<attachmentSet/></internetGateway>");
        answer("AttachInternetGateway", "<return>true</return>");
        answer("CreateSubnet", "<subnet><subnetId>subnet-0a1b2c3d4e5f60001</subnetId><state>pending</state>"
                + "<vpcId>vpc-0a1b2c3d4e5f60001</vpcId><cidrBlock>10.98.0.0/24</cidrBlock>"
                + "<availableIpAddressCount>251</availableIpAddressCount><availabilityZone>eu-west-1a</availabilityZone>"
                + "</subnet>");
        answer("CreateRouteTable", "<routeTable><routeTableId>rtb-0a1b2c3d4e5f60001</routeTableId>"
                + "<vpcId>vpc-0a1b2c3d4e5f60001</vpcId><routeSet><item><destinationCidrBlock>10.98.0.0/24"
                + "</destinationCidrBlock><gatewayId>local</gatewayId><state>active</state>"
                + "<origin>CreateRouteTable</origin></item></routeSet><associationSet/></routeTable>");
        answer("CreateRoute", "<return>true</return>");
        answer("AssociateRouteTable", "<associationId>rtbassoc-0a1b2c3d4e5f60001</associationId>"
                + "<associationState><state>associated</state></associationState>");
        answer("CreateSecurityGroup", "<return>true</return><groupId>sg-0a1b2c3d4e5f60001</groupId>");
        answer("DescribeSecurityGroups", "<securityGroupInfo/>");
        answer("AuthorizeSecurityGroupIngress", "<return>true</return>");
        answer("RunInstances", "<reservationId>r-0a1b2c3d4e5f60001</reservationId><ownerId>123456789012</ownerId>"
                + "<groupSet/><instancesSet>" + Ec2Xml.instance("i-0a1b2c3d4e5f60001", "pending", 0, "",
                        Map.of()) + "</instancesSet>");
        answer("ModifyInstanceAttribute", "<return>true</return>");
        answer("AllocateAddress", "<publicIp>203.0.113.50</publicIp><domain>vpc</domain>"
                + "<allocationId>eipalloc-0a1b2c3d4e5f60001</allocationId>");
        answer("AssociateAddress", "<return>true</return><associationId>eipassoc-0a1b2c3d4e5f60001</associationId>");
    }

    private Ec2SiteProvisioner provisioner(SdkEc2Facade facade, List<String> readiness) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var key = generator.generateKeyPair();
        return new Ec2SiteProvisioner(region(facade), Ec2ConfigTest.defaults(), () -> key,
                (publicAddress, timeout) -> {
                    readiness.add(publicAddress);
                    return BootstrapStatus.parse("state=ready\ndetail=ok\n");
                });
    }

    private static Ec2SiteTeardown teardown(SdkEc2Facade facade) {
        return new Ec2SiteTeardown(region(facade));
    }

    private static Ec2Region region(SdkEc2Facade facade) {
        MutableClock clock = new MutableClock();
        return new Ec2Region(facade, facade.region(), event -> { }, clock, clock::advance);
    }

    private static final SiteSpec EAST = new SiteSpec("east", "", "c8i.large", "10.99.20.0/24", "203.0.113.7",
            "198.51.100.7/32", Map.of());

    @Test
    void provisioningSendsTheRequestsASiteNeedsInOrder() throws Exception {
        emptyRegionThatCreates();
        // The new instance is running when first described, with its public launch address.
        answer("DescribeInstances", "<reservationSet><item><reservationId>r-0a1b2c3d4e5f60001</reservationId>"
                + "<ownerId>123456789012</ownerId><groupSet/><instancesSet>" + Ec2Xml.instance("i-0a1b2c3d4e5f60001",
                "running", 16, "198.18.0.10", Map.of()) + "</instancesSet></item></reservationSet>");
        ec2.stubFor(post("/").withFormParam("Action", equalTo("DescribeInstances"))
                .withFormParam("Filter.1.Name", equalTo("tag:livcloud:created-by")).atPriority(1)
                .willReturn(aResponse().withBody(Ec2Xml.response("DescribeInstances", "<reservationSet/>"))));
        List<String> readiness = new ArrayList<>();

        var site = provisioner(facade(1), readiness).provision(EAST);

        assertThat(actions()).filteredOn(action -> !action.startsWith("Describe")).containsExactly(
                "ImportKeyPair", "CreateVpc", "CreateInternetGateway", "AttachInternetGateway", "CreateSubnet",
                "CreateRouteTable", "CreateRoute", "AssociateRouteTable", "CreateSecurityGroup",
                "AuthorizeSecurityGroupIngress", "RunInstances", "ModifyInstanceAttribute", "CreateRoute",
                "AllocateAddress", "AssociateAddress");

        Map<String, String> run = request("RunInstances");
        assertThat(run).containsEntry("InstanceType", "c8i.large")
                .containsEntry("ImageId", "ami-0bbbbbbbbbbbbbbb2") // the newest Debian 12 image
                .containsEntry("MinCount", "1").containsEntry("MaxCount", "1")
                .containsEntry("KeyName", "livcloud-east")
                .containsEntry("CpuOptions.NestedVirtualization", "enabled")
                .containsEntry("MetadataOptions.HttpTokens", "required")
                .containsEntry("MetadataOptions.HttpPutResponseHopLimit", "1")
                .containsEntry("MetadataOptions.HttpEndpoint", "enabled")
                .containsEntry("NetworkInterface.1.DeviceIndex", "0")
                .containsEntry("NetworkInterface.1.SubnetId", "subnet-0a1b2c3d4e5f60001")
                .containsEntry("NetworkInterface.1.SecurityGroupId.1", "sg-0a1b2c3d4e5f60001")
                .containsEntry("NetworkInterface.1.AssociatePublicIpAddress", "true")
                .containsEntry("TagSpecification.1.ResourceType", "instance")
                .containsEntry("TagSpecification.2.ResourceType", "volume")
                .containsEntry("TagSpecification.3.ResourceType", "network-interface");
        assertThat(tags(run, 1)).containsEntry(CloudTags.SITE, "east")
                .containsEntry(CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE)
                .containsEntry("livcloud:vm-subnet", "10.99.20.0/24");
        assertThat(new String(Base64.getDecoder().decode(run.get("UserData")), StandardCharsets.UTF_8))
                .startsWith("#cloud-config\n").contains("SITE='east'");

        Map<String, String> ingress = request("AuthorizeSecurityGroupIngress");
        assertThat(ingress).containsEntry("GroupId", "sg-0a1b2c3d4e5f60001")
                .containsEntry("IpPermissions.1.IpProtocol", "tcp").containsEntry("IpPermissions.1.FromPort", "22")
                .containsEntry("IpPermissions.1.ToPort", "22")
                .containsEntry("IpPermissions.1.IpRanges.1.CidrIp", "198.51.100.7/32")
                .containsEntry("IpPermissions.2.IpProtocol", "udp").containsEntry("IpPermissions.2.FromPort", "500")
                .containsEntry("IpPermissions.2.IpRanges.1.CidrIp", "203.0.113.7/32")
                .containsEntry("IpPermissions.3.IpProtocol", "udp").containsEntry("IpPermissions.3.FromPort", "4500")
                .containsEntry("IpPermissions.3.IpRanges.1.CidrIp", "203.0.113.7/32")
                .containsEntry("IpPermissions.4.IpProtocol", "50")
                .containsEntry("IpPermissions.4.IpRanges.1.CidrIp", "203.0.113.7/32")
                .doesNotContainKeys("IpPermissions.4.FromPort", "IpPermissions.5.IpProtocol");
        assertThat(ingress.values()).doesNotContain("0.0.0.0/0");

        assertThat(request("ModifyInstanceAttribute")).containsEntry("InstanceId", "i-0a1b2c3d4e5f60001")
                .containsEntry("SourceDestCheck.Value", "false");
        assertThat(request("AllocateAddress")).containsEntry("Domain", "vpc")
                .containsEntry("TagSpecification.1.ResourceType", "elastic-ip");
        assertThat(request("AssociateAddress")).containsEntry("AllocationId", "eipalloc-0a1b2c3d4e5f60001")
                .containsEntry("InstanceId", "i-0a1b2c3d4e5f60001");
        assertThat(requests()).filteredOn(request -> "CreateRoute".equals(request.get("Action")))
                .extracting(request -> request.get("DestinationCidrBlock") + " -> "
                        + request.getOrDefault("GatewayId", request.get("InstanceId")))
                .containsExactly("0.0.0.0/0 -> igw-0a1b2c3d4e5f60001", "10.99.20.0/24 -> i-0a1b2c3d4e5f60001");
        for (String create : List.of("CreateVpc", "CreateSubnet", "CreateInternetGateway", "CreateRouteTable",
                "CreateSecurityGroup", "ImportKeyPair", "AllocateAddress")) {
            assertThat(tags(request(create), 1)).as(create).containsEntry(CloudTags.SITE, "east")
                    .containsEntry(CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE);
        }
        assertThat(readiness).containsExactly("203.0.113.50");
        assertThat(site.gateway().publicAddress()).isEqualTo("203.0.113.50");
    }

    @Test
    void aTeardownAfterAHalfFinishedProvisioningDeletesEverythingItCreated() throws Exception {
        emptyRegionThatCreates();
        answer("RunInstances", 500, Ec2Xml.error("InsufficientInstanceCapacity", "We currently do not have"
                + " sufficient c8i.large capacity in the Availability Zone you requested (eu-west-1a)."));
        answer("DescribeInstances", "<reservationSet/>");
        SdkEc2Facade facade = facade(1);

        assertThatThrownBy(() -> provisioner(facade, new ArrayList<>()).provision(EAST))
                .isInstanceOfSatisfying(ExtensionException.class, e ->
                        assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.CAPACITY));

        // EC2 now holds what the creating requests asked for, with the tags they carried.
        Map<String, Map<String, String>> created = new LinkedHashMap<>();
        created.put("key-0a1b2c3d4e5f60001", tags(request("ImportKeyPair"), 1));
        created.put("vpc-0a1b2c3d4e5f60001", tags(request("CreateVpc"), 1));
        created.put("igw-0a1b2c3d4e5f60001", tags(request("CreateInternetGateway"), 1));
        created.put("subnet-0a1b2c3d4e5f60001", tags(request("CreateSubnet"), 1));
        created.put("rtb-0a1b2c3d4e5f60001", tags(request("CreateRouteTable"), 1));
        created.put("sg-0a1b2c3d4e5f60001", tags(request("CreateSecurityGroup"), 1));
        assertThat(created.values()).allSatisfy(tags -> assertThat(tags).containsEntry(CloudTags.SITE, "east")
                .containsEntry(CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE));
        ec2.resetAll();
        answer("DescribeInstances", "<reservationSet/>");
        answer("DescribeAddresses", "<addressesSet/>");
        answer("DescribeKeyPairs", "<keySet><item><keyPairId>key-0a1b2c3d4e5f60001</keyPairId>"
                + "<keyName>livcloud-east</keyName><keyType>rsa</keyType>" + Ec2Xml.tagSet(created.get(
                        "key-0a1b2c3d4e5f60001")) + "</item></keySet>");
        answer("DescribeSecurityGroups", "<securityGroupInfo><item><ownerId>123456789012</ownerId>"
                + "<groupId>sg-0a1b2c3d4e5f60001</groupId><groupName>livcloud-east</groupName>"
                + "<groupDescription>LivCloud</groupDescription><vpcId>vpc-0a1b2c3d4e5f60001</vpcId>"
                + "<ipPermissions/><ipPermissionsEgress/>" + Ec2Xml.tagSet(created.get("sg-0a1b2c3d4e5f60001"))
                + "</item></securityGroupInfo>");
        answer("DescribeRouteTables", "<routeTableSet><item><routeTableId>rtb-0a1b2c3d4e5f60001</routeTableId>"
                + "<vpcId>vpc-0a1b2c3d4e5f60001</vpcId><routeSet/><associationSet><item>"
                + "<routeTableAssociationId>rtbassoc-0a1b2c3d4e5f60001</routeTableAssociationId>"
                + "<routeTableId>rtb-0a1b2c3d4e5f60001</routeTableId><subnetId>subnet-0a1b2c3d4e5f60001</subnetId>"
                + "<main>false</main><associationState><state>associated</state></associationState></item>"
                + "</associationSet>" + Ec2Xml.tagSet(created.get("rtb-0a1b2c3d4e5f60001")) + "</item></routeTableSet>");
        answer("DescribeInternetGateways", "<internetGatewaySet><item><internetGatewayId>igw-0a1b2c3d4e5f60001"
                + "</internetGatewayId><attachmentSet><item><vpcId>vpc-0a1b2c3d4e5f60001</vpcId><state>available"
                + "</state></item></attachmentSet>" + Ec2Xml.tagSet(created.get("igw-0a1b2c3d4e5f60001"))
                + "</item></internetGatewaySet>");
        answer("DescribeSubnets", "<subnetSet><item><subnetId>subnet-0a1b2c3d4e5f60001</subnetId>"
                + "<state>available</state><vpcId>vpc-0a1b2c3d4e5f60001</vpcId><cidrBlock>10.98.0.0/24</cidrBlock>"
                + "<availabilityZone>eu-west-1a</availabilityZone>" + Ec2Xml.tagSet(created.get(
                        "subnet-0a1b2c3d4e5f60001")) + "</item></subnetSet>");
        answer("DescribeVpcs", "<vpcSet><item><vpcId>vpc-0a1b2c3d4e5f60001</vpcId><state>available</state>"
                + "<cidrBlock>10.98.0.0/24</cidrBlock>" + Ec2Xml.tagSet(created.get("vpc-0a1b2c3d4e5f60001"))
                + "</item></vpcSet>");
        answer("DeleteKeyPair", "<return>true</return><keyPairId>key-0a1b2c3d4e5f60001</keyPairId>");
        answer("DeleteSecurityGroup", "<return>true</return><groupId>sg-0a1b2c3d4e5f60001</groupId>");
        for (String action : List.of("DisassociateRouteTable", "DeleteRouteTable", "DetachInternetGateway",
                "DeleteInternetGateway", "DeleteSubnet", "DeleteVpc")) {
            answer(action, "<return>true</return>");
        }

        TeardownReport report = teardown(facade).tearDown("east", false);

        assertThat(report.leftovers()).isEmpty();
        assertThat(actions()).filteredOn(action -> !action.startsWith("Describe")).containsExactly(
                "DeleteKeyPair", "DeleteSecurityGroup", "DisassociateRouteTable", "DeleteRouteTable",
                "DetachInternetGateway", "DeleteInternetGateway", "DeleteSubnet", "DeleteVpc");
        // Every resource the provisioning created got its deletion request: nothing tagged stays behind.
        List<String> deleted = requests().stream().filter(request -> request.get("Action").startsWith("Delete"))
                .map(request -> request.entrySet().stream().filter(entry -> entry.getKey().endsWith("Id"))
                        .map(Map.Entry::getValue).findFirst().orElse(""))
                .toList();
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(created.keySet());
        // The listing asked EC2 for exactly the site's resources that LivCloud created.
        assertThat(request("DescribeVpcs")).containsEntry("Filter.1.Name", "tag:livcloud:created-by")
                .containsEntry("Filter.1.Value.1", "livcloud").containsEntry("Filter.2.Name", "tag:livcloud:site")
                .containsEntry("Filter.2.Value.1", "east");
        assertThat(request("DetachInternetGateway")).containsEntry("VpcId", "vpc-0a1b2c3d4e5f60001");
        assertThat(request("DisassociateRouteTable")).containsEntry("AssociationId", "rtbassoc-0a1b2c3d4e5f60001");
    }

    /** The tags of the {@code n}-th TagSpecification of a request. */
    private static Map<String, String> tags(Map<String, String> request, int n) {
        Map<String, String> tags = new TreeMap<>();
        for (int i = 1; request.containsKey("TagSpecification." + n + ".Tag." + i + ".Key"); i++) {
            tags.put(request.get("TagSpecification." + n + ".Tag." + i + ".Key"),
                    request.get("TagSpecification." + n + ".Tag." + i + ".Value"));
        }
        return tags;
    }

}
