package io.livcloud.spi.hypervisor;

/** The state of a VM as its hypervisor reports it. */
public enum VmState {
    /** Running (which does not prove the guest is healthy: judge that from the guest). */
    RUNNING,
    /** Paused, e.g. during the switch-over of a migration. */
    PAUSED,
    /** Defined but not running. */
    SHUT_OFF,
    /** Crashed. */
    CRASHED,
    /** Any other state the hypervisor reports. */
    OTHER
}
