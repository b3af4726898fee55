package io.livcloud.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.ec2.Ec2Facade.IngressRule;
import io.livcloud.plugin.ec2.Ec2Facade.Kind;
import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The site logic against a hand-written EC2 in memory ({@link FakeEc2Facade}). */
class Ec2SiteProvisionerTest extends BaseEc2SiteTest {

    @Test
    void provisionsInDependencyOrderTaggingEverything() {
        Site site = provisioner().provision(spec("c8i.large", "203.0.113.7"));

        assertThat(ec2.actions()).filteredOn(action -> !action.startsWith("Describe")).containsExactly(
                "ImportKeyPair", "CreateVpc", "CreateInternetGateway", "AttachInternetGateway", "CreateSubnet",
                "CreateRouteTable", "CreateRoute", "AssociateRouteTable", "CreateSecurityGroup",
                "AuthorizeSecurityGroupIngress", "RunInstances", "ModifyInstanceAttribute", "CreateRoute",
                "AllocateAddress", "AssociateAddress");
        assertThat(ec2.requests).contains("CreateRoute rtb-00000000000000001 0.0.0.0/0 igw-00000000000000001",
                "CreateRoute rtb-00000000000000001 10.99.20.0/24 i-00000000000000001");
        // Everything LivCloud made carries the site's tags: eight resources, each kind once.
        assertThat(ec2.tagged(EAST)).extracting(Ec2Facade.Resource::kind)
                .containsExactlyInAnyOrder(Kind.values());

        Ec2Facade.LaunchRequest launch = ec2.launches.get(0);
        assertThat(launch.nestedVirtualization()).isTrue();
        assertThat(launch.imageId()).isEqualTo("ami-0debian12");
        assertThat(launch.keyName()).isEqualTo("livcloud-east");
        assertThat(launch.userData()).startsWith("#cloud-config\n").contains("SITE='east'",
                "VM_SUBNET='10.99.20.0/24'", "livcloud-bootstrap");
        assertThat(launch.tags()).containsEntry(CloudTags.SITE, "east")
                .containsEntry(CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE)
                .containsEntry(Ec2SiteProvisioner.VM_SUBNET_TAG, "10.99.20.0/24");
        assertThat(ec2.resource("i-00000000000000001").attribute("source-dest-check")).isEqualTo("false");

        assertThat(ec2.rules("sg-00000000000000001")).extracting(IngressRule::identity).containsExactlyInAnyOrder(
                "tcp:22-22:198.51.100.7/32", "udp:500-500:203.0.113.7/32", "udp:4500-4500:203.0.113.7/32",
                "50:-1--1:203.0.113.7/32");

        assertThat(readinessAsked).containsExactly("203.0.113.50");
        assertThat(site.name()).isEqualTo("east");
        assertThat(site.provider()).isEqualTo("ec2");
        assertThat(site.location()).isEqualTo("eu-west-1");
        assertThat(site.vmSubnet()).isEqualTo("10.99.20.0/24");
        Host gateway = site.gateway();
        assertThat(gateway.name()).isEqualTo("i-00000000000000001");
        assertThat(gateway.roles()).containsExactlyInAnyOrder(HostRole.GATEWAY, HostRole.HYPERVISOR);
        assertThat(gateway.publicAddress()).isEqualTo("203.0.113.50");
        assertThat(gateway.hypervisorUri()).as("as seen on the host, reached through its host access")
                .isEqualTo("qemu:///system");
        assertThat(gateway.privateAddress()).isEqualTo("10.99.20.1");
        assertThat(gateway.migration()).contains(new MigrationEndpoints("qemu+tcp://10.99.20.1/system",
                "tcp://10.99.20.1:49152", "", "", false));
        assertThat(gateway.tunnelControl()).hasValueSatisfying(control -> {
            assertThat(control.controlSocket()).isEqualTo("/run/charon.vici");
            assertThat(control.localAddress()).isEqualTo(gateway.attributes().get("vpc-address")).isNotBlank();
            assertThat(control.identity()).isEqualTo("203.0.113.50");
            assertThat(control.updown()).isEqualTo("/usr/local/sbin/livcloud-tunnel-updown");
        });
        assertThat(gateway.attributes()).containsEntry("bootstrap", "ready")
                .containsEntry("bootstrap.kvm", "hardware").containsEntry("bootstrap.qemu", "10.0.2")
                .doesNotContainKey("bootstrap.libvirt");
        assertThat(site.attributes()).containsEntry("vpc-id", "vpc-00000000000000001")
                .containsEntry("elastic-ip-allocation-id", "eipalloc-00000000000000001");
        assertThat(events).extracting(Event::type).contains("site.resource.created", "site.host.bootstrapping");
    }

    @Test
    void provisioningAgainReusesWhatExistsAndCreatesNothing() {
        Site first = provisioner().provision(spec("c8i.large", "203.0.113.7"));
        ec2.requests.clear();

        Site second = provisioner().provision(spec("c8i.large", "203.0.113.7"));

        assertThat(ec2.actions()).filteredOn(action -> action.startsWith("Create") || action.startsWith("Import")
                || action.startsWith("Allocate") || action.startsWith("Run") || action.startsWith("Associate")
                || action.startsWith("Authorize")).containsExactly("CreateRoute", "CreateRoute");
        assertThat(second).isEqualTo(first);
        assertThat(provisioner().describe("east")).contains(withoutBootstrap(first));
        assertThat(provisioner().list()).containsExactly(withoutBootstrap(first));
    }

    @Test
    void aNewPeerAddressReplacesTheOldOneInTheTunnelRules() {
        provisioner().provision(spec("c8i.large", "203.0.113.7"));
        provisioner().provision(spec("c8i.large", "203.0.113.99"));

        assertThat(ec2.rules("sg-00000000000000001")).extracting(IngressRule::identity).containsExactlyInAnyOrder(
                "tcp:22-22:198.51.100.7/32", "udp:500-500:203.0.113.99/32", "udp:4500-4500:203.0.113.99/32",
                "50:-1--1:203.0.113.99/32");
        assertThat(ec2.actions()).contains("RevokeSecurityGroupIngress");
    }

    @Test
    void withoutAPeerOnlySshIsOpen() {
        provisioner().provision(spec("c8i.large", ""));
        assertThat(ec2.rules("sg-00000000000000001")).extracting(IngressRule::identity)
                .containsExactly("tcp:22-22:198.51.100.7/32");
    }

    @Test
    void bareMetalNeedsNoCpuOptionAndNotWaitingSkipsSsh() {
        config = Ec2ConfigTest.withBootstrapTimeout(Ec2ConfigTest.defaults(), Duration.ZERO);
        Site site = provisioner().provision(spec("m5.metal", "203.0.113.7"));

        assertThat(ec2.launches.get(0).nestedVirtualization()).isFalse();
        assertThat(readinessAsked).isEmpty();
        assertThat(site.gateway().attributes()).doesNotContainKey("bootstrap");
    }

    @Test
    void refusesATypeWithoutNestedVirtualizationBeforeCreatingAnything() {
        assertThatThrownBy(() -> provisioner().provision(spec("c4.large", "203.0.113.7")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.NOT_NESTED_CAPABLE);
                    assertThat(e.getMessage()).contains("c4.large", "Hypervisor=xen");
                    assertThat(e.remedy()).contains("c8i.large", "m5.metal");
                });
        assertThat(ec2.actions()).containsExactly("DescribeInstanceTypes");
    }

    @Test
    void refusesSpecsThatWouldOpenTooMuchOrClash() {
        SiteSpec noOperator = new SiteSpec("east", "", "", "10.99.20.0/24", "", "", Map.of());
        assertThatThrownBy(() -> provisioner().provision(noOperator)).hasMessageContaining("operator-cidr is not set");
        SiteSpec overlapping = new SiteSpec("east", "", "", "10.98.0.0/25", "", "198.51.100.7/32", Map.of());
        assertThatThrownBy(() -> provisioner().provision(overlapping))
                .hasMessageContaining("host-subnet 10.98.0.0/24 overlaps vm-subnet 10.98.0.0/25");
        SiteSpec badName = new SiteSpec("East_1", "", "", "10.99.20.0/24", "", "198.51.100.7/32", Map.of());
        assertThatThrownBy(() -> provisioner().provision(badName)).isInstanceOfSatisfying(ExtensionException.class,
                e -> assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.INVALID_SITE_SPEC));
        assertThat(ec2.requests).isEmpty();
    }

    @Test
    void aVmSubnetTooSmallForTheHostAndVmsIsRefusedBeforeAnythingIsCreated() {
        SiteSpec slash30 = new SiteSpec("east", "", "", "10.99.20.0/30", "", "198.51.100.7/32", Map.of());

        assertThatThrownBy(() -> provisioner().provision(slash30)).isInstanceOfSatisfying(ExtensionException.class,
                e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).contains("vm-subnet is 10.99.20.0/30, smaller than a /29");
                });
        assertThat(ec2.requests).isEmpty();
    }

    @Test
    void anInstanceThatDiesWhileStartingIsReported() {
        ec2.failOn("ModifyInstanceAttribute", "IncorrectInstanceState");
        assertThatThrownBy(() -> provisioner().provision(spec("c8i.large", "")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.REQUEST_FAILED);
                    assertThat(e.getMessage()).contains("IncorrectInstanceState", "ModifyInstanceAttribute");
                });
    }

    @Test
    void aStoppedInstanceOfTheSiteIsReportedWithHowToStartIt() {
        ec2.add(Kind.INSTANCE, Map.of(CloudTags.SITE, "east", CloudTags.CREATED_BY, CloudTags.CREATED_BY_VALUE),
                Map.of("state", "stopped"));
        Instant before = clock.instant();

        assertThatThrownBy(() -> provisioner().provision(spec("c8i.large", "")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.INSTANCE_FAILED);
                    assertThat(e.getMessage()).isEqualTo("instance i-00000000000000001 of the site is stopped");
                    assertThat(e.remedy()).contains("aws ec2 start-instances --instance-ids i-00000000000000001");
                });
        assertThat(clock.instant()).isEqualTo(before);
        assertThat(ec2.launches).isEmpty();
    }

    private static Site withoutBootstrap(Site site) {
        Map<String, String> attributes = new HashMap<>(site.gateway().attributes());
        attributes.keySet().removeIf(key -> key.startsWith("bootstrap"));
        Host gateway = site.gateway();
        Host host = new Host(gateway.name(), gateway.roles(), gateway.publicAddress(), gateway.privateAddress(),
                gateway.hypervisorUri(), gateway.migration(), gateway.tunnelControl(), gateway.segment(), attributes);
        return new Site(site.name(), site.provider(), site.location(), host, List.of(host), site.vmSubnet(),
                site.attributes());
    }
}
