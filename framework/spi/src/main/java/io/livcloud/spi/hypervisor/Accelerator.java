package io.livcloud.spi.hypervisor;

/** How a hypervisor runs guest code on a host, from fastest to slowest. */
public enum Accelerator {
    /** KVM on hardware VMX/SVM (bare metal or nested). */
    KVM,
    /** Xen. */
    XEN,
    /** KVM through the PVM backend ({@code kvm_pvm}), without VMX/SVM; guests need a PVM-enabled kernel. */
    KVM_PVM,
    /** QEMU's software emulation (TCG): runs anything, slowly. */
    TCG
}
