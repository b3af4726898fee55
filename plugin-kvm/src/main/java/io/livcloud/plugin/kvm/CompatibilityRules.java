package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.CpuComparison;
import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.Compatibility.Problem;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.VmInfo;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.w3c.dom.Element;

/**
 * Whether a VM can run on a destination host, one rule per {@link Problem#check()}:
 *
 * <ul>
 *   <li>{@code architecture}: the destination must run guests of the VM's architecture. A 64-bit guest needs a host
 *       that runs x86_64 guests; a 32-bit i686 guest may go to a 64-bit host that lists i686 guests.
 *   <li>{@code accelerator}: a {@code kvm} domain needs KVM on the destination (it cannot switch to TCG while it
 *       runs); a {@code qemu} domain needs TCG.
 *   <li>{@code cpu-model}: asked of libvirt on the destination. A {@code kvm} guest runs on the host CPU, so
 *       {@code virConnectCompareCPU} compares its {@code <cpu>} (for {@code host-passthrough}: the source host's
 *       CPU) with the destination host's. A {@code qemu} guest runs on QEMU's emulated CPU, so
 *       {@code virConnectCompareHypervisorCPU} with virttype {@code qemu} answers: TCG emulates most models, but not
 *       every feature (no AVX-512, so not Skylake-Server). A VM without a {@code <cpu>} has QEMU's default model,
 *       which every host runs.
 *   <li>{@code memory}: the destination's free memory must hold the guest's.
 * </ul>
 */
final class CompatibilityRules {

    private CompatibilityRules() {
    }

    static Optional<Problem> architecture(VmInfo vm, HostInfo destination) {
        if (destination.guestArchitectures().contains(vm.architecture())) {
            return Optional.empty();
        }
        String guest = vm.architecture().canonicalName();
        String remedy = vm.architecture().bits() == 64
                ? "choose a destination whose hypervisor runs " + guest + " guests: a 64-bit host"
                : "choose a destination that runs " + guest + " guests: a 64-bit x86 host with qemu-system-i386 "
                        + "(package qemu-system-x86) lists them";
        return Optional.of(new Problem("architecture",
                "VM '" + vm.name() + "' is a " + vm.architecture().bits() + "-bit " + guest + " guest; host '"
                        + destination.hostname() + "' runs only " + names(destination) + " guests",
                remedy));
    }

    static Optional<Problem> accelerator(VmInfo vm, String domainType, HostInfo destination) {
        String host = destination.hostname();
        return switch (domainType) {
            case "kvm" -> destination.accelerators().contains(Accelerator.KVM)
                    ? Optional.empty()
                    : Optional.of(new Problem("accelerator",
                            "VM '" + vm.name() + "' runs under KVM (<domain type='kvm'>); host '" + host
                                    + "' has no usable KVM (no VMX/SVM), only " + destination.accelerators(),
                            "choose a destination with hardware virtualization, or restart the VM as "
                                    + "<domain type='qemu'> (TCG) before moving it: a running guest cannot change "
                                    + "accelerator"));
            case "qemu" -> destination.accelerators().contains(Accelerator.TCG)
                    ? Optional.empty()
                    : Optional.of(new Problem("accelerator",
                            "VM '" + vm.name() + "' runs under QEMU's emulation (<domain type='qemu'>); host '" + host
                                    + "' offers no TCG",
                            "install QEMU there (apt-get install qemu-system-x86), or set accelerator = auto"));
            default -> Optional.of(new Problem("accelerator",
                    "VM '" + vm.name() + "' is a <domain type='" + domainType + "'>; the kvm extension moves only "
                            + "kvm and qemu domains",
                    ""));
        };
    }

    static Optional<Problem> memory(VmInfo vm, HostInfo destination) {
        if (destination.freeMemoryBytes() >= vm.memoryBytes()) {
            return Optional.empty();
        }
        return Optional.of(new Problem("memory",
                "VM '" + vm.name() + "' needs " + Formats.size(vm.memoryBytes()) + "; host '"
                        + destination.hostname() + "' has " + Formats.size(destination.freeMemoryBytes())
                        + " free",
                "free memory on '" + destination.hostname() + "' (stop or move other VMs) or choose another host"));
    }

    /**
     * The CPU rule.
     *
     * @param domain the VM's definition on the source
     * @param sourceHost the source's capabilities (for host-passthrough and the baseline)
     * @param source the source connection, which computes the baseline model for the remedy
     * @param destinationName the destination's hostname, for messages
     * @param destination opens (or returns) a connection to the destination; its failure is itself a problem
     */
    static Optional<Problem> cpu(DomainDefinition domain, HostCapabilities sourceHost, LibvirtConnection source,
            String destinationName, Supplier<LibvirtConnection> destination) {
        DomainDefinition.Cpu cpu = domain.cpu();
        if (cpu.xml().isEmpty()) {
            return Optional.empty();
        }
        String model = cpu.displayName(domain.architecture());
        boolean emulated = domain.type().equals("qemu");
        boolean passthrough = cpu.mode().equals("host-passthrough") || cpu.mode().equals("maximum");
        LibvirtConnection target;
        try {
            target = destination.get();
        } catch (LibvirtError e) {
            return Optional.of(new Problem("cpu-model",
                    "cannot ask host '" + destinationName + "' whether it can run CPU model " + model + ": "
                            + e.getMessage(),
                    "make the destination's libvirt URI reachable from this machine, then check again"));
        }
        CpuComparison comparison;
        try {
            if (emulated) {
                comparison = target.compareHypervisorCpu(domain.architecture(), "qemu", cpu.xml());
            } else {
                comparison = target.compareCpu(passthrough ? sourceHost.hostCpuXml() : cpu.xml());
            }
        } catch (LibvirtError e) {
            return Optional.of(new Problem("cpu-model",
                    "host '" + destinationName + "' cannot judge VM '" + domain.name() + "''s CPU model " + model
                            + ": " + e.getMessage(),
                    "define the VM with a CPU model both hosts' libvirt know (virsh cpu-models "
                            + domain.architecture() + ")"));
        }
        if (comparison.compatible()) {
            return Optional.empty();
        }
        if (emulated) {
            return Optional.of(new Problem("cpu-model",
                    "QEMU's emulation (TCG) on host '" + destinationName + "' cannot provide VM '" + domain.name()
                            + "''s CPU model " + model,
                    "redefine the VM with a model TCG emulates (virsh domcapabilities --virttype qemu lists the "
                            + "usable ones; qemu64 always works) and restart it"));
        }
        String what = passthrough ? "the source host's CPU (" + cpu.mode() + ")" : "CPU model " + model;
        return Optional.of(new Problem("cpu-model",
                "host '" + destinationName + "' cannot provide VM '" + domain.name() + "''s " + what,
                baselineRemedy(sourceHost, source, target)));
    }

    private static String baselineRemedy(HostCapabilities sourceHost, LibvirtConnection source,
            LibvirtConnection destination) {
        String generic = "redefine the VM with a CPU model both hosts provide (virsh hypervisor-cpu-baseline) and "
                + "restart it";
        try {
            String destinationCpu = HostCapabilities.parse(destination.capabilitiesXml()).hostCpuXml();
            Element baseline = LibvirtXml.parse(source.baselineCpu(List.of(sourceHost.hostCpuXml(), destinationCpu)),
                    "the baseline CPU");
            return LibvirtXml.child(baseline, "model").flatMap(LibvirtXml::text)
                    .map(model -> "redefine the VM with <cpu mode='custom' match='exact'><model>" + model
                            + "</model></cpu>, the model both hosts provide, and restart it")
                    .orElse(generic);
        } catch (LibvirtError | IllegalArgumentException e) {
            return generic;
        }
    }

    private static String names(HostInfo host) {
        return host.guestArchitectures().isEmpty()
                ? "no"
                : String.join("/", host.guestArchitectures().stream().map(a -> a.canonicalName()).sorted().toList());
    }
}
