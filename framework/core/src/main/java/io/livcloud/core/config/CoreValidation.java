package io.livcloud.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Checks the core's own part of {@link LivCloudConfig}'s resolved tree: the {@code livcloud} keys, the plugins', the
 * migration's and its policy's, the extension kinds and that each site names a provider. What the installed
 * extensions declare is {@link ExtensionValidation}'s, later, once the plugins are loaded.
 */
final class CoreValidation {

    private static final List<String> SITES = LivCloudConfig.SITES;
    private static final List<String> EXTENSIONS = LivCloudConfig.EXTENSIONS;

    private final Config effective;
    private final SettingChecks checks;
    private final Function<String, String> originOf;

    /**
     * @param effective the merged, resolved tree holding only {@code livcloud}
     * @param originOf where the value at a path was set, for the problems
     */
    CoreValidation(Config effective, SettingChecks checks, Function<String, String> originOf) {
        this.effective = effective;
        this.checks = checks;
        this.originOf = originOf;
    }

    /**
     * Checks the core's keys and returns the tree the accessors read: the effective one with every value that has a
     * problem replaced by its default, so a wrong value is reported once and does no harm.
     */
    Config validate(Config defaults, List<ConfigProblem> found) {
        List<ConfigProblem> coreProblems = new ArrayList<>();
        ConfigValue root = effective.root().get(CoreSettings.ROOT);
        if (!(root instanceof ConfigObject livcloud)) {
            coreProblems.add(new ConfigProblem(CoreSettings.ROOT, "must be an object such as livcloud { log-level = "
                    + "info }; remove what replaces it", originOf.apply(CoreSettings.ROOT)));
            found.addAll(coreProblems);
            return defaults;
        }
        coreProblems.addAll(checks.checkSection(List.of(CoreSettings.ROOT), livcloud, CoreSettings.root()));
        checkObject(livcloud, CoreSettings.PLUGINS, object ->
                coreProblems.addAll(checks.checkSection(ConfigUtil.splitPath(CoreSettings.PLUGINS), object,
                        CoreSettings.plugins())));
        checkObject(livcloud, CoreSettings.MIGRATION, object -> {
            coreProblems.addAll(checks.checkSection(ConfigUtil.splitPath(CoreSettings.MIGRATION), object,
                    CoreSettings.migration()));
            if (object.get("policy") instanceof ConfigObject policy) {
                coreProblems.addAll(checks.checkSection(ConfigUtil.splitPath(CoreSettings.POLICY), policy,
                        CoreSettings.policy()));
            }
        });
        checkObject(livcloud, CoreSettings.EXTENSIONS, object -> checkExtensionKinds(object, coreProblems));
        checkObject(livcloud, CoreSettings.SITES, object -> checkSites(object, coreProblems));
        found.addAll(coreProblems);

        Config core = effective;
        for (ConfigProblem problem : coreProblems) {
            if (!problem.path().isEmpty() && !isUnder(problem.path(), SITES) && !isUnder(problem.path(), EXTENSIONS)) {
                core = core.withoutPath(problem.path());
            }
        }
        // A null unsets a value, so the default applies; parents first, so a null section goes before its keys.
        for (Map.Entry<String, List<Setting>> section : CoreSettings.sections().entrySet()) {
            for (Setting setting : section.getValue()) {
                String path = section.getKey() + "." + setting.key();
                if (core.hasPathOrNull(path) && core.getIsNull(path)) {
                    core = core.withoutPath(path);
                }
            }
        }
        return core.withFallback(defaults);
    }

    private static void checkObject(ConfigObject livcloud, String path, Consumer<ConfigObject> check) {
        ConfigValue value = livcloud.get(ConfigUtil.splitPath(path).get(1));
        if (value instanceof ConfigObject object) {
            check.accept(object);
        }
    }

    private void checkExtensionKinds(ConfigObject extensions, List<ConfigProblem> found) {
        List<String> kinds = Stream.of(ExtensionKind.values()).map(ExtensionKind::configName).toList();
        for (String kind : new TreeSet<>(extensions.keySet())) {
            String path = ConfigUtil.joinPath(SettingChecks.append(EXTENSIONS, kind));
            ConfigValue value = extensions.get(kind);
            if (!kinds.contains(kind)) {
                found.add(new ConfigProblem(path, Suggestions.closest(kind, kinds)
                        .map(suggestion -> "unknown extension kind; did you mean '" + suggestion + "'?")
                        .orElse("unknown extension kind; use one of: " + String.join(", ", kinds)),
                        originOf.apply(path)));
            } else if (value instanceof ConfigObject sections) {
                for (String name : new TreeSet<>(sections.keySet())) {
                    String sectionPath = ConfigUtil.joinPath(SettingChecks.append(
                            SettingChecks.append(EXTENSIONS, kind), name));
                    checks.sectionProblem(sections.get(name)).ifPresent(message ->
                            found.add(new ConfigProblem(sectionPath, message, originOf.apply(sectionPath))));
                }
            } else {
                checks.sectionProblem(value)
                        .ifPresent(message -> found.add(new ConfigProblem(path, message, originOf.apply(path))));
            }
        }
    }

    private void checkSites(ConfigObject sites, List<ConfigProblem> found) {
        for (String name : new TreeSet<>(sites.keySet())) {
            List<String> path = LivCloudConfig.sitePath(name);
            String joined = ConfigUtil.joinPath(path);
            ConfigValue value = sites.get(name);
            if (!(value instanceof ConfigObject site)) {
                checks.sectionProblem(value)
                        .ifPresent(message -> found.add(new ConfigProblem(joined, message, originOf.apply(joined))));
                continue;
            }
            found.addAll(checks.checkRequired(path, site.toConfig(), List.of(CoreSettings.siteProvider()),
                    originOf.apply(joined)));
            ConfigValue provider = site.get(CoreSettings.PROVIDER);
            if (provider != null) {
                String providerPath = ConfigUtil.joinPath(SettingChecks.append(path, CoreSettings.PROVIDER));
                checks.typeProblem(provider, CoreSettings.siteProvider()).ifPresent(message ->
                        found.add(new ConfigProblem(providerPath, message, originOf.apply(providerPath))));
            }
        }
    }

    private static boolean isUnder(String path, List<String> section) {
        List<String> elements = ConfigUtil.splitPath(path);
        return elements.size() >= section.size() && elements.subList(0, section.size()).equals(section);
    }
}
