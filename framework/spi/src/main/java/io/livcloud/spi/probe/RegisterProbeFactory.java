package io.livcloud.spi.probe;

import io.livcloud.spi.ExtensionFactory;

/** Creates {@link RegisterProbe}s. Its {@link #name()} is what {@code livcloud.migration.register-probe} names. */
public interface RegisterProbeFactory extends ExtensionFactory<RegisterProbe> {
}
