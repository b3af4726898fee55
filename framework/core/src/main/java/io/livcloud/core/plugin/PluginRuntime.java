package io.livcloud.core.plugin;

import io.livcloud.PluginState;
import io.livcloud.spi.ExtensionFactory;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import io.livcloud.spi.provider.CloudProviderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.pf4j.PluginWrapper;

/**
 * Finds, loads and starts the plugins in the plugin roots and collects their extension factories, reporting every
 * plugin that cannot be used with its reason instead of failing. Whether a failure matters (because configuration
 * uses the plugin) is decided by the caller.
 */
public final class PluginRuntime implements AutoCloseable {

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final LivCloudPluginManager manager;
    private final List<InstalledPlugin> plugins;
    private final List<String> problems;

    private PluginRuntime(LivCloudPluginManager manager, List<InstalledPlugin> plugins, List<String> problems) {
        this.manager = manager;
        this.plugins = List.copyOf(plugins);
        this.problems = List.copyOf(problems);
    }

    /**
     * Loads and starts every plugin found in {@code roots}.
     *
     * @param roots folders holding plugin folders and plugin zips
     * @param expansionRoot where zips are expanded (keyed by content)
     * @param disabledPluginIds plugins not to load
     * @param coreVersion the version plugins' {@code plugin.requires} is checked against
     */
    public static PluginRuntime start(List<Path> roots, Path expansionRoot, Set<String> disabledPluginIds,
            String coreVersion) {
        List<String> problems = new ArrayList<>();
        List<InstalledPlugin> unreadable = new ArrayList<>();
        Map<Path, Path> folderToInstalledPath = new LinkedHashMap<>();
        PluginArchives archives = new PluginArchives(expansionRoot);
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                problems.add("plugins directory " + root + " does not exist or is not a directory; create it or "
                        + "correct livcloud.plugins.directories (or --plugins-dir)");
                continue;
            }
            for (Path entry : entries(root, problems)) {
                String fileName = entry.getFileName().toString();
                if (Files.isDirectory(entry)) {
                    folderToInstalledPath.put(entry, entry);
                } else if (fileName.toLowerCase().endsWith(".zip")) {
                    try {
                        folderToInstalledPath.put(archives.expand(entry), entry);
                    } catch (IOException | RuntimeException e) {
                        unreadable.add(InstalledPlugin.failed(fileName.replaceFirst("(?i)\\.zip$", ""), "", entry, "",
                                "not a readable plugin zip (" + Failures.describe(e)
                                        + "); replace it with the plugin's release zip"));
                    }
                }
            }
        }

        LivCloudPluginManager manager = new LivCloudPluginManager(roots, List.copyOf(folderToInstalledPath.keySet()),
                disabledPluginIds, coreVersion);
        if (!folderToInstalledPath.isEmpty()) {
            manager.loadPlugins();
            manager.startPlugins();
        }

        List<InstalledPlugin> plugins = new ArrayList<>(unreadable);
        folderToInstalledPath.forEach((folder, installedPath) ->
                plugins.add(inspect(manager, folder, installedPath)));
        List<InstalledPlugin> checked = rejectDuplicateExtensionNames(plugins);
        checked.sort(Comparator.comparing(InstalledPlugin::id).thenComparing(plugin -> plugin.path().toString()));
        return new PluginRuntime(manager, checked, problems);
    }

    /** Every plugin found, in id order. */
    public List<InstalledPlugin> plugins() {
        return plugins;
    }

    /** The extensions of started plugins. */
    public List<LoadedExtension> extensions() {
        return plugins.stream()
                .filter(plugin -> plugin.state() == PluginState.STARTED)
                .flatMap(plugin -> plugin.extensions().stream())
                .toList();
    }

    /** What each started extension declared for its own section, by kind and name. */
    public Map<ExtensionKind, Map<String, List<Setting>>> settingsByKindAndName() {
        Map<ExtensionKind, Map<String, List<Setting>>> settings = new EnumMap<>(ExtensionKind.class);
        for (LoadedExtension extension : extensions()) {
            settings.computeIfAbsent(extension.kind(), kind -> new LinkedHashMap<>())
                    .put(extension.name(), extension.settings());
        }
        return settings;
    }

    /** What each started provider declared for the site sections that name it, by provider name. */
    public Map<String, List<Setting>> siteSettingsByProvider() {
        Map<String, List<Setting>> siteSettings = new LinkedHashMap<>();
        for (LoadedExtension extension : extensions()) {
            if (extension.kind() == ExtensionKind.PROVIDER) {
                siteSettings.put(extension.name(), extension.siteSettings());
            }
        }
        return siteSettings;
    }

    /** Problems that belong to no plugin, e.g. a plugins root that does not exist. */
    public List<String> problems() {
        return problems;
    }

    /** Stops the plugins and closes their class loaders. */
    @Override
    public void close() {
        manager.stopPlugins();
        manager.unloadPlugins();
    }

    private static List<Path> entries(Path root, List<String> problems) {
        try (Stream<Path> listing = Files.list(root)) {
            return listing
                    .filter(path -> !path.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            problems.add("plugins directory " + root + " cannot be read: " + Failures.describe(e));
            return List.of();
        }
    }

    private static InstalledPlugin inspect(LivCloudPluginManager manager, Path folder, Path installedPath) {
        String folderName = installedPath.getFileName().toString().replaceFirst("(?i)\\.zip$", "");
        PluginWrapper wrapper = manager.getPlugins().stream()
                .filter(candidate -> candidate.getPluginPath().equals(folder))
                .findFirst()
                .orElse(null);
        String recorded = manager.failures().get(folder);
        if (wrapper == null) {
            return InstalledPlugin.failed(folderName, "", installedPath, "",
                    recorded != null ? recorded : "was not loaded (see the log with --verbose)");
        }
        String id = wrapper.getPluginId();
        String version = wrapper.getDescriptor().getVersion();
        String description = wrapper.getDescriptor().getPluginDescription();
        if (recorded != null) {
            return InstalledPlugin.failed(id, version, installedPath, description, recorded);
        }
        switch (wrapper.getPluginState()) {
            case STARTED:
                break;
            case DISABLED:
                return new InstalledPlugin(id, version, PluginState.DISABLED, installedPath, description,
                        Optional.empty(), List.of(), Optional.empty());
            case FAILED:
                Throwable cause = wrapper.getFailedException();
                return InstalledPlugin.failed(id, version, installedPath, description, "failed to start: "
                        + (cause == null ? "no reason given" : Failures.describe(cause)));
            default:
                return InstalledPlugin.failed(id, version, installedPath, description,
                        "was not started (state " + wrapper.getPluginState() + ")");
        }
        ClassLoader loader = wrapper.getPluginClassLoader();
        List<LoadedExtension> extensions = new ArrayList<>();
        for (String className : new java.util.TreeSet<>(manager.getExtensionClassNames(id))) {
            try {
                extensions.addAll(instantiate(id, loader.loadClass(className)));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return InstalledPlugin.failed(id, version, installedPath, description,
                        "extension " + className + " cannot be created: " + Failures.describe(e));
            }
        }
        return new InstalledPlugin(id, version, PluginState.STARTED, installedPath, description, Optional.empty(),
                extensions, Optional.of(loader));
    }

    private static List<LoadedExtension> instantiate(String pluginId, Class<?> extensionClass)
            throws ReflectiveOperationException {
        List<LoadedExtension> found = new ArrayList<>();
        Object instance = null;
        for (ExtensionKind kind : ExtensionKind.values()) {
            if (!kind.factoryType().isAssignableFrom(extensionClass)) {
                continue;
            }
            if (instance == null) {
                instance = extensionClass.getConstructor().newInstance();
            }
            ExtensionFactory<?> factory = (ExtensionFactory<?>) instance;
            String name = factory.name();
            if (name == null || !EXTENSION_NAME.matcher(name).matches()) {
                throw new IllegalStateException("its name '" + name + "' is not lower case letters, digits and "
                        + "dashes starting with a letter");
            }
            List<Setting> siteSettings = factory instanceof CloudProviderFactory provider
                    ? provider.siteSettings()
                    : List.of();
            found.add(new LoadedExtension(kind, name, pluginId, factory, factory.settings(), siteSettings));
        }
        return found;
    }

    /**
     * Two started plugins offering the same extension name for one kind would make configuration ambiguous; neither
     * wins silently: both fail, each naming the other.
     */
    private static List<InstalledPlugin> rejectDuplicateExtensionNames(List<InstalledPlugin> plugins) {
        Map<String, List<InstalledPlugin>> providersByExtension = new LinkedHashMap<>();
        for (InstalledPlugin plugin : plugins) {
            for (LoadedExtension extension : plugin.extensions()) {
                providersByExtension
                        .computeIfAbsent(extension.kind().configName() + " extension '" + extension.name() + "'",
                                key -> new ArrayList<>())
                        .add(plugin);
            }
        }
        Map<InstalledPlugin, String> conflicts = new HashMap<>();
        providersByExtension.forEach((extension, providers) -> {
            if (providers.size() < 2) {
                return;
            }
            for (InstalledPlugin plugin : providers) {
                List<String> others = providers.stream()
                        .filter(other -> other != plugin)
                        .map(other -> "'" + other.id() + "' (" + other.path() + ")")
                        .toList();
                conflicts.putIfAbsent(plugin, extension + " is also provided by plugin " + String.join(", ", others)
                        + "; remove one of the plugins");
            }
        });
        List<InstalledPlugin> result = new ArrayList<>();
        for (InstalledPlugin plugin : plugins) {
            String conflict = conflicts.get(plugin);
            result.add(conflict == null ? plugin : plugin.asFailed(conflict));
        }
        return result;
    }
}
