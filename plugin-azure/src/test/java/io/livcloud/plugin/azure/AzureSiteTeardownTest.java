package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Teardown against {@link FakeAzureFacade} once a provisioning made the site: what goes, in what order, what stays. */
class AzureSiteTeardownTest extends BaseAzureSiteTest {

    @Test
    void aHalfFinishedProvisioningIsReportedAndItsTeardownLeavesNothing() {
        azure.failOn("create VIRTUAL_MACHINE east-gateway", new AzureCallException("create virtual machine east-gateway",
                409, "OperationNotAllowed", "Operation could not be completed as it results in exceeding approved"
                        + " standardDSv5Family Cores quota."));
        AzureSiteProvisioner provisioner = provisioner(Map.of());
        AzureSiteTeardown teardown = teardown(Map.of());

        assertThatThrownBy(() -> provisioner.provision(EAST)).isInstanceOfSatisfying(ExtensionException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(AzureErrorCode.QUOTA_EXCEEDED);
            assertThat(e.getMessage()).contains("east-gateway").contains("quota");
            assertThat(e.remedy()).contains("quota");
        });
        assertThat(azure.contents("livcloud-east")).hasSize(4);

        TeardownReport report = teardown.tearDown("east", false);

        assertThat(report.complete()).isTrue();
        assertThat(report.removed()).hasSize(5).last().isEqualTo("resourceGroups/livcloud-east");
        assertThat(azure.hasGroup("livcloud-east")).isFalse();
        assertThat(teardown.tearDown("east", false)).isEqualTo(new TeardownReport("east", false, List.of(),
                List.of()));
    }

    @Test
    void inASharedGroupTeardownDeletesExactlyTheSitesResourcesDependentsFirst() {
        azure.addGroup("shared", "westeurope", Map.of("owner", "ops"));
        AzureResource foreign = new AzureResource(ResourceKind.VIRTUAL_NETWORK.type(), "ops-vnet", Map.of(), Map.of());
        azure.addResource("shared", foreign);
        AzureSiteProvisioner provisioner = provisioner(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        AzureSiteTeardown teardown = teardown(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        provisioner.provision(EAST);
        azure.journal.clear();

        TeardownReport report = teardown.tearDown("east", false);

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
        AzureSiteTeardown teardown = teardown(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        provisioner.provision(EAST);
        azure.failOn("delete NETWORK_SECURITY_GROUP east-nsg", new AzureCallException("delete network security group"
                + " east-nsg", 409, "InUseNetworkSecurityGroupCannotBeDeleted", "Network security group east-nsg"
                + " cannot be deleted because it is in use by ops-nic."));

        TeardownReport report = teardown.tearDown("east", false);

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
        AzureSiteTeardown teardown = teardown(Map.of(AzureConfig.RESOURCE_GROUP.key(), "shared"));
        provisioner.provision(EAST);
        azure.addResource("shared", new AzureResource(ResourceKind.DISK.type(), "east-gateway-osdisk", Map.of(),
                Map.of()));

        TeardownReport report = teardown.tearDown("east", false);

        assertThat(report.leftovers()).singleElement().satisfies(leftover ->
                assertThat(leftover.resource()).isEqualTo("Microsoft.Compute/disks/east-gateway-osdisk"));
    }

    @Test
    void aDryRunListsWhatWouldGoAndDeletesNothing() {
        AzureSiteProvisioner provisioner = provisioner(Map.of());
        AzureSiteTeardown teardown = teardown(Map.of());
        provisioner.provision(EAST);
        azure.journal.clear();

        TeardownReport report = teardown.tearDown("east", true);

        assertThat(azure.changes()).isEmpty();
        assertThat(report.dryRun()).isTrue();
        assertThat(report.complete()).isFalse();
        assertThat(report.removed()).contains("Microsoft.Compute/virtualMachines/east-gateway",
                "resourceGroups/livcloud-east");
    }
}
