package io.livcloud.core.plugin;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pf4j.BasePluginLoader;
import org.pf4j.DefaultPluginClasspath;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * Loads an expanded plugin folder ({@code plugin.properties}, {@code lib/*.jar}, optionally {@code classes/}) into an
 * {@link IsolatedPluginClassLoader}.
 */
final class IsolatingPluginLoader extends BasePluginLoader {

    private final ClassLoader hostSharing;

    IsolatingPluginLoader(PluginManager pluginManager, ClassLoader hostSharing) {
        super(pluginManager, new DefaultPluginClasspath());
        this.hostSharing = hostSharing;
    }

    @Override
    public boolean isApplicable(Path pluginPath) {
        return Files.isDirectory(pluginPath);
    }

    @Override
    protected PluginClassLoader createPluginClassLoader(Path pluginPath, PluginDescriptor pluginDescriptor) {
        return new IsolatedPluginClassLoader(pluginManager, pluginDescriptor, hostSharing);
    }
}
