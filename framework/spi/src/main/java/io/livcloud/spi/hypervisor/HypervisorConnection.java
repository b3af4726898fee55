package io.livcloud.spi.hypervisor;

import java.util.List;
import java.util.Optional;

/**
 * An open connection to one host's hypervisor. Used by the migration engine from one thread at a time; closed by the
 * caller. Failures are reported as {@link io.livcloud.spi.ExtensionException}.
 */
public interface HypervisorConnection extends AutoCloseable {

    /** The URI this connection was opened with. */
    String uri();

    /** The host's facts: architectures it runs, CPU model, accelerators, memory. */
    HostInfo host();

    /** The VMs defined on the host, running or not. */
    List<VmInfo> listVms();

    /** The VM with this name, if the host has it. */
    default Optional<VmInfo> findVm(String vmName) {
        return listVms().stream().filter(vm -> vm.name().equals(vmName)).findFirst();
    }

    /**
     * Whether {@code vm} (on this host) could run on {@code destination}: architecture (a 64-bit guest needs a host
     * that runs 64-bit guests), CPU model and features, accelerator, memory. Changes nothing.
     */
    Compatibility checkCompatibility(VmInfo vm, HostInfo destination);

    /**
     * Starts a live migration of a running VM from this host and returns at once; the VM keeps running here until
     * the hypervisor switches over.
     *
     * @throws io.livcloud.spi.ExtensionException if the migration cannot start; the VM is then unchanged
     */
    MigrationJob migrate(MigrationRequest request);

    /**
     * The migration of this VM that is in progress on this host, if any: how an orchestrator restarted after a crash
     * finds a job it started before.
     */
    Optional<MigrationJob> activeMigration(String vmName);

    @Override
    void close();
}
