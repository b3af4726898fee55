package io.livcloud.plugin.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.AzureEnvironment;
import com.azure.resourcemanager.resources.fluentcore.utils.ResourceManagerUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.livcloud.spi.ExtensionException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SdkAzureFacade} against a WireMock stub of Azure Resource Manager answering as Azure does: PUTs that start a
 * long-running operation (201 with an Azure-AsyncOperation URL whose status goes InProgress → Succeeded, then the
 * final GET), DELETEs answered 202 with a Location to poll, ARM error bodies, and 429 throttling. Only loopback is
 * contacted: {@link RedirectingHttpClient} refuses any other host.
 */
class SdkAzureFacadeTest {

    private static final String SUBSCRIPTION = "00000000-0000-0000-0000-00000000a2e0";
    private static final String GROUP = "livcloud-east";
    private static final String BASE = "/subscriptions/" + SUBSCRIPTION + "/resourceGroups/" + GROUP + "/providers/";
    private static final String ARM = "https://management.azure.com";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TAGS = Map.of("livcloud:site", "east", "livcloud:created-by", "livcloud");

    private WireMockServer azure;
    private FakeTokenCredential credential;
    private SdkAzureFacade facade;

    @BeforeAll
    static void pollWithoutWaiting() {
        // The SDK polls long-running operations every 30 s unless Azure sends Retry-After; the stub sends none.
        ResourceManagerUtils.InternalRuntimeContext.setDelayProvider(delay -> Duration.ofMillis(1));
    }

    @BeforeEach
    void startAzure() {
        azure = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        azure.start();
        credential = new FakeTokenCredential();
        facade = new SdkAzureFacade(credential, new RedirectingHttpClient(azure.port()), AzureEnvironment.AZURE,
                SUBSCRIPTION, 3, Duration.ofMillis(5));
    }

    @AfterEach
    void stopAzure() {
        facade.close();
        azure.stop();
    }

    @Test
    void virtualMachineIsCreatedWithSecurityTypeStandardThroughTheLongRunningOperation() throws Exception {
        String path = BASE + "Microsoft.Compute/virtualMachines/east-gateway";
        stubLongRunningPut(path, "Microsoft.Compute", """
                {"name": "east-gateway", "type": "Microsoft.Compute/virtualMachines", "location": "westeurope",
                 "tags": {"livcloud:site": "east", "livcloud:created-by": "livcloud"},
                 "properties": {"provisioningState": "Succeeded",
                   "hardwareProfile": {"vmSize": "Standard_D4s_v5"},
                   "securityProfile": {"securityType": "Standard"}}}""");

        AzureResource vm = facade.createOrUpdate(GROUP, new ResourceRequest.VirtualMachine("east-gateway",
                "westeurope", "Standard_D4s_v5", "Standard",
                ResourceRequest.Image.parse("Debian:debian-12:12-gen2:latest"), "livcloud",
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3Q= livcloud-azure", "#cloud-config\nruncmd: [true]\n",
                "east-gateway-nic", "east-gateway-osdisk", TAGS));

        assertThat(vm.property(AzureResource.SECURITY_TYPE)).contains("Standard");
        assertThat(vm.property(AzureResource.VM_SIZE)).contains("Standard_D4s_v5");
        LoggedRequest request = onlyRequest(putRequestedFor(urlPathEqualTo(path)));
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + FakeTokenCredential.TOKEN);
        JsonNode body = JSON.readTree(request.getBodyAsString());
        JsonNode properties = body.path("properties");
        assertThat(properties.at("/securityProfile/securityType").asText()).isEqualTo("Standard");
        assertThat(properties.at("/hardwareProfile/vmSize").asText()).isEqualTo("Standard_D4s_v5");
        assertThat(properties.at("/storageProfile/imageReference/publisher").asText()).isEqualTo("Debian");
        assertThat(properties.at("/storageProfile/imageReference/sku").asText()).isEqualTo("12-gen2");
        assertThat(properties.at("/storageProfile/osDisk/deleteOption").asText()).isEqualTo("Delete");
        assertThat(properties.at("/osProfile/linuxConfiguration/disablePasswordAuthentication").asBoolean()).isTrue();
        assertThat(properties.at("/osProfile/linuxConfiguration/ssh/publicKeys/0/path").asText())
                .isEqualTo("/home/livcloud/.ssh/authorized_keys");
        assertThat(new String(Base64.getDecoder().decode(properties.at("/osProfile/customData").asText()),
                StandardCharsets.UTF_8)).isEqualTo("#cloud-config\nruncmd: [true]\n");
        assertThat(properties.at("/networkProfile/networkInterfaces/0/id").asText())
                .isEqualTo(BASE + "Microsoft.Network/networkInterfaces/east-gateway-nic");
        assertThat(body.path("tags")).isEqualTo(JSON.valueToTree(TAGS));
        // Polled until Succeeded, then read the VM once more: the operation really was followed to its end.
        assertThat(azure.findAll(getRequestedFor(urlPathEqualTo(operationPath("Microsoft.Compute"))))).hasSize(2);
        assertThat(azure.findAll(getRequestedFor(urlPathEqualTo(path)))).hasSize(1);
        assertThat(credential.requestedScopes).isNotEmpty()
                .allSatisfy(scopes -> assertThat(scopes).containsExactly("https://management.core.windows.net//.default"));
    }

    @Test
    void securityGroupOpensTheTunnelToThePeerAndSshToTheOperatorOnly() throws Exception {
        String path = BASE + "Microsoft.Network/networkSecurityGroups/east-nsg";
        stubLongRunningPut(path, "Microsoft.Network", """
                {"name": "east-nsg", "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
                 "tags": {"livcloud:site": "east", "livcloud:created-by": "livcloud"},
                 "properties": {"provisioningState": "Succeeded"}}""");

        facade.createOrUpdate(GROUP, new ResourceRequest.SecurityGroup("east-nsg", "westeurope", List.of(
                new ResourceRequest.InboundRule("ike", 100, "Udp", "203.0.113.7/32", List.of("500", "4500")),
                new ResourceRequest.InboundRule("esp", 110, "Esp", "203.0.113.7/32", List.of("*")),
                new ResourceRequest.InboundRule("ssh", 120, "Tcp", "198.51.100.0/24", List.of("22"))), TAGS));

        JsonNode rules = JSON.readTree(onlyRequest(putRequestedFor(urlPathEqualTo(path))).getBodyAsString())
                .at("/properties/securityRules");
        assertThat(rules).hasSize(3);
        assertThat(rule(rules, "ike").path("protocol").asText()).isEqualTo("Udp");
        assertThat(rule(rules, "ike").path("sourceAddressPrefix").asText()).isEqualTo("203.0.113.7/32");
        assertThat(rule(rules, "ike").path("destinationPortRanges").toString()).isEqualTo("[\"500\",\"4500\"]");
        assertThat(rule(rules, "esp").path("protocol").asText()).isEqualTo("Esp");
        assertThat(rule(rules, "esp").path("sourceAddressPrefix").asText()).isEqualTo("203.0.113.7/32");
        assertThat(rule(rules, "ssh").path("protocol").asText()).isEqualTo("Tcp");
        assertThat(rule(rules, "ssh").path("destinationPortRange").asText()).isEqualTo("22");
        assertThat(rule(rules, "ssh").path("sourceAddressPrefix").asText()).isEqualTo("198.51.100.0/24");
        for (JsonNode rule : rules) {
            assertThat(rule.at("/properties/direction").asText()).isEqualTo("Inbound");
            assertThat(rule.at("/properties/access").asText()).isEqualTo("Allow");
        }
    }

    @Test
    void networkInterfaceForwardsAndRefersToItsSubnetAddressAndGroupById() throws Exception {
        String path = BASE + "Microsoft.Network/networkInterfaces/east-gateway-nic";
        stubLongRunningPut(path, "Microsoft.Network", """
                {"name": "east-gateway-nic", "type": "Microsoft.Network/networkInterfaces",
                 "properties": {"provisioningState": "Succeeded", "enableIPForwarding": true,
                   "ipConfigurations": [{"name": "primary",
                     "properties": {"privateIPAddress": "10.250.0.4", "primary": true}}]}}""");

        AzureResource nic = facade.createOrUpdate(GROUP, new ResourceRequest.NetworkInterface("east-gateway-nic",
                "westeurope", "east-vnet", "hosts", "east-nsg", "east-gateway-ip", true, TAGS));

        assertThat(nic.property(AzureResource.PRIVATE_ADDRESS)).contains("10.250.0.4");
        assertThat(nic.property(AzureResource.IP_FORWARDING)).contains("true");
        JsonNode properties = JSON.readTree(onlyRequest(putRequestedFor(urlPathEqualTo(path))).getBodyAsString())
                .path("properties");
        assertThat(properties.path("enableIPForwarding").asBoolean()).isTrue();
        assertThat(properties.at("/networkSecurityGroup/id").asText())
                .isEqualTo(BASE + "Microsoft.Network/networkSecurityGroups/east-nsg");
        assertThat(properties.at("/ipConfigurations/0/properties/subnet/id").asText())
                .isEqualTo(BASE + "Microsoft.Network/virtualNetworks/east-vnet/subnets/hosts");
        assertThat(properties.at("/ipConfigurations/0/properties/publicIPAddress/id").asText())
                .isEqualTo(BASE + "Microsoft.Network/publicIPAddresses/east-gateway-ip");
    }

    @Test
    void throttledRequestIsRetried() {
        String path = BASE + "Microsoft.Network/publicIPAddresses/east-gateway-ip";
        azure.stubFor(get(urlPathEqualTo(path)).inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(throttled()).willSetStateTo("calm"));
        azure.stubFor(get(urlPathEqualTo(path)).inScenario("throttle").whenScenarioStateIs("calm")
                .willReturn(json(200, """
                        {"name": "east-gateway-ip", "type": "Microsoft.Network/publicIPAddresses",
                         "properties": {"provisioningState": "Succeeded", "ipAddress": "192.0.2.44"}}""")));

        AzureResource ip = facade.get(ResourceKind.PUBLIC_IP_ADDRESS, GROUP, "east-gateway-ip").orElseThrow();

        assertThat(ip.property(AzureResource.PUBLIC_ADDRESS)).contains("192.0.2.44");
        assertThat(azure.findAll(getRequestedFor(urlPathEqualTo(path)))).hasSize(2);
    }

    @Test
    void throttlingThroughEveryRetryBecomesAThrottledError() {
        String path = BASE + "Microsoft.Network/publicIPAddresses/east-gateway-ip";
        azure.stubFor(get(urlPathEqualTo(path)).willReturn(throttled()));

        assertThatThrownBy(() -> facade.get(ResourceKind.PUBLIC_IP_ADDRESS, GROUP, "east-gateway-ip"))
                .isInstanceOfSatisfying(AzureCallException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(429);
                    ExtensionException translated = AzureErrors.translate(failure);
                    assertThat(translated.errorCode()).isEqualTo(AzureErrorCode.THROTTLED);
                    assertThat(translated.getMessage()).contains("read public ip address east-gateway-ip");
                });
        // The first try and three retries.
        assertThat(azure.findAll(getRequestedFor(urlPathEqualTo(path)))).hasSize(4);
    }

    @Test
    void absentResourceIsEmpty() {
        azure.stubFor(get(urlPathEqualTo(BASE + "Microsoft.Compute/virtualMachines/east-gateway"))
                .willReturn(json(404, """
                        {"error": {"code": "ResourceNotFound", "message": "The Resource
                         'Microsoft.Compute/virtualMachines/east-gateway' under resource group 'livcloud-east' was not
                         found."}}""".replace("\n", ""))));

        assertThat(facade.get(ResourceKind.VIRTUAL_MACHINE, GROUP, "east-gateway")).isEmpty();
    }

    @Test
    void azureErrorBodyGivesTheCodeAndMessage() {
        azure.stubFor(put(urlPathEqualTo(BASE + "Microsoft.Compute/virtualMachines/east-gateway"))
                .willReturn(json(409, """
                        {"error": {"code": "SkuNotAvailable", "message": "The requested VM size for resource
                         'Following SKUs have failed for Capacity Restrictions: Standard_D4s_v5' is currently not
                         available in location 'westeurope'."}}""".replace("\n", ""))));

        assertThatThrownBy(() -> facade.createOrUpdate(GROUP, new ResourceRequest.VirtualMachine("east-gateway",
                "westeurope", "Standard_D4s_v5", "Standard", ResourceRequest.Image.parse("Debian:debian-12:12-gen2:latest"),
                "livcloud", "ssh-ed25519 AAAA", "#cloud-config\n", "east-gateway-nic", "east-gateway-osdisk", TAGS)))
                .isInstanceOfSatisfying(AzureCallException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(409);
                    assertThat(failure.providerCode()).isEqualTo("SkuNotAvailable");
                    assertThat(failure.getMessage()).contains("not available in location 'westeurope'");
                    assertThat(AzureErrors.translate(failure).errorCode()).isEqualTo(AzureErrorCode.SIZE_NOT_AVAILABLE);
                });
    }

    @Test
    void resourceGroupDeletionIsFollowedThroughItsLocationHeader() {
        String path = "/subscriptions/" + SUBSCRIPTION + "/resourcegroups/" + GROUP;
        String operation = "/subscriptions/" + SUBSCRIPTION + "/operationresults/eyJqb2JJZCI6IlJFU09VUkNFR1JPVVAi";
        azure.stubFor(delete(urlPathEqualTo(path)).willReturn(aResponse().withStatus(202)
                .withHeader("Location", ARM + operation + "?api-version=2024-11-01")));
        azure.stubFor(get(urlPathEqualTo(operation)).inScenario("deleting").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(202)
                        .withHeader("Location", ARM + operation + "?api-version=2024-11-01"))
                .willSetStateTo("deleted"));
        azure.stubFor(get(urlPathEqualTo(operation)).inScenario("deleting").whenScenarioStateIs("deleted")
                .willReturn(aResponse().withStatus(200)));

        facade.deleteResourceGroup(GROUP);

        assertThat(azure.findAll(deleteRequestedFor(urlPathEqualTo(path)))).hasSize(1);
        assertThat(azure.findAll(getRequestedFor(urlPathEqualTo(operation)))).hasSize(2);
    }

    @Test
    void resourceGroupsAreFoundByTheirTagName() {
        String path = "/subscriptions/" + SUBSCRIPTION + "/resourcegroups";
        azure.stubFor(get(urlPathEqualTo(path)).willReturn(json(200, """
                {"value": [{"id": "/subscriptions/%s/resourceGroups/livcloud-east", "name": "livcloud-east",
                  "location": "westeurope", "tags": {"livcloud:site": "east", "livcloud:created-by": "livcloud"},
                  "properties": {"provisioningState": "Succeeded"}}]}""".formatted(SUBSCRIPTION))));

        List<AzureFacade.ResourceGroup> groups = facade.resourceGroupsTagged("livcloud:site");

        assertThat(groups).containsExactly(new AzureFacade.ResourceGroup("livcloud-east", "westeurope", TAGS));
        assertThat(onlyRequest(getRequestedFor(urlPathEqualTo(path))).queryParameter("$filter").firstValue())
                .isEqualTo("tagName eq 'livcloud:site'");
    }

    @Test
    void sizeOfferCarriesAzuresRestrictions() {
        String path = "/subscriptions/" + SUBSCRIPTION + "/providers/Microsoft.Compute/skus";
        azure.stubFor(get(urlPathEqualTo(path)).willReturn(json(200, """
                {"value": [
                  {"resourceType": "disks", "name": "Standard_LRS", "locations": ["westeurope"], "restrictions": []},
                  {"resourceType": "virtualMachines", "name": "Standard_D4s_v5", "tier": "Standard",
                   "size": "D4s_v5", "family": "standardDSv5Family", "locations": ["westeurope"],
                   "restrictions": [{"type": "Location", "values": ["westeurope"],
                     "restrictionInfo": {"locations": ["westeurope"]}, "reasonCode": "NotAvailableForSubscription"}]}
                ]}""")));

        AzureFacade.SizeOffer offer = facade.sizeOffer("westeurope", "standard_d4s_v5");
        AzureFacade.SizeOffer absent = facade.sizeOffer("westeurope", "Standard_D96s_v5");

        assertThat(offer.offered()).isTrue();
        assertThat(offer.restrictions()).containsExactly("NotAvailableForSubscription in location westeurope");
        assertThat(offer.usable()).isFalse();
        assertThat(absent.offered()).isFalse();
        assertThat(azure.findAll(getRequestedFor(urlPathEqualTo(path))).get(0).queryParameter("$filter").firstValue())
                .isEqualTo("location eq 'westeurope'");
    }

    /**
     * A PUT as Azure answers it: 201 with the resource in state Creating and an Azure-AsyncOperation URL; that URL says
     * InProgress once, then Succeeded; the final GET of the resource returns {@code finalBody}.
     */
    private void stubLongRunningPut(String path, String provider, String finalBody) {
        String operation = operationPath(provider);
        azure.stubFor(put(urlPathEqualTo(path)).willReturn(json(201,
                finalBody.replace("\"Succeeded\"", "\"Creating\""))
                .withHeader("Azure-AsyncOperation", ARM + operation + "?p=opaque&api-version=2024-07-01")));
        azure.stubFor(get(urlPathEqualTo(operation)).inScenario(path).whenScenarioStateIs(Scenario.STARTED).willReturn(json(200, """
                {"startTime": "2026-05-01T10:00:00.0000000+00:00", "status": "InProgress",
                 "name": "6f2b6e3e-0000-4c2e-9d5c-4a7e1b0c5a11"}""")).willSetStateTo("done"));
        azure.stubFor(get(urlPathEqualTo(operation)).inScenario(path).whenScenarioStateIs("done").willReturn(json(200, """
                {"startTime": "2026-05-01T10:00:00.0000000+00:00", "endTime": "2026-05-01T10:00:31.0000000+00:00",
                 "status": "Succeeded", "name": "6f2b6e3e-0000-4c2e-9d5c-4a7e1b0c5a11"}""")));
        azure.stubFor(get(urlPathEqualTo(path)).willReturn(json(200, finalBody)));
    }

    private static String operationPath(String provider) {
        return "/subscriptions/" + SUBSCRIPTION + "/providers/" + provider
                + "/locations/westeurope/operations/6f2b6e3e-0000-4c2e-9d5c-4a7e1b0c5a11";
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(body);
    }

    private static ResponseDefinitionBuilder throttled() {
        return json(429, """
                {"error": {"code": "TooManyRequests", "message": "The request is being throttled."}}""")
                .withHeader("Retry-After", "0");
    }

    private LoggedRequest onlyRequest(RequestPatternBuilder pattern) {
        List<LoggedRequest> requests = azure.findAll(pattern);
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private static JsonNode rule(JsonNode rules, String name) {
        for (JsonNode rule : rules) {
            if (rule.path("name").asText().equals(name)) {
                return rule.path("properties");
            }
        }
        throw new AssertionError("no rule " + name + " in " + rules);
    }
}
