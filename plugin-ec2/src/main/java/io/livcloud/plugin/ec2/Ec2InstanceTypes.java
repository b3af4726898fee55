package io.livcloud.plugin.ec2;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an EC2 instance type can run a hypervisor with hardware acceleration, from what DescribeInstanceTypes says
 * (ProcessorInfo.SupportedArchitectures, BareMetal, Hypervisor, ProcessorInfo.SupportedFeatures), never from a list
 * kept here: AWS adds types and features, and the API is the authority.
 *
 * <ul>
 *   <li>Not {@code x86_64} (Graviton, arm64): unavailable, whatever else it has; LivCloud's guests are x86_64.</li>
 *   <li>{@code *.metal}: the hypervisor runs on the hardware (BareMetal=true).</li>
 *   <li>SupportedFeatures has {@code nested-virtualization} (C8i, M8i, R8i and their flex variants since February
 *       2026): available when launched with {@code CpuOptions.NestedVirtualization=enabled}.</li>
 *   <li>Anything else, Xen (c4 and older) or Nitro without the feature: no VMX in the guest, so only PVM (with a PVM
 *       guest kernel) or software emulation.</li>
 * </ul>
 */
final class Ec2InstanceTypes {

    /** The RunInstances parameter that turns nested virtualization on, and its value. */
    static final String CPU_OPTION = "CpuOptions.NestedVirtualization";
    static final String CPU_OPTION_VALUE = "enabled";
    static final String NESTED_FEATURE = "nested-virtualization";
    static final String X86_64 = "x86_64";

    private Ec2InstanceTypes() {
    }

    /**
     * The capability of a type as the facade describes it.
     *
     * @throws ExtensionException {@link Ec2ErrorCode#UNKNOWN_INSTANCE_TYPE} when the region has no such type
     */
    static InstanceTypeCapability capability(String instanceType, Optional<Ec2Facade.InstanceTypeInfo> described,
            String region) {
        Ec2Facade.InstanceTypeInfo info = described.orElseThrow(() -> new ExtensionException(
                Ec2ErrorCode.UNKNOWN_INSTANCE_TYPE, "EC2 region " + region + " has no instance type '" + instanceType
                        + "' (DescribeInstanceTypes)", "check the spelling (e.g. c8i.large), or whether the type is"
                        + " offered in this region"));
        String source = "DescribeInstanceTypes in " + region + ": ";
        List<String> reasons = new ArrayList<>();
        // The host runs x86 guests with hardware acceleration (qemu-system-x86 and KVM): only an x86_64 CPU can.
        if (!info.architectures().contains(X86_64)) {
            reasons.add(source + "ProcessorInfo.SupportedArchitectures "
                    + (info.architectures().isEmpty() ? "empty" : String.join(", ", info.architectures()))
                    + ": not " + X86_64);
            reasons.add("LivCloud hosts run x86_64 guests with KVM, so they need an x86_64 type (Graviton types"
                    + " such as c7g.metal are arm64); use e.g. c8i.large or m5.metal");
            return new InstanceTypeCapability(instanceType, NestedVirtualization.UNAVAILABLE, reasons, Map.of());
        }
        if (info.bareMetal()) {
            reasons.add(source + "BareMetal=true: the hypervisor runs on the hardware, VMX/SVM included");
            return new InstanceTypeCapability(instanceType, NestedVirtualization.BARE_METAL, reasons, Map.of());
        }
        String hypervisor = info.hypervisor().isEmpty() ? "unknown" : info.hypervisor();
        if (info.supportedFeatures().contains(NESTED_FEATURE)) {
            reasons.add(source + "ProcessorInfo.SupportedFeatures includes " + NESTED_FEATURE + " (hypervisor "
                    + hypervisor + ")");
            reasons.add("EC2 exposes VMX to the guest only when the instance is launched with " + CPU_OPTION + "="
                    + CPU_OPTION_VALUE + " (or ModifyInstanceCpuOptions on a stopped instance); LivCloud sets it");
            return new InstanceTypeCapability(instanceType, NestedVirtualization.AVAILABLE_WITH_OPTION, reasons,
                    Map.of(CPU_OPTION, CPU_OPTION_VALUE));
        }
        reasons.add(source + "BareMetal=false, Hypervisor=" + hypervisor + ", ProcessorInfo.SupportedFeatures "
                + (info.supportedFeatures().isEmpty() ? "empty" : String.join(", ", info.supportedFeatures().stream()
                        .sorted().toList())) + ": no " + NESTED_FEATURE);
        if (hypervisor.equals("xen")) {
            reasons.add("Xen-based types (previous generations such as c4) never expose VMX to guests");
        }
        reasons.add("a hypervisor here runs only with PVM (needs a PVM guest kernel) or software emulation (TCG, much"
                + " slower); for hardware acceleration use a C8i, M8i or R8i type (e.g. c8i.large) or a *.metal type");
        return new InstanceTypeCapability(instanceType, NestedVirtualization.UNAVAILABLE, reasons, Map.of());
    }
}
