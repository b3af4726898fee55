package io.livcloud.plugin.kvm;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import io.livcloud.spi.Support;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorFactory;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code kvm} hypervisor extension: VMs on KVM/QEMU hosts and their live migration, through libvirt.
 *
 * <p>Not implemented in LivCloud 0.1.0. The plugin ships now so that its settings are declared and validated and
 * {@code livcloud plugins} lists it; until libvirt support lands, {@link #isSupported} says so and {@link #create}
 * throws {@link KvmErrorCode#NOT_IMPLEMENTED} rather than pretending to work.
 */
@Extension
public final class KvmHypervisorFactory implements HypervisorFactory {

    private static final String NOT_IMPLEMENTED =
            "the kvm hypervisor extension is not implemented in LivCloud 0.1.0 yet";

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
        return List.of(
                Setting.required("uri", SettingType.STRING,
                        "The libvirt connection URI of the hypervisor, e.g. qemu+ssh://root@10.0.0.2/system."));
    }

    @Override
    public Support isSupported(ExtensionConfig config) {
        return Support.no(NOT_IMPLEMENTED, "");
    }

    /**
     * Always throws until the libvirt implementation lands.
     *
     * @throws ExtensionException always, with {@link KvmErrorCode#NOT_IMPLEMENTED}
     */
    @Override
    public Hypervisor create(ExtensionConfig config, ExtensionContext context) {
        throw new ExtensionException(KvmErrorCode.NOT_IMPLEMENTED, NOT_IMPLEMENTED, "");
    }
}
