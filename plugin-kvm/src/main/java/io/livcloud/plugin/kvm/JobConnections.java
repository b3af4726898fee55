package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A migration job's libvirt connections to the source, its own (so the caller may close its {@link KvmConnection}
 * meanwhile): one carries only the blocking migrate call, the other every query and control call, one at a time. With
 * libvirt 9.0, concurrent calls on the connection that runs the migration sometimes never returned until the
 * migration ended, which made a job blind and deaf to abort.
 *
 * <p>The job closes both once, when it ends; a call made from another thread after that finds the control connection
 * closed rather than a closed socket.
 */
final class JobConnections {

    private final String vmName;
    private final LibvirtConnection control;
    /** Null for a job found running in libvirt: this process makes no migrate call for it. */
    private final LibvirtConnection stream;
    private final System.Logger logger;
    private final ReentrantLock controlLock = new ReentrantLock();
    private boolean controlClosed;

    /**
     * @param control for queries and control, owned from now on
     * @param stream for the migrate call only, owned from now on; null when the job makes no migrate call
     */
    JobConnections(String vmName, LibvirtConnection control, LibvirtConnection stream, System.Logger logger) {
        this.vmName = Objects.requireNonNull(vmName, "vmName is null");
        this.control = Objects.requireNonNull(control, "control is null");
        this.stream = stream;
        this.logger = Objects.requireNonNull(logger, "logger is null");
    }

    /**
     * {@code virDomainMigrateToURI3} on the stream connection: returns when the migration ended.
     *
     * @throws LibvirtError when it failed or was cancelled
     */
    void migrate(String destinationUri, LibvirtMigrationCall call) {
        stream.migrate(vmName, destinationUri, call.parameters(), call.flags());
    }

    /** Runs a call on the control connection, one at a time, unless the job has closed it (then empty). */
    <T> Optional<T> ifOpen(Function<LibvirtConnection, T> call) {
        controlLock.lock();
        try {
            return controlClosed ? Optional.empty() : Optional.ofNullable(call.apply(control));
        } finally {
            controlLock.unlock();
        }
    }

    /** A call on the control connection from the job's own thread, which alone closes it, after its last call. */
    <T> T onControl(Function<LibvirtConnection, T> call) {
        controlLock.lock();
        try {
            if (controlClosed) {
                throw new IllegalStateException("the connection of the job migrating '" + vmName + "' is closed");
            }
            return call.apply(control);
        } finally {
            controlLock.unlock();
        }
    }

    /** Closes both connections, the control one once no call runs on it. */
    void close() {
        controlLock.lock();
        try {
            controlClosed = true;
            close(control);
        } finally {
            controlLock.unlock();
        }
        if (stream != null) {
            close(stream);
        }
    }

    private void close(LibvirtConnection connection) {
        try {
            connection.close();
        } catch (LibvirtError e) {
            logger.log(Level.DEBUG, "closing a libvirt connection of the job: {0}", e.getMessage());
        }
    }
}
