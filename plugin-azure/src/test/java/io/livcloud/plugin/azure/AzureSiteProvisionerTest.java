package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.plugin.toolkit.testing.ReferenceConf;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.testing.FakeExtensionConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The provisioner's logic against {@link FakeAzureFacade}: order, tags, idempotence, teardown and its leftovers. */
class AzureSiteProvisionerTest {

    private static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ livcloud-azure";
    private static final SiteSpec EAST = new SiteSpec("east", "westeurope", "", "10.99.20.0/24", "203.0.113.7",
            "198.51.100.0/24", Map.of());

    private final FakeAzureFacade azure = new FakeAzureFacade();

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
        assertThat(host.privateAddress()).isEqualTo(FakeAzureFacade.PRIVATE_ADDRESS);
        assertThat(host.hypervisorUri()).isEqualTo("qemu+ssh://livcloud@192.0.2.10/system?keyfile=/keys/azure");
        assertThat(host.attributes()).containsEntry(Host.PEER_HYPERVISOR_URI, "qemu+tcp://10.99.20.1/system")
                .containsEntry(Host.MIGRATION_URI, "tcp://10.99.20.1:49152")
                .containsEntry(Host.TUNNEL_UPDOWN, "/usr/local/sbin/livcloud-tunnel-updown")
                .containsEntry("security-type", "Standard");
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
    void aHalfFinishedProvisioningIsReportedAndItsTeardownLeavesNothing() {
        azure.failOn("create VIRTUAL_MACHINE east-gateway", new AzureCallException("create virtual machine east-gateway",
                409, "OperationNotAllowed", "Operation could not be completed as it results in exceeding approved"
                        + " standardDSv5Family Cores quota."));
        AzureSiteProvisioner provisioner = provisioner(Map.of());

        assertThatThrownBy(() -> provisioner.provision(EAST)).isInstanceOfSatisfying(ExtensionException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(AzureErrorCode.QUOTA_EXCEEDED);
            assertThat(e.getMessage()).contains("east-gateway").contains("quota");
            assertThat(e.remedy()).contains("quota");
        });
        assertThat(azure.contents("livcloud-east")).hasSize(4);

        TeardownReport report = provisioner.tearDown("east", false);

        assertThat(report.complete()).isTrue();
        assertThat(report.removed()).hasSize(5).last().isEqualTo("resourceGroups/livcloud-east");
        assertThat(azure.hasGroup("livcloud-east")).isFalse();
        assertThat(provisioner.tearDown("east", false)).isEqualTo(new TeardownReport("east", false, List.of(),
                List.of()));
    }

    @Test
    void inASharedGroupTeardownDeletesExactlyTheSitesResourcesDependentsFirst() {
        azure.addGroup("shared", "westeurope", Map.of("owner", "ops"));
        AzureResource foreign = new AzureResource(ResourceKind.VIRTUAL_NETWORK.type(), "ops-vnet", Map.of(), Map.of());
        azure.addResource("shared", foreign);
        AzureSiteProvisioner provisioner = provisioner(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        provisioner.provision(EAST);
        azure.journal.clear();

        TeardownReport report = provisioner.tearDown("east", false);

        assertThat(azure.changes()).containsExactly(
                "delete VIRTUAL_MACHINE east-gateway",
                "delete NETWORK_INTERFACE east-gateway-nic",
                "delete PUBLIC_IP_ADDRESS east-gateway-ip",
                "delete NETWORK_SECURITY_GROUP east-nsg",
                "delete VIRTUAL_NETWORK east-vnet");
        assertThat(report.complete()).isTrue();
        assertThat(report.removed()).first().isEqualTo("Microsoft.Compute/virtualMachines/east-gateway");
        assertThat(azure.contents("shared")).containsExactly(foreign);
        assertThat(azure.hasGroup("shared")).isTrue();
    }

    @Test
    void aResourceThatCannotBeDeletedIsALeftoverAndTheRestIsStillDeleted() {
        azure.addGroup("shared", "westeurope", Map.of());
        AzureSiteProvisioner provisioner = provisioner(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        provisioner.provision(EAST);
        azure.failOn("delete NETWORK_SECURITY_GROUP east-nsg", new AzureCallException("delete network security group"
                + " east-nsg", 409, "InUseNetworkSecurityGroupCannotBeDeleted", "Network security group east-nsg"
                + " cannot be deleted because it is in use by ops-nic."));

        TeardownReport report = provisioner.tearDown("east", false);

        assertThat(report.complete()).isFalse();
        assertThat(report.leftovers()).singleElement().satisfies(leftover -> {
            assertThat(leftover.resource()).isEqualTo("Microsoft.Network/networkSecurityGroups/east-nsg");
            assertThat(leftover.reason()).contains("in use by ops-nic");
        });
        assertThat(report.removed()).hasSize(4).contains("Microsoft.Network/virtualNetworks/east-vnet");
    }

    @Test
    void aDiskAzureKeptAfterTheVmIsALeftover() {
        azure.addGroup("shared", "westeurope", Map.of());
        AzureSiteProvisioner provisioner = provisioner(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        provisioner.provision(EAST);
        azure.addResource("shared", new AzureResource(ResourceKind.DISK.type(), "east-gateway-osdisk", Map.of(),
                Map.of()));

        TeardownReport report = provisioner.tearDown("east", false);

        assertThat(report.leftovers()).singleElement().satisfies(leftover ->
                assertThat(leftover.resource()).isEqualTo("Microsoft.Compute/disks/east-gateway-osdisk"));
    }

    @Test
    void aDryRunListsWhatWouldGoAndDeletesNothing() {
        AzureSiteProvisioner provisioner = provisioner(Map.of());
        provisioner.provision(EAST);
        azure.journal.clear();

        TeardownReport report = provisioner.tearDown("east", true);

        assertThat(azure.changes()).isEmpty();
        assertThat(report.dryRun()).isTrue();
        assertThat(report.complete()).isFalse();
        assertThat(report.removed()).contains("Microsoft.Compute/virtualMachines/east-gateway",
                "resourceGroups/livcloud-east");
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
        assertThat(provisioner(Map.of()).tearDown("east", false).removed()).isEmpty();
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

    private AzureSiteProvisioner provisioner(Map<String, Object> settings) {
        FakeExtensionConfig section = ReferenceConf.defaults(new AzureCloudProviderFactory())
                .with(AzureConfig.SUBSCRIPTION_ID.key(), "00000000-0000-0000-0000-00000000a2e0")
                .with(AzureConfig.LOCATION.key(), "westeurope");
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            section = section.with(setting.getKey(), setting.getValue());
        }
        AzureConfig config = AzureConfig.from(section, Map.of());
        return new AzureSiteProvisioner(config, azure, () -> KEY, "/keys/azure");
    }
}
