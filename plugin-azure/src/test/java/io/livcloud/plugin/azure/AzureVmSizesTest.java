package io.livcloud.plugin.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AzureVmSizesTest {

    @ParameterizedTest
    @CsvSource({
            "Standard_D4s_v5, Dsv5",
            "Standard_D2_v3, Dv3",
            "Standard_E8-4ds_v5, Edsv5",
            "standard_d4as_v5, Dasv5",
            "Standard_NC6s_v3, NCsv3",
            "Standard_DC2s_v3, DCsv3",
            "Standard_B2s, Bs",
            "Standard_D2_v2, Dv2"})
    void seriesIsNamedAsTheDocumentationNamesIt(String size, String series) {
        assertThat(AzureVmSizes.seriesOf(size)).contains(series);
    }

    @Test
    void theIssuesExampleIsAvailableWithSecurityTypeStandard() {
        InstanceTypeCapability capability = AzureVmSizes.capability("Standard_D4s_v5");

        assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
        assertThat(capability.hardwareVirtualization()).isTrue();
        assertThat(capability.requiredOptions()).isEqualTo(Map.of("securityProfile.securityType", "Standard"));
        assertThat(capability.reasons()).anySatisfy(reason -> assertThat(reason).contains("Dsv5").contains("learn.microsoft.com"));
        assertThat(capability.reasons()).anySatisfy(reason -> assertThat(reason).contains("Trusted Launch"));
    }

    @ParameterizedTest
    @CsvSource({"Standard_D2_v3", "Standard_D8s_v3", "Standard_E4_v3", "Standard_E16s_v3", "Standard_E4-2s_v5",
            "Standard_D16as_v5", "Standard_D2ls_v5", "STANDARD_D4S_V5"})
    void documentedSeriesAreAllowed(String size) {
        assertThat(AzureVmSizes.capability(size).nestedVirtualization())
                .isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
    }

    @ParameterizedTest
    @CsvSource({"Standard_D2_v2", "Standard_D4as_v4", "Standard_D4ps_v5"})
    void seriesDocumentedWithoutNestedVirtualizationAreRefusedWithTheirSource(String size) {
        InstanceTypeCapability capability = AzureVmSizes.capability(size);

        assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.UNAVAILABLE);
        assertThat(capability.requiredOptions()).isEmpty();
        assertThat(capability.reasons().get(0)).contains("Not").contains("learn.microsoft.com");
        assertThat(capability.reasons().get(1)).contains("Dsv5");
    }

    @ParameterizedTest
    @CsvSource({"Standard_NC6s_v3", "Standard_ND40rs_v2", "Standard_NV6"})
    void gpuSizesAreRefused(String size) {
        InstanceTypeCapability capability = AzureVmSizes.capability(size);

        assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.UNAVAILABLE);
        assertThat(capability.reasons().get(0)).contains("N-series");
    }

    @Test
    void aSeriesNotInTheListIsUnknownNotGuessed() {
        InstanceTypeCapability capability = AzureVmSizes.capability("Standard_F4s_v2");

        assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.UNKNOWN);
        assertThat(capability.hardwareVirtualization()).isFalse();
        assertThat(capability.reasons().get(0)).contains("Fsv2").contains("Feature support");
    }

    @Test
    void somethingThatIsNotASizeSaysWhatASizeLooksLike() {
        InstanceTypeCapability capability = AzureVmSizes.capability("c8i.large");

        assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.UNKNOWN);
        assertThat(capability.reasons()).singleElement().asString().contains("Standard_D4s_v5");
    }
}
