package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.libvirt.LibvirtFacade;
import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * KVM/QEMU through libvirt. Opens {@link KvmConnection}s; remembers the migrations they start so that any connection
 * to the same host finds them again. Closing it closes nothing: connections and migrations belong to their callers.
 */
final class KvmHypervisor implements Hypervisor {

    private final LibvirtFacade facade;
    private final KvmConfig settings;
    private final ExtensionContext context;
    private final Supplier<Optional<HostFacts>> localHost;
    private final ConcurrentMap<String, KvmMigrationJob> jobs = new ConcurrentHashMap<>();

    /**
     * @param localHost this machine's virtualization facts as the host register probe finds them (tests substitute
     *     them)
     */
    KvmHypervisor(LibvirtFacade facade, KvmConfig settings, ExtensionContext context,
            Supplier<Optional<HostFacts>> localHost) {
        this.facade = Objects.requireNonNull(facade, "facade is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.context = Objects.requireNonNull(context, "context is null");
        this.localHost = Objects.requireNonNull(localHost, "localHost is null");
    }

    /**
     * Connects to a host.
     *
     * @param uri a libvirt URI or a socket path (see {@link LibvirtUri}); blank for the {@code uri} setting
     */
    @Override
    public HypervisorConnection connect(String uri) {
        Objects.requireNonNull(uri, "uri is null");
        LibvirtUri libvirtUri = LibvirtUri.of(uri.isBlank() ? settings.uri() : uri);
        LibvirtConnection connection;
        try {
            connection = facade.connect(libvirtUri.value());
        } catch (LibvirtError e) {
            throw new ExtensionException(KvmErrorCode.CONNECT_FAILED,
                    "cannot connect to libvirt at " + libvirtUri + ": " + e.getMessage(),
                    libvirtUri.connectRemedy(), e);
        }
        return new KvmConnection(facade, connection, libvirtUri, settings, context, localHost, jobs);
    }

    @Override
    public void close() {
        // Nothing of its own to release; running migrations keep their own connections until they end.
    }
}
