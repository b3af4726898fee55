package io.livcloud.spi.hypervisor;

import java.util.Objects;

/**
 * What {@link HypervisorConnection#migrate} is asked to do.
 *
 * @param vmName the VM on the source host
 * @param destinationUri the destination host's hypervisor URI
 * @param dataUri where the migration stream goes, e.g. {@code tcp://10.99.2.2:49152} (an address inside the tunnel);
 *     empty for the hypervisor's choice
 * @param policy how to migrate
 * @param keepSourceDefinition whether the source keeps the VM's (shut-off) definition after a completed migration,
 *     so that it can be rolled back to; the engine removes it when the rollback window has passed
 */
public record MigrationRequest(String vmName, String destinationUri, String dataUri, MigrationPolicy policy,
        boolean keepSourceDefinition) {

    public MigrationRequest {
        Objects.requireNonNull(vmName, "vmName is null");
        Objects.requireNonNull(destinationUri, "destinationUri is null");
        Objects.requireNonNull(dataUri, "dataUri is null");
        Objects.requireNonNull(policy, "policy is null");
    }

    /** A request whose completed migration removes the source's definition. */
    public MigrationRequest(String vmName, String destinationUri, String dataUri, MigrationPolicy policy) {
        this(vmName, destinationUri, dataUri, policy, false);
    }
}
