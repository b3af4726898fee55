package io.livcloud.plugin.kvm;

import io.livcloud.spi.hypervisor.Accelerator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code accelerator} setting: how the plugin decides which accelerators a host can actually use.
 *
 * <p>libvirt lists the {@code kvm} domain type whenever {@code /dev/kvm} exists, which proves nothing: a host whose
 * {@code /dev/kvm} is backed by {@code kvm_pvm} (no VMX/SVM) passes KVM's initialisation but cannot run an ordinary
 * guest. So {@link #AUTO} counts KVM only with evidence of hardware virtualization ({@link HardwareVirtualization}),
 * which for this machine is the {@code host} register probe's evidence; {@link #KVM} lets an operator who knows better
 * say so.
 */
enum AcceleratorMode {
    /**
     * KVM when libvirt offers it and the host has VMX or SVM (for this machine: with a hardware KVM backend behind
     * {@code /dev/kvm}); TCG when libvirt offers the {@code qemu} type.
     */
    AUTO,
    /** Trust libvirt: KVM whenever it offers the {@code kvm} domain type, and TCG. */
    KVM,
    /** TCG only, even on a host with working KVM (e.g. to test what emulation-only sites can do). */
    TCG;

    /** The setting's value, e.g. {@code auto}. */
    String settingValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a setting value names. */
    static AcceleratorMode fromSetting(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    /**
     * The accelerators usable on a host.
     *
     * @param capabilities the host's capabilities
     * @param hardwareVirtualization the evidence found for VMX/SVM ({@link HardwareVirtualization#NONE} if none)
     */
    Set<Accelerator> usable(HostCapabilities capabilities, HardwareVirtualization hardwareVirtualization) {
        Set<Accelerator> accelerators = EnumSet.noneOf(Accelerator.class);
        boolean kvmOffered = capabilities.offersNatively("kvm");
        boolean kvm = switch (this) {
            case AUTO -> kvmOffered && hardwareVirtualization != HardwareVirtualization.NONE;
            case KVM -> kvmOffered;
            case TCG -> false;
        };
        if (kvm) {
            accelerators.add(Accelerator.KVM);
        }
        if (capabilities.offersNatively("qemu")) {
            accelerators.add(Accelerator.TCG);
        }
        return accelerators;
    }
}
