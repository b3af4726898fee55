package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.testing.plugin.ReferenceConf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provisioner's logic against {@link FakeAzureFacade}: order, tags, idempotence, what it refuses. */
class AzureSiteProvisionerTest extends BaseAzureSiteTest {

    @Test
    void provisioningCreatesTheSiteInDependencyOrderAllTagged() {
        Site site = provisioner(Map.of()).provision(EAST);

        assertThat(azure.changes()).containsExactly(
                "create group livcloud-east",
                "create NETWORK_SECURITY_GROUP east-nsg",
                "create VIRTUAL_NETWORK east-vnet",
                "create PUBLIC_IP_ADDRESS east-gateway-ip",
                "create NETWORK_INTERFACE east-gateway-nic",
                "create VIRTUAL_MACHINE east-gateway");
        assertThat(azure.contents("livcloud-east")).hasSize(5)
                .allSatisfy(resource -> assertThat(CloudTags.createdFor(resource.tags(), "east")).isTrue());
        Host host = site.gateway();
        assertThat(host.roles()).containsExactlyInAnyOrder(HostRole.GATEWAY, HostRole.HYPERVISOR);
        assertThat(site.hypervisorHosts()).containsExactly(host);
        assertThat(host.publicAddress()).isEqualTo(FakeAzureFacade.PUBLIC_ADDRESS);
        assertThat(host.privateAddress()).isEqualTo("10.99.20.1");
        assertThat(host.hypervisorUri()).as("as seen on the host, reached through its host access")
                .isEqualTo("qemu:///system");
        assertThat(host.migration()).contains(new MigrationEndpoints("qemu+tcp://10.99.20.1/system",
                "tcp://10.99.20.1:49152", "", "", false));
        assertThat(host.tunnelControl()).contains(new TunnelControl("/run/charon.vici",
                FakeAzureFacade.PRIVATE_ADDRESS, FakeAzureFacade.PUBLIC_ADDRESS, "/usr/local/sbin/livcloud-tunnel-updown"));
        assertThat(host.attributes()).containsEntry("security-type", "Standard")
                .containsEntry("nic-address", FakeAzureFacade.PRIVATE_ADDRESS);
        assertThat(site.vmSubnet()).isEqualTo("10.99.20.0/24");
        assertThat(site.location()).isEqualTo("westeurope");
    }

    @Test
    void theVmIsNestedCapableWithSecurityTypeStandardAndBootstrappedByCloudInit() {
        provisioner(Map.of()).provision(EAST);

        ResourceRequest.VirtualMachine vm = (ResourceRequest.VirtualMachine) azure.requests.get("east-gateway");
        assertThat(vm.size()).isEqualTo("Standard_D4s_v5");
        assertThat(vm.securityType()).isEqualTo("Standard");
        assertThat(vm.sshPublicKey()).isEqualTo(KEY);
        assertThat(vm.customData()).startsWith("#cloud-config").contains("VM_SUBNET='10.99.20.0/24'")
                .contains("SITE='east'");
        assertThat(vm.tags()).containsEntry(AzureSiteProvisioner.VM_SUBNET_TAG, "10.99.20.0/24");
        ResourceRequest.NetworkInterface nic =
                (ResourceRequest.NetworkInterface) azure.requests.get("east-gateway-nic");
        assertThat(nic.ipForwarding()).isTrue();
        ResourceRequest.VirtualNetwork vnet = (ResourceRequest.VirtualNetwork) azure.requests.get("east-vnet");
        assertThat(vnet.subnetPrefix()).isEqualTo("10.250.0.0/24");
    }

    @Test
    void securityGroupOpensTheTunnelToThePeerGatewayAndSshToTheOperatorOnly() {
        provisioner(Map.of()).provision(EAST);

        ResourceRequest.SecurityGroup nsg = (ResourceRequest.SecurityGroup) azure.requests.get("east-nsg");
        assertThat(nsg.rules()).containsExactly(
                new ResourceRequest.InboundRule("livcloud-ike", 100, "Udp", "203.0.113.7/32", List.of("500", "4500")),
                new ResourceRequest.InboundRule("livcloud-esp", 110, "Esp", "203.0.113.7/32", List.of("*")),
                new ResourceRequest.InboundRule("livcloud-ssh", 120, "Tcp", "198.51.100.0/24", List.of("22")));
    }

    @Test
    void withThePeerUnknownTheTunnelPortsStayClosedUntilProvisioningAgainWithIt() {
        AzureSiteProvisioner provisioner = provisioner(Map.of());
        provisioner.provision(new SiteSpec("east", "westeurope", "", "10.99.20.0/24", "", "198.51.100.0/24",
                Map.of()));
        assertThat(((ResourceRequest.SecurityGroup) azure.requests.get("east-nsg")).rules())
                .extracting(ResourceRequest.InboundRule::name).containsExactly("livcloud-ssh");

        provisioner.provision(EAST);

        assertThat(((ResourceRequest.SecurityGroup) azure.requests.get("east-nsg")).rules())
                .extracting(ResourceRequest.InboundRule::name)
                .containsExactly("livcloud-ike", "livcloud-esp", "livcloud-ssh");
    }

    @Test
    void provisioningAgainReusesTheTaggedResources() {
        AzureSiteProvisioner provisioner = provisioner(Map.of());
        Site first = provisioner.provision(EAST);
        azure.journal.clear();

        Site second = provisioner.provision(EAST);

        // Only the security group is written again (its rules follow the spec); nothing else is created.
        assertThat(azure.changes()).containsExactly("create NETWORK_SECURITY_GROUP east-nsg");
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aSizeWithoutNestedVirtualizationIsRefusedBeforeAnythingIsCreated() {
        SiteSpec gpu = new SiteSpec("east", "westeurope", "Standard_NC6s_v3", "10.99.20.0/24", "", "198.51.100.0/24",
                Map.of());

        assertThatThrownBy(() -> provisioner(Map.of()).provision(gpu))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AzureErrorCode.SIZE_NOT_NESTED_CAPABLE);
                    assertThat(e.getMessage()).contains("Standard_NC6s_v3").contains("N-series");
                    assertThat(e.remedy()).contains("Standard_D4s_v5");
                });
        assertThat(azure.journal).isEmpty();
    }

    @Test
    void aSizeRestrictedForTheSubscriptionIsRefusedBeforeAnythingIsCreated() {
        azure.offer("westeurope", "Standard_D4s_v5", new AzureFacade.SizeOffer(true,
                List.of("NotAvailableForSubscription in location westeurope")));

        assertThatThrownBy(() -> provisioner(Map.of()).provision(EAST))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AzureErrorCode.SIZE_NOT_AVAILABLE);
                    assertThat(e.getMessage()).contains("NotAvailableForSubscription");
                });
        assertThat(azure.changes()).isEmpty();
    }

    @Test
    void aGroupWithTheSitesNameButNotItsTagsIsNotTouched() {
        azure.addGroup("livcloud-east", "westeurope", Map.of("owner", "someone else"));

        assertThatThrownBy(() -> provisioner(Map.of()).provision(EAST))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AzureErrorCode.RESOURCE_CONFLICT);
                    assertThat(e.getMessage()).contains("livcloud-east").contains(CloudTags.SITE);
                });
        assertThat(azure.changes()).isEmpty();
        // Nor deleted by a teardown: only what carries the site's tags goes.
        assertThat(teardown(Map.of()).tearDown("east", false).removed()).isEmpty();
        assertThat(azure.hasGroup("livcloud-east")).isTrue();
    }

    @Test
    void aVmSubnetOverlappingTheHostSubnetIsRefused() {
        SiteSpec overlapping = new SiteSpec("east", "westeurope", "", "10.250.0.0/28", "", "198.51.100.0/24",
                Map.of());

        assertThatThrownBy(() -> provisioner(Map.of()).provision(overlapping))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AzureErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).contains("10.250.0.0/28").contains("host-subnet");
                });
    }

    @Test
    void aVmSubnetTooSmallForTheHostAndVmsIsRefusedBeforeAnythingIsCreated() {
        SiteSpec slash30 = new SiteSpec("east", "westeurope", "", "10.99.20.0/30", "", "198.51.100.0/24", Map.of());

        assertThatThrownBy(() -> provisioner(Map.of()).provision(slash30))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(AzureErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).contains("vm-subnet is 10.99.20.0/30, smaller than a /29");
                    assertThat(e.remedy()).contains("/29 or larger");
                });
        assertThat(azure.journal).isEmpty();
    }

    @Test
    void sitesAreListedAndDescribedFromAzureAlone() {
        AzureSiteProvisioner provisioner = provisioner(Map.of());
        Site provisioned = provisioner.provision(EAST);

        assertThat(provisioner.sites()).containsExactly(provisioned);
        assertThat(provisioner.describe("west")).isEmpty();
    }
}
