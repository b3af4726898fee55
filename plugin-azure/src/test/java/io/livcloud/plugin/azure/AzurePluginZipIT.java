package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.testing.plugin.BuiltPluginZip;
import io.livcloud.testing.plugin.ZipLibraries;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the zip this module builds into a real LivCloud runtime, as an installation's plugins directory does, and
 * creates the provider: the Azure SDK, the JDK HTTP client and DefaultAzureCredential load from the zip's lib/. No
 * call reaches Azure (no location is configured, so the probe answers from the documented list alone).
 */
class AzurePluginZipIT {

    private static final String SETTINGS = "livcloud.extensions.provider.azure.subscription-id ="
            + " \"00000000-0000-0000-0000-00000000a2e0\"";

    @Test
    void builtZipStartsWithTheAzureProvider(@TempDir Path pluginsDirectory, @TempDir Path stateDirectory)
            throws IOException {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory, SETTINGS)) {
            ExtensionStatus extension = BuiltPluginZip.onlyExtension(livCloud, "azure", ExtensionKind.PROVIDER, "azure");
            assertThat(extension.support().supported()).as(extension.support().reason()).isTrue();

            try (CloudProvider provider = livCloud.cloudProvider("azure")) {
                InstanceTypeCapability capability = provider.instanceTypeCapability("Standard_D4s_v5");
                assertThat(capability.hardwareVirtualization()).isTrue();
                assertThat(capability.requiredOptions()).containsEntry("securityProfile.securityType", "Standard");
            }
        }
    }

    @Test
    void zipBringsTheSdkWithoutNettyOrTheHostsLibraries() throws IOException {
        List<String> entries;
        try (ZipFile zip = new ZipFile(System.getProperty("test.plugin.zip"))) {
            entries = zip.stream().map(entry -> entry.getName()).toList();
        }
        assertThat(entries).anyMatch(name -> name.startsWith("lib/azure-resourcemanager-compute-"))
                .anyMatch(name -> name.startsWith("lib/azure-core-http-jdk-httpclient-"))
                .noneMatch(name -> name.contains("netty"));
        ZipLibraries.assertToolkitBundled(ZipLibraries.builtZip(), true);
    }
}
