package io.livcloud.plugin.kvm.libvirt;

/** {@code virCPUCompareResult}, without the error value (an error is a {@link LibvirtError}). */
public enum CpuComparison {
    /** The host (or hypervisor) cannot provide the CPU. */
    INCOMPATIBLE,
    /** It provides exactly that CPU. */
    IDENTICAL,
    /** It provides that CPU and more. */
    SUPERSET;

    /** Whether a guest with that CPU can run there. */
    public boolean compatible() {
        return this != INCOMPATIBLE;
    }
}
