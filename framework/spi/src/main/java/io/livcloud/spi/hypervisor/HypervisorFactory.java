package io.livcloud.spi.hypervisor;

import io.livcloud.spi.ExtensionFactory;

/** Creates {@link Hypervisor}s. Its {@link #name()} is what {@code livcloud.migration.hypervisor} names. */
public interface HypervisorFactory extends ExtensionFactory<Hypervisor> {
}
