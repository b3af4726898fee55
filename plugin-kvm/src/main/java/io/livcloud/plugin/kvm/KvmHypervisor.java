package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.libvirt.LibvirtFacade;
import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * KVM/QEMU through libvirt. Opens {@link KvmConnection}s, by URI or through a host's access; remembers the migrations
 * they start so that any connection to the same host finds them again. Closing it closes nothing: connections and
 * migrations belong to their callers.
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
     * Connects to a host LivCloud reaches itself: a daemon on this machine, or one behind a transport libvirt
     * secures itself ({@code qemu+ssh}, {@code qemu+tls}).
     *
     * @param uri a libvirt URI or a socket path (see {@link LibvirtUri}); blank for the {@code uri} setting
     */
    @Override
    public HypervisorConnection connect(String uri) {
        Objects.requireNonNull(uri, "uri is null");
        return open(LibvirtEndpoint.direct(LibvirtUri.of(uri.isBlank() ? settings.uri() : uri), localHost));
    }

    /**
     * Connects to a host's libvirtd at its Unix socket there, through the host's access: a {@link
     * io.livcloud.plugin.toolkit.host.LocalSocketRelay} in this plugin's work directory carries each of libvirt's
     * connections over a stream of {@code host} (for SSH: a channel of the connection whose host key is pinned), so
     * that nothing of it crosses a network on its own. The relay closes once the connection and the migrations it
     * started have ended. {@code accelerator = auto} judges the host by inspecting it through {@code host}, as the
     * register probe does.
     *
     * @param uri as seen on the host: {@code qemu:///system} (libvirt's socket {@value LibvirtUri#SYSTEM_SOCKET}) or
     *     {@code qemu:///system?socket=/path}; blank for the {@code uri} setting
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_URI} for a URI that names another machine or
     *     transport; the host access's own when the host or the socket there cannot be reached; with
     *     {@link KvmErrorCode#CONNECT_FAILED} when libvirt refuses
     */
    @Override
    public HypervisorConnection connect(String uri, HostAccess host) {
        Objects.requireNonNull(uri, "uri is null");
        Objects.requireNonNull(host, "host is null");
        LibvirtUri onHost = LibvirtUri.of(uri.isBlank() ? settings.uri() : uri);
        String socket = onHost.hostSocket();
        // Once here, so that a host or socket that cannot be reached fails with the host access's own words, not as
        // libvirt's "end of file" from a relay whose far side never opened.
        host.openUnixSocket(socket).close();
        return open(LibvirtEndpoint.relayed(onHost, socket, host, context.workDirectory()));
    }

    private KvmConnection open(LibvirtEndpoint endpoint) {
        LibvirtConnection connection;
        try {
            connection = facade.connect(endpoint.reach().value());
        } catch (LibvirtError e) {
            endpoint.release();
            throw new ExtensionException(KvmErrorCode.CONNECT_FAILED,
                    "cannot connect to libvirt at " + endpoint + ": " + endpoint.explain(e.getMessage()),
                    endpoint.connectRemedy(), e);
        } catch (RuntimeException e) {
            endpoint.release();
            throw e;
        }
        return new KvmConnection(facade, connection, endpoint, settings, context, jobs);
    }

    @Override
    public void close() {
        // Nothing of its own to release; running migrations keep their own connections until they end.
    }
}
