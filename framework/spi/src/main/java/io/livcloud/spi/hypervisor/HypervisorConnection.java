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

    /**
     * Resumes a paused VM: a migration that failed after the pause leaves the source paused, and the engine's
     * reconciliation resumes the one copy that must run.
     *
     * @throws io.livcloud.spi.ExtensionException if there is no such VM or it cannot be resumed
     * @throws UnsupportedOperationException if this hypervisor cannot
     */
    default void resume(String vmName) {
        throw new UnsupportedOperationException("this hypervisor cannot resume VMs");
    }

    /**
     * Powers a VM off at once (no guest shutdown): for a copy that must not run, e.g. the second one the engine finds
     * after a crash. Does nothing if it is not running; the definition stays.
     *
     * @throws io.livcloud.spi.ExtensionException if there is no such VM or it cannot be stopped
     * @throws UnsupportedOperationException if this hypervisor cannot
     */
    default void stop(String vmName) {
        throw new UnsupportedOperationException("this hypervisor cannot stop VMs");
    }

    /**
     * Removes the definition of a VM that does not run, e.g. the source's once a migration's rollback window has
     * passed. Does nothing if there is no such VM.
     *
     * @throws io.livcloud.spi.ExtensionException if the VM runs or its definition cannot be removed
     * @throws UnsupportedOperationException if this hypervisor cannot
     */
    default void undefine(String vmName) {
        throw new UnsupportedOperationException("this hypervisor cannot remove VM definitions");
    }

    @Override
    void close();
}
