package io.livcloud.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.plugin.ec2.Ec2Facade.Kind;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Teardown against a hand-written EC2 in memory ({@link FakeEc2Facade}), after a provisioning made the site. */
class Ec2SiteTeardownTest extends BaseEc2SiteTest {

    @Test
    void anExistingSubnetIsUsedAndNeverTornDown() {
        String userVpc = ec2.add(Kind.VPC, Map.of("Name", "mine"), Map.of("cidr", "172.31.0.0/16"));
        String userSubnet = ec2.add(Kind.SUBNET, Map.of(), Map.of("vpc-id", userVpc, "cidr", "172.31.1.0/24"));
        SiteSpec spec = new SiteSpec("east", "", "", "10.99.20.0/24", "", "198.51.100.7/32",
                Map.of("subnet-id", userSubnet, "vpc-id", userVpc));

        provisioner().provision(spec);
        assertThat(ec2.actions()).doesNotContain("CreateVpc", "CreateSubnet", "CreateRouteTable", "CreateRoute");
        assertThat(ec2.launches.get(0).subnetId()).isEqualTo(userSubnet);

        TeardownReport report = teardown().tearDown("east", false);
        assertThat(report.complete()).isTrue();
        assertThat(ec2.resource(userVpc)).isNotNull();
        assertThat(ec2.resource(userSubnet)).isNotNull();
    }

    @Test
    void tearsDownInDependencyOrderExactlyTheSitesResources() {
        String otherSite = ec2.add(Kind.VPC, Ec2SiteProvisioner.siteTags("west"), Map.of());
        String lentByUser = ec2.add(Kind.VPC, Map.of(CloudTags.SITE, "east"), Map.of());
        provisioner().provision(spec("c8i.large", "203.0.113.7"));
        ec2.requests.clear();

        TeardownReport report = teardown().tearDown("east", false);

        assertThat(report.leftovers()).isEmpty();
        assertThat(report.complete()).isTrue();
        assertThat(report.removed()).containsExactly("instance i-00000000000000001",
                "elastic-ip eipalloc-00000000000000001 (203.0.113.50)", "key-pair key-00000000000000001 (livcloud-east)",
                "security-group sg-00000000000000001", "route-table rtb-00000000000000001",
                "internet-gateway igw-00000000000000001", "subnet subnet-00000000000000001",
                "vpc vpc-00000000000000003");
        assertThat(ec2.actions()).filteredOn(action -> !action.startsWith("Describe")).containsExactly(
                "TerminateInstances", "DisassociateAddress", "ReleaseAddress", "DeleteKeyPair", "DeleteSecurityGroup",
                "DisassociateRouteTable", "DeleteRouteTable", "DetachInternetGateway", "DeleteInternetGateway",
                "DeleteSubnet", "DeleteVpc");
        assertThat(ec2.tagged(EAST)).isEmpty();
        assertThat(ec2.resource(otherSite)).isNotNull();
        assertThat(ec2.resource(lentByUser)).isNotNull();
        assertThat(events).extracting(Event::type).contains("site.resource.removed");

        TeardownReport again = teardown().tearDown("east", false);
        assertThat(again.removed()).isEmpty();
        assertThat(again.complete()).isTrue();
        assertThat(provisioner().describe("east")).isEmpty();
    }

    @Test
    void aTeardownAfterAHalfFinishedProvisioningLeavesNothingTagged() {
        ec2.failOn("RunInstances", "InsufficientInstanceCapacity");
        assertThatThrownBy(() -> provisioner().provision(spec("c8i.large", "203.0.113.7")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.CAPACITY);
                    assertThat(e.getMessage()).contains("site 'east' in eu-west-1, launching the host",
                            "InsufficientInstanceCapacity");
                    assertThat(e.remedy()).contains("availability-zone");
                });
        assertThat(ec2.tagged(EAST)).isNotEmpty();

        TeardownReport report = teardown().tearDown("east", false);

        assertThat(report.complete()).isTrue();
        assertThat(report.removed()).hasSize(6);
        assertThat(ec2.tagged(EAST)).isEmpty();
    }

    @Test
    void whatCannotBeRemovedIsReportedAndTheRestStillGoes() {
        provisioner().provision(spec("c8i.large", "203.0.113.7"));
        ec2.deny("DeleteInternetGateway");

        TeardownReport report = teardown().tearDown("east", false);

        assertThat(report.complete()).isFalse();
        // The gateway was detached before its deletion was refused, so the VPC could still go.
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("internet-gateway igw-00000000000000001");
            assertThat(leftover.reason()).contains("UnauthorizedOperation", "ec2:DeleteInternetGateway");
        });
        assertThat(report.removed()).contains("subnet subnet-00000000000000001", "vpc vpc-00000000000000001");
        assertThat(ec2.tagged(EAST)).extracting(Ec2Facade.Resource::id).containsExactly("igw-00000000000000001");
    }

    @Test
    void aDryRunAsksEc2ForEachDeletionAndRemovesNothing() {
        provisioner().provision(spec("c8i.large", "203.0.113.7"));
        int before = ec2.tagged(EAST).size();
        ec2.deny("DeleteVpc");
        ec2.requests.clear();

        TeardownReport report = teardown().tearDown("east", true);

        assertThat(report.dryRun()).isTrue();
        assertThat(report.complete()).isFalse();
        assertThat(report.removed()).hasSize(7).first().isEqualTo("instance i-00000000000000001");
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("vpc vpc-00000000000000001");
            assertThat(leftover.reason()).startsWith("checking the removal of vpc").contains("UnauthorizedOperation");
        });
        assertThat(ec2.requests).filteredOn(request -> !request.startsWith("Describe"))
                .allMatch(request -> request.endsWith("(dry run)"));
        assertThat(ec2.tagged(EAST)).hasSize(before);
    }

    @Test
    void ec2ErrorsWhileListingBecomeLeftoversNotExceptions() {
        provisioner().provision(spec("c8i.large", ""));
        ec2.failOn("DescribeKEY_PAIR", "RequestLimitExceeded");

        TeardownReport report = teardown().tearDown("east", false);

        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("every key-pair of site east");
            assertThat(leftover.reason()).contains("RequestLimitExceeded", "wait a minute");
        });
    }
}
