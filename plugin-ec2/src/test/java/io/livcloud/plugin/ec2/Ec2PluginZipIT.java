package io.livcloud.plugin.ec2;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.testing.plugin.BuiltPluginZip;
import io.livcloud.testing.plugin.ZipLibraries;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does, and
 * drives the AWS SDK inside the plugin's class loader against WireMock on 127.0.0.1 (endpoint-override), with fake
 * credentials from the SDK's default chain (the aws.* system properties).
 */
class Ec2PluginZipIT {

    @RegisterExtension
    static WireMockExtension ec2 = WireMockExtension.newInstance()
            // Loopback only: the fake EC2 must not be reachable from other machines while the tests run.
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

    @BeforeEach
    void fakeCredentials() {
        System.setProperty("aws.accessKeyId", "AKIAIOSFODNN7EXAMPLE");
        System.setProperty("aws.secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    }

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    private String config() {
        return "livcloud.extensions.provider.ec2 { region = \"eu-west-1\", endpoint-override = \"" + "http://127.0.0.1:" + ec2.getPort()
                + "\", max-attempts = 1 }\n"
                + "livcloud.sites.east { provider = ec2, vm-subnet = \"10.99.20.0/24\","
                + " operator-cidr = \"198.51.100.7/32\" }\n";
    }

    private static void answer(String action, String body) {
        ec2.stubFor(post("/").withFormParam("Action", equalTo(action)).willReturn(aResponse()
                .withHeader("Content-Type", "text/xml;charset=UTF-8").withBody(Ec2Xml.response(action, body))));
    }

    @Test
    void builtZipStartsWithTheEc2Provider(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "ec2", ExtensionKind.PROVIDER, "ec2");
            assertThat(extension.support().supported()).isTrue();
        }
    }

    @Test
    void zipBringsTheToolkitWithItsSshPartAndNotTheHostsLibraries() {
        ZipLibraries.assertToolkitBundled(ZipLibraries.builtZip(), true);
    }

    @Test
    void instanceTypeCapabilityThroughTheSdkInsideThePlugin(@TempDir Path pluginsDirectory,
            @TempDir Path stateDirectory) throws IOException {
        answer("DescribeInstanceTypes", "<instanceTypeSet><item><instanceType>c8i.large</instanceType>"
                + "<bareMetal>false</bareMetal><hypervisor>nitro</hypervisor><processorInfo><supportedArchitectures>"
                + "<item>x86_64</item></supportedArchitectures><supportedFeatures><item>nested-virtualization</item>"
                + "</supportedFeatures></processorInfo></item></instanceTypeSet>");

        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory, config());
                CloudProvider provider = livCloud.cloudProvider("ec2")) {
            InstanceTypeCapability capability = provider.instanceTypeCapability("c8i.large");

            assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
            assertThat(capability.requiredOptions()).containsEntry("CpuOptions.NestedVirtualization", "enabled");
            assertThat(capability.reasons().get(0)).contains("DescribeInstanceTypes in eu-west-1");
        }
        assertThat(ec2.getAllServeEvents()).singleElement().satisfies(event -> assertThat(event.getRequest()
                .getBodyAsString()).contains("Action=DescribeInstanceTypes", "InstanceType.1=c8i.large"));
    }

    @Test
    void aSiteThatDoesNotExistIsTornDownAsNothingToDo(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        for (String describe : new String[] {"DescribeInstances:reservationSet", "DescribeAddresses:addressesSet",
                "DescribeKeyPairs:keySet", "DescribeSecurityGroups:securityGroupInfo",
                "DescribeRouteTables:routeTableSet", "DescribeInternetGateways:internetGatewaySet",
                "DescribeSubnets:subnetSet", "DescribeVpcs:vpcSet"}) {
            String[] parts = describe.split(":");
            answer(parts[0], "<" + parts[1] + "/>");
        }

        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory, config())) {
            TeardownReport report = livCloud.tearDownSite("east", true);

            assertThat(report.removed()).isEmpty();
            assertThat(report.complete()).isTrue();
            assertThat(livCloud.describeSite("east")).isEmpty();
        }
        assertThat(ec2.getAllServeEvents()).isNotEmpty().allSatisfy(event -> assertThat(event.getRequest().getBodyAsString())
                .contains("tag%3Alivcloud%3Asite", "Value.1=east"));
    }
}
