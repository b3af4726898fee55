package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.LibvirtFacade;
import io.livcloud.plugin.kvm.libvirt.LibvirtJavaFacade;
import io.livcloud.plugin.kvm.probe.HostFacts;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.Support;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorFactory;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * The {@code kvm} hypervisor extension: VMs on KVM/QEMU hosts and their live migration, through libvirt
 * (libvirt-java, plus JNA for the calls it lacks). Supported wherever libvirt's client library {@code libvirt.so.0}
 * loads.
 *
 * <p>How the orchestrator reaches a host's libvirtd, so that none of its libvirt connections crosses a network
 * unauthenticated or in plaintext:
 *
 * <ul>
 *   <li>another host, wherever it is (a cloud VM, an own machine, a lab site in SSH mode): only through that host's
 *       access ({@link io.livcloud.spi.hypervisor.Hypervisor#connect(String, io.livcloud.spi.host.HostAccess)}),
 *       which carries libvirt's Unix socket there over the access's own stream (SSH with the pinned host key);
 *   <li>{@link io.livcloud.spi.hypervisor.Hypervisor#connect(String)}: for URIs LivCloud reaches itself, a socket on
 *       this machine or a transport libvirt secures itself ({@code qemu+ssh}, {@code qemu+tls}). A
 *       {@code qemu+tcp} URI is neither: libvirt sends it unauthenticated and in plaintext, so it is only for a
 *       network that never leaves this machine (the lab's namespace mode).
 * </ul>
 *
 * <p>The hypervisors' own peer-to-peer connection for a migration goes where the engine's {@code destinationUri}
 * says: an address inside the site-to-site tunnel, or libvirt's TLS. This plugin does not choose it.
 */
@Extension
public final class KvmHypervisorFactory implements HypervisorFactory {

    private final Supplier<LibvirtFacade> facade;
    private final Supplier<Optional<HostFacts>> localHost;

    /** The factory PF4J instantiates: the real libvirt. */
    public KvmHypervisorFactory() {
        this(LibvirtJavaFacade::new, HardwareVirtualization.THIS_MACHINE);
    }

    /** A factory over another libvirt (tests) and another machine's virtualization facts. */
    KvmHypervisorFactory(Supplier<LibvirtFacade> facade, Supplier<Optional<HostFacts>> localHost) {
        this.facade = facade;
        this.localHost = localHost;
    }

    @Override
    public String name() {
        return "kvm";
    }

    @Override
    public String description() {
        return "KVM/QEMU hosts through libvirt";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return KvmConfig.SETTINGS.declarations();
    }

    @Override
    public Support isSupported(ExtensionConfig config) {
        return facade.get().unavailableReason()
                .map(reason -> Support.no(reason, "apt-get install libvirt0"))
                .orElse(Support.yes());
    }

    /**
     * @throws ExtensionException with {@link KvmErrorCode#LIBVIRT_MISSING} when libvirt cannot be loaded, or
     *     {@link KvmErrorCode#INVALID_SETTING}
     */
    @Override
    public Hypervisor create(ExtensionConfig config, ExtensionContext context) {
        KvmConfig settings = KvmConfig.from(config);
        LibvirtFacade libvirt = facade.get();
        Optional<String> unavailable = libvirt.unavailableReason();
        if (unavailable.isPresent()) {
            throw new ExtensionException(KvmErrorCode.LIBVIRT_MISSING, unavailable.get(), "apt-get install libvirt0");
        }
        return new KvmHypervisor(libvirt, settings, context, localHost);
    }
}
