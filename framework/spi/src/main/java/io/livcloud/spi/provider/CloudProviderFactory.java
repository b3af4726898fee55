package io.livcloud.spi.provider;

import io.livcloud.spi.ExtensionFactory;
import io.livcloud.spi.Setting;
import java.util.List;

/**
 * Creates {@link CloudProvider}s. One per cloud a plugin supports; its {@link #name()} is what a site's
 * {@code provider} key names in configuration ({@code livcloud.sites.<site>.provider = ec2}).
 */
public interface CloudProviderFactory extends ExtensionFactory<CloudProvider> {

    /**
     * The keys a site of this provider may carry besides {@code provider} (e.g. {@code region}, {@code instance-type}),
     * validated by the host in each {@code livcloud.sites.<site>} section like {@link #settings()} are.
     */
    default List<Setting> siteSettings() {
        return List.of();
    }
}
