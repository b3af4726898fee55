package io.livcloud.spi.tunnel;

import io.livcloud.spi.ExtensionFactory;

/**
 * Creates {@link TunnelDriver}s. Its {@link #name()} is what {@code livcloud.migration.tunnel} names.
 */
public interface TunnelFactory extends ExtensionFactory<TunnelDriver> {
}
