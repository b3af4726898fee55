package io.livcloud.core;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.livcloud.PluginState;
import io.livcloud.core.config.ConfigProblem;
import io.livcloud.core.config.LivCloudConfig;
import io.livcloud.core.config.PluginDefaults;
import io.livcloud.core.config.Suggestions;
import io.livcloud.core.plugin.InstalledPlugin;
import io.livcloud.core.plugin.LoadedExtension;
import io.livcloud.core.plugin.PluginRuntime;
import io.livcloud.spi.ExtensionKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Checks the configuration against what the plugins actually provide: every extension section against its declared
 * settings, and every reference (the extensions the migration uses, each site's provider, required plugins) against
 * the started plugins, naming the failed plugin's reason where a reference cannot be met.
 */
final class ConfigurationValidator {

    private ConfigurationValidator() {
    }

    static ValidatedConfiguration validate(LivCloudConfig initial, PluginRuntime runtime, Path stateDirectory,
            List<Path> pluginDirectories) {
        LivCloudConfig config = initial.withPluginDefaults(pluginDefaults(runtime));

        List<ConfigProblem> configProblems = new ArrayList<>(config.validateExtensions(runtime.settingsByKindAndName(),
                runtime.siteSettingsByProvider()));
        config.selectedExtensions().forEach((kind, name) -> {
            String path = "livcloud.migration." + kind.configName();
            checkReference(configProblems, runtime, kind, name, path, config.originOf(path));
        });
        config.sites().values().forEach(site -> checkReference(configProblems, runtime, ExtensionKind.PROVIDER,
                site.provider(), "livcloud.sites." + site.name() + ".provider", site.origin()));
        for (String required : new TreeSet<>(config.requiredPlugins())) {
            checkRequiredPlugin(configProblems, runtime, required, pluginDirectories,
                    config.originOf("livcloud.plugins.required"));
        }
        configProblems.sort(ConfigProblem.ORDER);
        List<String> problems = new ArrayList<>();
        configProblems.forEach(problem -> problems.add(problem.toString()));
        problems.addAll(runtime.problems());
        return new ValidatedConfiguration(config, stateDirectory, pluginDirectories, problems);
    }

    /** Only a plugin's own {@code livcloud} keys count; its bundled libraries may carry reference.conf files too. */
    private static List<PluginDefaults> pluginDefaults(PluginRuntime runtime) {
        List<PluginDefaults> defaults = new ArrayList<>();
        for (InstalledPlugin plugin : runtime.plugins()) {
            if (plugin.state() != PluginState.STARTED || plugin.classLoader().isEmpty()) {
                continue;
            }
            Config reference = ConfigFactory.parseResources(plugin.classLoader().get(), "reference.conf",
                    ConfigParseOptions.defaults().setOriginDescription("reference.conf of plugin " + plugin.id()));
            Config own = reference.hasPath("livcloud")
                    ? reference.getConfig("livcloud").atKey("livcloud")
                    : ConfigFactory.empty();
            Map<ExtensionKind, Set<String>> names = plugin.extensions().stream()
                    .collect(Collectors.groupingBy(LoadedExtension::kind,
                            () -> new EnumMap<>(ExtensionKind.class),
                            Collectors.mapping(LoadedExtension::name, Collectors.toSet())));
            defaults.add(new PluginDefaults(plugin.id(), own, names));
        }
        return defaults;
    }

    private static void checkReference(List<ConfigProblem> problems, PluginRuntime runtime, ExtensionKind kind,
            String name, String path, String origin) {
        List<String> available = runtime.extensions().stream()
                .filter(extension -> extension.kind() == kind)
                .map(LoadedExtension::name)
                .sorted()
                .toList();
        if (available.contains(name)) {
            return;
        }
        StringBuilder problem = new StringBuilder().append(kind.configName()).append(" extension '").append(name)
                .append("' is not provided by any started plugin");
        List<InstalledPlugin> failed = runtime.plugins().stream()
                .filter(plugin -> plugin.state() != PluginState.STARTED)
                .toList();
        List<InstalledPlugin> likely = failed.stream().filter(plugin -> plugin.id().equals(name)).toList();
        if (!likely.isEmpty()) {
            likely.forEach(plugin -> problem.append("; ").append(whyUnavailable(plugin)));
            problems.add(new ConfigProblem(path, problem.toString(), origin));
            return;
        }
        // A near miss is most likely a typo; otherwise any failed plugin may be the one meant, so name them all.
        Suggestions.closest(name, available).ifPresentOrElse(
                suggestion -> problem.append("; did you mean '").append(suggestion).append("'?"),
                () -> {
                    problem.append(available.isEmpty()
                            ? "; no installed plugin provides any " + kind.configName() + " extension"
                            : "; installed: " + String.join(", ", available));
                    failed.forEach(plugin -> problem.append("; ").append(whyUnavailable(plugin)));
                });
        problems.add(new ConfigProblem(path, problem.toString(), origin));
    }

    private static void checkRequiredPlugin(List<ConfigProblem> problems, PluginRuntime runtime, String pluginId,
            List<Path> pluginDirectories, String origin) {
        String path = "livcloud.plugins.required";
        List<InstalledPlugin> matches = runtime.plugins().stream()
                .filter(plugin -> plugin.id().equals(pluginId))
                .toList();
        if (matches.isEmpty()) {
            problems.add(new ConfigProblem(path, "plugin '" + pluginId + "' is required but not installed in "
                    + pluginDirectories + "; copy its zip into one of them", origin));
            return;
        }
        for (InstalledPlugin plugin : matches) {
            if (plugin.state() == PluginState.FAILED) {
                problems.add(new ConfigProblem(path, "plugin '" + pluginId + "' is required but cannot be used: "
                        + plugin.failure().orElseThrow(), origin));
            } else if (plugin.state() == PluginState.DISABLED) {
                problems.add(new ConfigProblem(path, "plugin '" + pluginId + "' is required but disabled "
                        + "(livcloud.plugins.disabled); remove it from one of the two lists", origin));
            }
        }
    }

    private static String whyUnavailable(InstalledPlugin plugin) {
        return plugin.state() == PluginState.DISABLED
                ? "plugin '" + plugin.id() + "' is disabled by livcloud.plugins.disabled"
                : "plugin '" + plugin.id() + "' (" + plugin.path() + ") cannot be used: " + plugin.failure().orElseThrow();
    }
}
