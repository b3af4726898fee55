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
 */
public record MigrationRequest(String vmName, String destinationUri, String dataUri, MigrationPolicy policy) {

    public MigrationRequest {
        Objects.requireNonNull(vmName, "vmName is null");
        Objects.requireNonNull(destinationUri, "destinationUri is null");
        Objects.requireNonNull(dataUri, "dataUri is null");
        Objects.requireNonNull(policy, "policy is null");
    }
}
