package io.livcloud.spi.provider;

/** What a {@link Host} does in its {@link Site}; a small site may have one host in both roles. */
public enum HostRole {
    /** Ends the site-to-site tunnel and routes the VM subnet. */
    GATEWAY,
    /** Runs the VMs. */
    HYPERVISOR
}
