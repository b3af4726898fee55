package io.livcloud.spi;

import io.livcloud.spi.hypervisor.HypervisorFactory;
import io.livcloud.spi.probe.RegisterProbeFactory;
import io.livcloud.spi.provider.CloudProviderFactory;
import io.livcloud.spi.tunnel.TunnelFactory;
import java.util.Optional;

/**
 * The four extension points, with the name each has in configuration ({@code livcloud.extensions.<configName>}) and
 * on the command line.
 */
public enum ExtensionKind {
    /** Sites and hosts in a cloud. */
    PROVIDER("provider", CloudProviderFactory.class),
    /** Encrypted site-to-site channels. */
    TUNNEL("tunnel", TunnelFactory.class),
    /** VMs on a host and their live migration. */
    HYPERVISOR("hypervisor", HypervisorFactory.class),
    /** Whether and how a host can run a hypervisor. */
    REGISTER_PROBE("register-probe", RegisterProbeFactory.class);

    private final String configName;
    private final Class<? extends ExtensionFactory<?>> factoryType;

    ExtensionKind(String configName, Class<? extends ExtensionFactory<?>> factoryType) {
        this.configName = configName;
        this.factoryType = factoryType;
    }

    /** The name in configuration and on the command line, e.g. {@code register-probe}. */
    public String configName() {
        return configName;
    }

    /** The factory interface plugins implement for this kind. */
    public Class<? extends ExtensionFactory<?>> factoryType() {
        return factoryType;
    }

    /** The kind with the given configuration name. */
    public static Optional<ExtensionKind> fromConfigName(String configName) {
        for (ExtensionKind kind : values()) {
            if (kind.configName.equals(configName)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
