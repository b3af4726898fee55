package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the extension sections, the migration's chosen extensions and the sites against what the installed
 * extensions declare. Required settings are checked only for extensions in use (chosen for migrations, a site's
 * provider, or configured by the user): an installed extension nobody uses must not stop startup.
 */
final class ExtensionValidation {

    private final LivCloudConfig config;
    private final SettingChecks checks;
    private final Map<ExtensionKind, Map<String, List<Setting>>> settings;
    private final Map<String, List<Setting>> siteSettingsByProvider;
    /** The extensions in use, by section path, with the origin to blame for a missing required setting. */
    private final Map<String, Use> used = new LinkedHashMap<>();

    private record Use(ExtensionKind kind, String name, String origin) {
    }

    ExtensionValidation(
            LivCloudConfig config,
            SettingChecks checks,
            Map<ExtensionKind, Map<String, List<Setting>>> settings,
            Map<String, List<Setting>> siteSettingsByProvider) {
        this.config = requireNonNull(config, "config is null");
        this.checks = requireNonNull(checks, "checks is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.siteSettingsByProvider = requireNonNull(siteSettingsByProvider, "siteSettingsByProvider is null");
    }

    List<ConfigProblem> problems() {
        List<ConfigProblem> problems = new ArrayList<>();
        markSelectionsUsed();
        checkSites(problems);
        checkSections(problems);
        for (Map.Entry<String, Use> use : used.entrySet()) {
            Use extension = use.getValue();
            // The user's own section is the place to add the missing key; else where the extension was chosen.
            String origin = config.userOrigin(use.getKey()).orElse(extension.origin());
            List<String> path = LivCloudConfig.extensionPath(extension.kind(), extension.name());
            problems.addAll(checks.checkRequired(path, config.section(path), installed(extension.kind())
                    .get(extension.name()), origin));
        }
        return problems;
    }

    private void markSelectionsUsed() {
        for (Map.Entry<ExtensionKind, String> selection : config.selectedExtensions().entrySet()) {
            ExtensionKind kind = selection.getKey();
            String name = selection.getValue();
            String path = CoreSettings.MIGRATION + "." + kind.configName();
            // A selection no started plugin provides is reported by the core, which knows why a plugin failed.
            if (installed(kind).containsKey(name)) {
                use(kind, name, config.originOf(path));
            }
        }
    }

    private void checkSites(List<ConfigProblem> problems) {
        Set<String> providers = new TreeSet<>(installed(ExtensionKind.PROVIDER).keySet());
        providers.addAll(siteSettingsByProvider.keySet());
        for (SiteDefinition site : config.sites().values()) {
            List<String> path = LivCloudConfig.sitePath(site.name());
            String providerPath = ConfigUtil.joinPath(SettingChecks.append(path, CoreSettings.PROVIDER));
            if (!providers.contains(site.provider())) {
                // The core reports the unknown provider, with the failed plugin's reason if there is one; the site's
                // other keys are that provider's, so checking them would only add noise.
                continue;
            }
            if (installed(ExtensionKind.PROVIDER).containsKey(site.provider())) {
                use(ExtensionKind.PROVIDER, site.provider(), config.originOf(providerPath));
            }
            List<Setting> siteSettings = LivCloudConfig.withProvider(
                    siteSettingsByProvider.getOrDefault(site.provider(), List.of()));
            problems.addAll(checks.checkSection(path, config.section(path).root(), siteSettings));
            problems.addAll(checks.checkRequired(path, config.section(path), siteSettings, site.origin()));
        }
    }

    private void checkSections(List<ConfigProblem> problems) {
        for (ExtensionKind kind : ExtensionKind.values()) {
            List<String> kindPath = ConfigUtil.splitPath(CoreSettings.EXTENSIONS + "." + kind.configName());
            if (!(valueAt(kindPath) instanceof ConfigObject sections)) {
                continue;
            }
            for (String name : new TreeSet<>(sections.keySet())) {
                List<String> path = SettingChecks.append(kindPath, name);
                String joined = ConfigUtil.joinPath(path);
                if (!(sections.get(name) instanceof ConfigObject section)) {
                    continue; // the core has reported that it is not an object
                }
                if (!installed(kind).containsKey(name)) {
                    problems.add(new ConfigProblem(joined, notInstalled(kind, name, installed(kind).keySet()),
                            config.originOf(joined)));
                    continue;
                }
                problems.addAll(checks.checkSection(path, section, installed(kind).get(name)));
                config.userOrigin(joined).ifPresent(origin -> use(kind, name, origin));
            }
        }
    }

    private ConfigValue valueAt(List<String> path) {
        String joined = ConfigUtil.joinPath(path);
        return config.effective().hasPath(joined) ? config.effective().getValue(joined) : null;
    }

    private void use(ExtensionKind kind, String name, String origin) {
        used.putIfAbsent(ConfigUtil.joinPath(LivCloudConfig.extensionPath(kind, name)), new Use(kind, name, origin));
    }

    private Map<String, List<Setting>> installed(ExtensionKind kind) {
        return settings.getOrDefault(kind, Map.of());
    }

    /** "no such extension", with the closest installed name or the installed ones. */
    private static String notInstalled(ExtensionKind kind, String name, Collection<String> installed) {
        String message = "no " + kind.configName() + " extension named '" + name + "' is installed";
        if (installed.isEmpty()) {
            return message + ", nor any other " + kind.configName() + " extension; install a plugin that provides one";
        }
        return Suggestions.closest(name, installed)
                .map(suggestion -> message + "; did you mean '" + suggestion + "'?")
                .orElse(message + "; installed: " + String.join(", ", new TreeSet<>(installed)));
    }
}
