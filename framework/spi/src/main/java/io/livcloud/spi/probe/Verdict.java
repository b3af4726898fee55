package io.livcloud.spi.probe;

/** Whether and how a host can run a hypervisor. */
public enum Verdict {
    /** Hardware virtualization (VMX/SVM, nested or bare metal): guests run at near-native speed. */
    HARDWARE,
    /** KVM without VMX/SVM through PVM: only guests with a PVM-enabled kernel run accelerated. */
    PVM,
    /** Software emulation (TCG) only: any guest runs, slowly. */
    SOFTWARE,
    /** No hypervisor can run here. */
    NONE
}
