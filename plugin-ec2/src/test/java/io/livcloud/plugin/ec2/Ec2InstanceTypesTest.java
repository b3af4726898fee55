package io.livcloud.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Ec2InstanceTypesTest {

    private static InstanceTypeCapability capability(Ec2Facade.InstanceTypeInfo info) {
        return Ec2InstanceTypes.capability(info.instanceType(), Optional.of(info), "eu-west-1");
    }

    @Test
    void c4IsXenWithoutNestedVirtualization() {
        InstanceTypeCapability c4 = capability(new Ec2Facade.InstanceTypeInfo("c4.large", false, "xen", Set.of(),
                List.of("x86_64")));
        assertThat(c4.nestedVirtualization()).isEqualTo(NestedVirtualization.UNAVAILABLE);
        assertThat(c4.hardwareVirtualization()).isFalse();
        assertThat(c4.requiredOptions()).isEmpty();
        assertThat(c4.reasons()).anySatisfy(reason -> assertThat(reason).contains("Hypervisor=xen",
                "SupportedFeatures empty", "DescribeInstanceTypes in eu-west-1"))
                .anySatisfy(reason -> assertThat(reason).contains("Xen-based types"))
                .anySatisfy(reason -> assertThat(reason).contains("PVM", "c8i.large", "*.metal"));
    }

    @Test
    void c8iHasItWithTheCpuOption() {
        InstanceTypeCapability c8i = capability(new Ec2Facade.InstanceTypeInfo("c8i.large", false, "nitro",
                Set.of("nested-virtualization"), List.of("x86_64")));
        assertThat(c8i.nestedVirtualization()).isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
        assertThat(c8i.hardwareVirtualization()).isTrue();
        assertThat(c8i.requiredOptions()).isEqualTo(Map.of("CpuOptions.NestedVirtualization", "enabled"));
        assertThat(c8i.reasons().get(0)).contains("SupportedFeatures includes nested-virtualization");
    }

    @Test
    void metalIsBareMetal() {
        InstanceTypeCapability metal = capability(new Ec2Facade.InstanceTypeInfo("m5.metal", true, "", Set.of(),
                List.of("x86_64")));
        assertThat(metal.nestedVirtualization()).isEqualTo(NestedVirtualization.BARE_METAL);
        assertThat(metal.requiredOptions()).isEmpty();
        assertThat(metal.reasons()).singleElement().asString().contains("BareMetal=true");
    }

    @Test
    void anArmMetalTypeIsUnavailableAndSaysWhy() {
        InstanceTypeCapability graviton = capability(new Ec2Facade.InstanceTypeInfo("c7g.metal", true, "", Set.of(),
                List.of("arm64")));
        assertThat(graviton.nestedVirtualization()).isEqualTo(NestedVirtualization.UNAVAILABLE);
        assertThat(graviton.hardwareVirtualization()).isFalse();
        assertThat(graviton.reasons()).anySatisfy(reason -> assertThat(reason).contains(
                "SupportedArchitectures arm64: not x86_64")).anySatisfy(reason -> assertThat(reason).contains(
                "need an x86_64 type"));
    }

    @Test
    void nitroWithoutTheFeatureIsUnavailable() {
        InstanceTypeCapability m5 = capability(new Ec2Facade.InstanceTypeInfo("m5.large", false, "nitro",
                Set.of("amd-sev-snp"), List.of("x86_64")));
        assertThat(m5.nestedVirtualization()).isEqualTo(NestedVirtualization.UNAVAILABLE);
        assertThat(m5.reasons().get(0)).contains("Hypervisor=nitro", "amd-sev-snp");
        assertThat(m5.reasons()).noneMatch(reason -> reason.contains("Xen"));
    }

    @Test
    void anUnknownTypeIsAnErrorNamingTheRegion() {
        assertThatThrownBy(() -> Ec2InstanceTypes.capability("c9x.huge", Optional.empty(), "eu-west-1"))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.UNKNOWN_INSTANCE_TYPE);
                    assertThat(e.getMessage()).contains("eu-west-1", "c9x.huge");
                });
    }
}
