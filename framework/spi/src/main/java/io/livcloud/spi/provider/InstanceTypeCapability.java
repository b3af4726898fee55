package io.livcloud.spi.provider;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Whether hosts of an instance type can run a hypervisor with hardware acceleration; answered by
 * {@link CloudProvider#instanceTypeCapability} and shown by {@code livcloud probe --cloud}.
 *
 * @param instanceType the type asked about, e.g. {@code c8i.large}
 * @param nestedVirtualization the answer
 * @param reasons why, each naming its source (an API field, a documented family list)
 * @param requiredOptions what must be set at launch for the answer to hold, e.g.
 *     {@code CpuOptions.NestedVirtualization=enabled} or {@code securityType=Standard}; name to value
 */
public record InstanceTypeCapability(
        String instanceType,
        NestedVirtualization nestedVirtualization,
        List<String> reasons,
        Map<String, String> requiredOptions) {

    public InstanceTypeCapability {
        Objects.requireNonNull(instanceType, "instanceType is null");
        Objects.requireNonNull(nestedVirtualization, "nestedVirtualization is null");
        reasons = List.copyOf(reasons);
        requiredOptions = Map.copyOf(requiredOptions);
    }

    /** Whether a hypervisor can use hardware acceleration on this type (possibly after setting the options). */
    public boolean hardwareVirtualization() {
        return switch (nestedVirtualization) {
            case BARE_METAL, AVAILABLE_WITH_OPTION, AVAILABLE -> true;
            case UNAVAILABLE, UNKNOWN -> false;
        };
    }
}
