package io.livcloud.core.plugin;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes and jars, then its plugin dependencies, then the shared host
 * packages. The shared packages are always taken from the host, even when a plugin bundles a copy by mistake: two
 * copies of {@code io.livcloud.spi} would make the plugin's factories invisible to the host (ClassCastException).
 */
final class IsolatedPluginClassLoader extends PluginClassLoader {

    static {
        registerAsParallelCapable();
    }

    IsolatedPluginClassLoader(PluginManager pluginManager, PluginDescriptor descriptor, ClassLoader hostSharing) {
        super(pluginManager, descriptor, hostSharing, ClassLoadingStrategy.PDA);
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (HostSharingClassLoader.isShared(className)) {
            return getParent().loadClass(className);
        }
        return super.loadClass(className);
    }
}
