package io.livcloud.spi.provider;

/** How an instance type can run a hypervisor with hardware acceleration, if at all. */
public enum NestedVirtualization {
    /** Bare metal: the hypervisor runs on the hardware. */
    BARE_METAL,
    /** Nested virtualization is available but must be turned on (a CPU option or security type at launch). */
    AVAILABLE_WITH_OPTION,
    /** Nested virtualization is available as the type comes. */
    AVAILABLE,
    /** No hardware virtualization: only PVM (with PVM guest kernels) or software emulation. */
    UNAVAILABLE,
    /** The cloud does not say. */
    UNKNOWN
}
