package io.livcloud.core.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.pf4j.DefaultPluginManager;
import org.pf4j.Plugin;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginFactory;
import org.pf4j.PluginLoader;
import org.pf4j.PluginRepository;
import org.pf4j.PluginStatusProvider;
import org.pf4j.PluginWrapper;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * PF4J's plugin manager, told exactly which folders to load, with isolated class loaders, and made to record every
 * plugin it cannot load together with the reason (PF4J itself only logs them). A plugin that fails never stops the
 * others from loading.
 */
final class LivCloudPluginManager extends DefaultPluginManager {

    static final String DESCRIPTOR = "plugin.properties";

    // No field initializers: PF4J's constructor calls initialize() (and thus our create* methods) before subclass
    // fields are assigned, so initialization waits until the constructor below has set them.
    private List<Path> pluginFolders;
    private Set<String> disabledPluginIds;
    private Map<Path, String> failures;
    private boolean configured;

    LivCloudPluginManager(List<Path> roots, List<Path> pluginFolders, Set<String> disabledPluginIds, String coreVersion) {
        super(roots);
        this.pluginFolders = List.copyOf(pluginFolders);
        this.disabledPluginIds = Set.copyOf(disabledPluginIds);
        this.failures = new LinkedHashMap<>();
        this.configured = true;
        initialize();
        setSystemVersion(coreVersion);
    }

    @Override
    protected void initialize() {
        if (configured) {
            super.initialize();
        }
    }

    /** Plugin folders PF4J could not load, each with the reason; a plugin folder appears at most once. */
    Map<Path, String> failures() {
        return failures;
    }

    @Override
    protected PluginRepository createPluginRepository() {
        return new PluginRepository() {
            @Override
            public List<Path> getPluginPaths() {
                return pluginFolders;
            }

            @Override
            public boolean deletePluginPath(Path pluginPath) {
                return false;
            }
        };
    }

    @Override
    protected PluginDescriptorFinder createPluginDescriptorFinder() {
        return new PropertiesPluginDescriptorFinder(DESCRIPTOR);
    }

    @Override
    protected PluginLoader createPluginLoader() {
        return new IsolatingPluginLoader(this, new HostSharingClassLoader(getClass().getClassLoader()));
    }

    @Override
    protected PluginFactory createPluginFactory() {
        return LivCloudPluginManager::instantiatePlugin;
    }

    @Override
    protected PluginStatusProvider createPluginStatusProvider() {
        return new PluginStatusProvider() {
            @Override
            public boolean isPluginDisabled(String pluginId) {
                return disabledPluginIds.contains(pluginId);
            }

            @Override
            public void disablePlugin(String pluginId) {
                throw new UnsupportedOperationException("plugins are disabled in configuration: livcloud.plugins.disabled");
            }

            @Override
            public void enablePlugin(String pluginId) {
                throw new UnsupportedOperationException("plugins are enabled in configuration: livcloud.plugins.disabled");
            }
        };
    }

    @Override
    protected PluginWrapper loadPluginFromPath(Path pluginPath) {
        try {
            String problem = descriptorProblem(pluginPath);
            if (problem != null) {
                failures.put(pluginPath, problem);
                return null;
            }
            return super.loadPluginFromPath(pluginPath);
        } catch (RuntimeException | LinkageError e) {
            failures.put(pluginPath, "cannot be loaded: " + Failures.describe(e));
            return null;
        }
    }

    @Override
    protected boolean isPluginValid(PluginWrapper plugin) {
        String requires = plugin.getDescriptor().getRequires();
        boolean valid;
        try {
            valid = super.isPluginValid(plugin);
        } catch (RuntimeException e) {
            failures.put(plugin.getPluginPath(), "plugin.requires '" + requires + "' is not a version range ("
                    + Failures.describe(e) + "); write it like '>=0.1.0 & <0.2.0'");
            return false;
        }
        if (!valid) {
            failures.put(plugin.getPluginPath(), "requires LivCloud " + requires + " (plugin.requires), but this is "
                    + "LivCloud " + getSystemVersion() + "; install a build of the plugin made for LivCloud "
                    + getSystemVersion());
        }
        return valid;
    }

    @Override
    protected void resolvePlugins() {
        try {
            super.resolvePlugins();
        } catch (RuntimeException e) {
            // PF4J resolves all plugins or none; report the reason on each so none looks silently absent.
            String reason = "plugin dependencies cannot be resolved: " + Failures.describe(e);
            for (PluginWrapper plugin : getPlugins()) {
                failures.putIfAbsent(plugin.getPluginPath(), reason);
            }
        }
    }

    /** Checks the descriptor ourselves so each defect gets a message that names the file and the fix. */
    private String descriptorProblem(Path pluginFolder) {
        Path descriptor = pluginFolder.resolve(DESCRIPTOR);
        if (!Files.isRegularFile(descriptor)) {
            return "no plugin descriptor: " + DESCRIPTOR + " is missing; a LivCloud plugin is a folder or zip with "
                    + DESCRIPTOR + " (plugin.id, plugin.version) and lib/*.jar";
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(descriptor)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return DESCRIPTOR + " cannot be read: " + Failures.describe(e);
        }
        for (String key : List.of("plugin.id", "plugin.version")) {
            if (properties.getProperty(key, "").isBlank()) {
                return DESCRIPTOR + " has no " + key + "; add it (the plugins parent pom writes it for you)";
            }
        }
        String pluginId = properties.getProperty("plugin.id").trim();
        PluginWrapper loaded = getPlugin(pluginId);
        if (loaded != null) {
            return "plugin id '" + pluginId + "' is already used by the plugin at " + loaded.getPluginPath()
                    + "; remove one of the two";
        }
        return null;
    }

    private static Plugin instantiatePlugin(PluginWrapper wrapper) {
        String className = wrapper.getDescriptor().getPluginClass();
        if (className == null || className.isBlank() || className.equals(Plugin.class.getName())) {
            // A plugin without lifecycle code needs no class of its own; the descriptor may leave plugin.class empty.
            return new Plugin();
        }
        try {
            Class<?> pluginClass = wrapper.getPluginClassLoader().loadClass(className);
            if (!Plugin.class.isAssignableFrom(pluginClass)) {
                throw new IllegalStateException("plugin.class " + className + " does not extend " + Plugin.class.getName());
            }
            Constructor<?> constructor = pluginClass.getConstructor();
            return (Plugin) constructor.newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("plugin.class " + className + " is not in the plugin's classes or lib/", e);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("plugin.class " + className + " has no public no-argument constructor", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("plugin.class " + className + " cannot be created: "
                    + Failures.describe(e.getCause() != null ? e.getCause() : e), e);
        }
    }
}
