package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * LivCloud's configuration: the {@code livcloud} tree merged from its layers, highest priority first:
 * <ol>
 *   <li>overrides: {@code CONFIG_FORCE_} environment variables (Typesafe's convention:
 *       {@code CONFIG_FORCE_livcloud_log__level=debug} sets {@code livcloud.log-level}), then system properties
 *       starting with {@code livcloud.}, in the order of Typesafe's {@code ConfigFactory.defaultOverrides()};
 *   <li>an inline HOCON text;
 *   <li>the user's configuration file;
 *   <li>plugins' {@code reference.conf} defaults, each only inside its own extensions' sections;
 *   <li>the core's {@code reference.conf}.
 * </ol>
 * Substitutions such as {@code ${?HOME}} resolve against the tree, then against the environment given in
 * {@link ConfigSources}.
 *
 * <p>Nothing here throws for bad user input: {@link #load} and {@link #withPluginDefaults} collect every problem
 * (with its file and line) and {@link #validateExtensions} adds the extensions' own, so that all can be reported
 * together before anything starts. Where a core value is wrong, the accessors fall back to its default.
 *
 * <p>Instances are immutable.
 */
public final class LivCloudConfig {

    private static final List<String> ROOT = List.of(CoreSettings.ROOT);
    private static final List<String> SITES = ConfigUtil.splitPath(CoreSettings.SITES);
    private static final List<String> EXTENSIONS = ConfigUtil.splitPath(CoreSettings.EXTENSIONS);
    /** Parsed once: it is part of the build and every instance stacks the same one. */
    private static final Layer CORE_REFERENCE = SourceLayers.coreReference();
    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{(\\??)\\s*([^}]+?)\\s*}");

    private final ConfigSources sources;
    private final List<Layer> userLayers;
    private final List<ConfigProblem> loadProblems;
    private final List<Layer> layers;
    private final HomeDirectory home;
    private final Config environment;
    /** The merged, resolved tree holding only {@code livcloud}, as the user wrote it. */
    private final Config effective;
    private final List<ConfigProblem> problems;

    private final Path stateDirectory;
    private final String logLevel;
    private final List<Path> pluginDirectories;
    private final Set<String> disabledPlugins;
    private final Set<String> requiredPlugins;
    private final Map<ExtensionKind, String> selectedExtensions;
    private final Map<String, SiteDefinition> sites;

    private LivCloudConfig(
            ConfigSources sources,
            List<Layer> userLayers,
            List<Layer> pluginLayers,
            List<ConfigProblem> loadProblems) {
        this.sources = sources;
        this.userLayers = userLayers;
        this.loadProblems = loadProblems;
        this.layers = Stream.of(userLayers, pluginLayers, List.of(CORE_REFERENCE))
                .flatMap(List::stream)
                .toList();
        this.home = HomeDirectory.of(sources);
        this.environment = ConfigValueFactory.fromMap(sources.environment(), "environment").toConfig();

        List<ConfigProblem> found = new ArrayList<>(loadProblems);
        Config defaults = resolve(merge(layers.subList(userLayers.size(), layers.size())));
        this.effective = resolveReporting(merge(layers), defaults, found);
        Config core = validateCore(defaults, found);

        this.stateDirectory = home.expand(core.getString("livcloud.state-directory"));
        this.logLevel = core.getString("livcloud.log-level");
        this.pluginDirectories = core.getStringList("livcloud.plugins.directories").stream().map(home::expand)
                .toList();
        this.disabledPlugins = Collections.unmodifiableSet(new TreeSet<>(
                core.getStringList("livcloud.plugins.disabled")));
        this.requiredPlugins = Collections.unmodifiableSet(new TreeSet<>(
                core.getStringList("livcloud.plugins.required")));
        Map<ExtensionKind, String> selected = new EnumMap<>(ExtensionKind.class);
        for (Setting setting : CoreSettings.migration()) {
            String path = CoreSettings.MIGRATION + "." + setting.key();
            Optional<ExtensionKind> kind = ExtensionKind.fromConfigName(setting.key());
            if (kind.isPresent() && core.hasPath(path)) {
                selected.put(kind.get(), core.getString(path));
            }
        }
        this.selectedExtensions = Collections.unmodifiableMap(selected);
        this.sites = sites(core);
        found.sort(ConfigProblem.ORDER);
        this.problems = List.copyOf(found);
    }

    /**
     * Reads the configuration from its sources. Never throws for bad input: a missing file, a syntax error, an
     * unresolved substitution, an unknown or mistyped core key are {@link #problems() problems}.
     */
    public static LivCloudConfig load(ConfigSources sources) {
        requireNonNull(sources, "sources is null");
        List<ConfigProblem> problems = new ArrayList<>();
        List<Layer> userLayers = SourceLayers.userLayers(sources, problems);
        return new LivCloudConfig(sources, userLayers, List.of(), List.copyOf(problems));
    }

    /**
     * This configuration with the given plugins' defaults, replacing any given before. Each plugin's
     * {@code reference.conf} contributes only inside {@code livcloud.extensions.<kind>.<name>} for the extensions it
     * provides; any other key it sets is a problem naming the plugin, and is ignored.
     */
    public LivCloudConfig withPluginDefaults(List<PluginDefaults> defaults) {
        requireNonNull(defaults, "defaults is null");
        List<ConfigProblem> problems = new ArrayList<>(loadProblems);
        List<Layer> plugins = PluginLayers.layers(defaults, environment, problems);
        return new LivCloudConfig(sources, userLayers, plugins, List.copyOf(problems));
    }

    /** Every problem found so far in the core's part of the configuration, by origin file, line, then path. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** The layers used, highest priority first, e.g. {@code configuration file /home/me/.livcloud/livcloud.conf}. */
    public List<String> sources() {
        return layers.stream().map(Layer::description).toList();
    }

    /** Where plugins are looked for; empty when the caller should use its default ({@code <home>/plugins}). */
    public List<Path> pluginDirectories() {
        return pluginDirectories;
    }

    /** The ids of plugins not to load. */
    public Set<String> disabledPlugins() {
        return disabledPlugins;
    }

    /** The ids of plugins whose failure to load must stop startup. */
    public Set<String> requiredPlugins() {
        return requiredPlugins;
    }

    /** Where LivCloud keeps its journal, secrets and expanded plugins, with a leading {@code ~/} expanded. */
    public Path stateDirectory() {
        return stateDirectory;
    }

    /** One of {@link CoreSettings#LOG_LEVELS}. */
    public String logLevel() {
        return logLevel;
    }

    /**
     * The extensions chosen under {@code livcloud.migration}, by kind; only the kinds set there, and never
     * {@link ExtensionKind#PROVIDER}, which each site chooses.
     */
    public Map<ExtensionKind, String> selectedExtensions() {
        return selectedExtensions;
    }

    /** The sites that name a provider, by name; a site without one is a {@link #problems() problem} instead. */
    public Map<String, SiteDefinition> sites() {
        return sites;
    }

    /**
     * Where the value at the path was set, e.g. {@code /home/me/.livcloud/livcloud.conf:12},
     * {@code environment variable CONFIG_FORCE_livcloud_log__level} or {@code reference.conf of plugin kvm:3};
     * empty when no layer sets it.
     */
    public String originOf(String path) {
        requireNonNull(path, "path is null");
        for (Layer layer : layers) {
            Optional<String> origin = layer.originAt(path);
            if (origin.isPresent()) {
                return origin.get();
            }
        }
        return "";
    }

    /**
     * Checks every extension section and every site against what the installed extensions declare, and returns all
     * problems: the core's {@link #problems()} and these, sorted alike.
     *
     * @param settings the installed extensions' settings, by kind and extension name
     * @param siteSettingsByProvider the keys each provider reads in a site section, by provider name
     */
    public List<ConfigProblem> validateExtensions(
            Map<ExtensionKind, Map<String, List<Setting>>> settings,
            Map<String, List<Setting>> siteSettingsByProvider) {
        requireNonNull(settings, "settings is null");
        requireNonNull(siteSettingsByProvider, "siteSettingsByProvider is null");
        List<ConfigProblem> all = new ArrayList<>(problems);
        all.addAll(new ExtensionValidation(this, checks(), settings, siteSettingsByProvider).problems());
        all.sort(ConfigProblem.ORDER);
        return List.copyOf(all);
    }

    /** The section {@code livcloud.extensions.<kind>.<name>}, readable through the given settings only. */
    public ExtensionConfig extensionConfig(ExtensionKind kind, String name, List<Setting> settings) {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(settings, "settings is null");
        List<String> path = extensionPath(kind, name);
        return new TypesafeExtensionConfig(ConfigUtil.joinPath(path), section(path), settings, this::originOf, home);
    }

    /** The section {@code livcloud.migration.policy}, readable through {@link CoreSettings#policy()}. */
    public ExtensionConfig policyConfig() {
        List<String> path = ConfigUtil.splitPath(CoreSettings.POLICY);
        return new TypesafeExtensionConfig(CoreSettings.POLICY, section(path), CoreSettings.policy(), this::originOf,
                home);
    }

    /**
     * The section {@code livcloud.sites.<siteName>}, readable through the given settings (the provider's site
     * settings) and {@code provider}.
     */
    public ExtensionConfig siteConfig(String siteName, List<Setting> siteSettings) {
        requireNonNull(siteName, "siteName is null");
        List<String> path = sitePath(siteName);
        return new TypesafeExtensionConfig(ConfigUtil.joinPath(path), section(path), withProvider(siteSettings),
                this::originOf, home);
    }

    /**
     * The effective {@code livcloud} tree as HOCON, for {@code livcloud config show}: every value of a setting
     * declared secret, and every value under a key whose name says secret (password, passphrase, secret, psk,
     * private-key, token, access-key), shown as {@code ******}.
     */
    public String renderRedacted(Map<ExtensionKind, Map<String, List<Setting>>> settings) {
        return renderRedacted(settings, Map.of());
    }

    /** As {@link #renderRedacted(Map)}, also redacting the secret settings providers declare for site sections. */
    public String renderRedacted(
            Map<ExtensionKind, Map<String, List<Setting>>> settings,
            Map<String, List<Setting>> siteSettingsByProvider) {
        requireNonNull(settings, "settings is null");
        requireNonNull(siteSettingsByProvider, "siteSettingsByProvider is null");
        Set<String> secrets = new HashSet<>();
        settings.forEach((kind, byName) -> byName.forEach((name, declared) ->
                addSecretPaths(extensionPath(kind, name), declared, secrets)));
        sites.values().forEach(site -> addSecretPaths(sitePath(site.name()),
                siteSettingsByProvider.getOrDefault(site.provider(), List.of()), secrets));
        // Comments are left out as well: a user may have commented out an old password.
        return Redaction.redact(effective.root(), secrets).render(ConfigRenderOptions.defaults()
                .setOriginComments(false)
                .setComments(false)
                .setJson(false));
    }

    /** The layers used, never values. */
    @Override
    public String toString() {
        return "LivCloudConfig" + sources();
    }

    Config effective() {
        return effective;
    }

    /** Whether one of the user's layers (overrides, inline text, file) sets the path. */
    Optional<String> userOrigin(String path) {
        return userLayers.stream().flatMap(layer -> layer.originAt(path).stream()).findFirst();
    }

    SettingChecks checks() {
        return new SettingChecks(this::originOf, home);
    }

    /** The section at the path as a config; empty when absent or not an object. */
    Config section(List<String> path) {
        String joined = ConfigUtil.joinPath(path);
        if (!effective.hasPath(joined) || effective.getValue(joined).valueType() != ConfigValueType.OBJECT) {
            return ConfigFactory.empty();
        }
        return effective.getConfig(joined);
    }

    static List<String> extensionPath(ExtensionKind kind, String name) {
        return SettingChecks.append(SettingChecks.append(EXTENSIONS, kind.configName()), name);
    }

    static List<String> sitePath(String siteName) {
        return SettingChecks.append(SITES, siteName);
    }

    /** A site's declared settings: the provider's plus the core's {@code provider}. */
    static List<Setting> withProvider(List<Setting> siteSettings) {
        requireNonNull(siteSettings, "siteSettings is null");
        if (siteSettings.stream().anyMatch(setting -> setting.key().equals(CoreSettings.PROVIDER))) {
            return List.copyOf(siteSettings);
        }
        return Stream.concat(Stream.of(CoreSettings.siteProvider()), siteSettings.stream()).toList();
    }

    private static void addSecretPaths(List<String> section, List<Setting> settings, Set<String> secrets) {
        for (Setting setting : settings) {
            if (setting.secret()) {
                secrets.add(ConfigUtil.joinPath(SettingChecks.keyPath(section, setting.key())));
            }
        }
    }

    private static Config merge(List<Layer> layers) {
        Config merged = ConfigFactory.empty();
        for (Layer layer : layers) {
            merged = merged.withFallback(layer.config());
        }
        return merged;
    }

    private Config resolve(Config config) {
        return config.withFallback(environment).resolve(resolveOptions()).withOnlyPath(CoreSettings.ROOT);
    }

    private static ConfigResolveOptions resolveOptions() {
        // The environment comes from ConfigSources, merged in as the last fallback, never from the process.
        return ConfigResolveOptions.defaults().setUseSystemEnvironment(false);
    }

    /**
     * Resolves the whole stack, reporting every value that cannot be resolved (Typesafe stops at the first) and
     * replacing it by its default.
     */
    private Config resolveReporting(Config stack, Config defaults, List<ConfigProblem> found) {
        Config partial;
        try {
            // Only livcloud: other root keys are reported as unknown, and must not break it (a cycle among them).
            partial = stack.withOnlyPath(CoreSettings.ROOT).withFallback(environment)
                    .resolve(resolveOptions().setAllowUnresolved(true));
        } catch (ConfigException e) {
            found.add(resolutionProblem(e));
            return defaults;
        }
        List<String> unresolved = new ArrayList<>();
        ConfigValue root = partial.root().get(CoreSettings.ROOT);
        if (root instanceof ConfigObject object) {
            collectUnresolved(object, ROOT, partial, unresolved, found);
        }
        for (String path : unresolved) {
            partial = partial.withoutPath(path);
        }
        try {
            return partial.resolve(resolveOptions()).withOnlyPath(CoreSettings.ROOT).withFallback(defaults);
        } catch (ConfigException e) {
            found.add(resolutionProblem(e));
            return defaults;
        }
    }

    private static ConfigProblem resolutionProblem(ConfigException e) {
        return new ConfigProblem("", "cannot be resolved: " + Origins.messageOf(e),
                e.origin() == null ? "" : Origins.describe(e.origin()));
    }

    private void collectUnresolved(
            ConfigObject object,
            List<String> objectPath,
            Config partial,
            List<String> unresolved,
            List<ConfigProblem> found) {
        for (String key : new TreeSet<>(object.keySet())) {
            ConfigValue value = object.get(key);
            List<String> elements = SettingChecks.append(objectPath, key);
            String path = ConfigUtil.joinPath(elements);
            try {
                if (value.valueType() == ConfigValueType.OBJECT) {
                    collectUnresolved((ConfigObject) value, elements, partial, unresolved, found);
                }
            } catch (ConfigException.NotResolved e) {
                unresolved.add(path);
                found.add(new ConfigProblem(path, unresolvedMessage(value.render(), partial), originOf(path)));
            }
        }
    }

    /** Names the substitution that has no value, which Typesafe's partial resolution leaves in place. */
    private static String unresolvedMessage(String rendered, Config partial) {
        Matcher substitution = SUBSTITUTION.matcher(rendered);
        while (substitution.find()) {
            String target = substitution.group(2);
            if (!substitution.group(1).isEmpty() || resolves(partial, target)) {
                continue;
            }
            return "cannot resolve ${" + target + "}: there is no setting " + target + " and no environment variable "
                    + target + "; define one, or write ${?" + target + "} to make it optional";
        }
        return "cannot resolve " + rendered + "; check the substitutions in it";
    }

    private static boolean resolves(Config partial, String path) {
        try {
            return partial.hasPath(path) && partial.getValue(path).valueType() != ConfigValueType.NULL;
        } catch (ConfigException e) {
            return false;
        }
    }

    /**
     * Checks the core's keys and returns the tree the accessors read: the effective one with every value that has a
     * problem replaced by its default, so a wrong value is reported once and does no harm.
     */
    private Config validateCore(Config defaults, List<ConfigProblem> found) {
        SettingChecks checks = checks();
        List<ConfigProblem> coreProblems = new ArrayList<>();
        ConfigValue root = effective.root().get(CoreSettings.ROOT);
        if (!(root instanceof ConfigObject livcloud)) {
            coreProblems.add(new ConfigProblem(CoreSettings.ROOT, "must be an object such as livcloud { log-level = "
                    + "info }; remove what replaces it", originOf(CoreSettings.ROOT)));
            found.addAll(coreProblems);
            return defaults;
        }
        coreProblems.addAll(checks.checkSection(ROOT, livcloud, CoreSettings.root()));
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
        checkObject(livcloud, CoreSettings.EXTENSIONS, object -> checkExtensionKinds(object, checks, coreProblems));
        checkObject(livcloud, CoreSettings.SITES, object -> checkSites(object, checks, coreProblems));
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

    private void checkExtensionKinds(ConfigObject extensions, SettingChecks checks, List<ConfigProblem> found) {
        List<String> kinds = Stream.of(ExtensionKind.values()).map(ExtensionKind::configName).toList();
        for (String kind : new TreeSet<>(extensions.keySet())) {
            String path = ConfigUtil.joinPath(SettingChecks.append(EXTENSIONS, kind));
            ConfigValue value = extensions.get(kind);
            if (!kinds.contains(kind)) {
                found.add(new ConfigProblem(path, Suggestions.closest(kind, kinds)
                        .map(suggestion -> "unknown extension kind; did you mean '" + suggestion + "'?")
                        .orElse("unknown extension kind; use one of: " + String.join(", ", kinds)),
                        originOf(path)));
            } else if (value instanceof ConfigObject sections) {
                for (String name : new TreeSet<>(sections.keySet())) {
                    String sectionPath = ConfigUtil.joinPath(SettingChecks.append(
                            SettingChecks.append(EXTENSIONS, kind), name));
                    checks.sectionProblem(sections.get(name)).ifPresent(message ->
                            found.add(new ConfigProblem(sectionPath, message, originOf(sectionPath))));
                }
            } else {
                checks.sectionProblem(value)
                        .ifPresent(message -> found.add(new ConfigProblem(path, message, originOf(path))));
            }
        }
    }

    private void checkSites(ConfigObject sites, SettingChecks checks, List<ConfigProblem> found) {
        for (String name : new TreeSet<>(sites.keySet())) {
            List<String> path = sitePath(name);
            String joined = ConfigUtil.joinPath(path);
            ConfigValue value = sites.get(name);
            if (!(value instanceof ConfigObject site)) {
                checks.sectionProblem(value)
                        .ifPresent(message -> found.add(new ConfigProblem(joined, message, originOf(joined))));
                continue;
            }
            found.addAll(checks.checkRequired(path, site.toConfig(), List.of(CoreSettings.siteProvider()),
                    originOf(joined)));
            ConfigValue provider = site.get(CoreSettings.PROVIDER);
            if (provider != null) {
                String providerPath = ConfigUtil.joinPath(SettingChecks.append(path, CoreSettings.PROVIDER));
                checks.typeProblem(provider, CoreSettings.siteProvider()).ifPresent(message ->
                        found.add(new ConfigProblem(providerPath, message, originOf(providerPath))));
            }
        }
    }

    private Map<String, SiteDefinition> sites(Config core) {
        Map<String, SiteDefinition> definitions = new TreeMap<>();
        ConfigValue value = core.root().get(CoreSettings.ROOT) instanceof ConfigObject livcloud
                ? livcloud.get(SITES.get(1)) : null;
        if (!(value instanceof ConfigObject siteObjects)) {
            return Map.of();
        }
        SettingChecks checks = checks();
        for (String name : siteObjects.keySet()) {
            if (siteObjects.get(name) instanceof ConfigObject site
                    && site.get(CoreSettings.PROVIDER) != null
                    && site.get(CoreSettings.PROVIDER).valueType() != ConfigValueType.NULL
                    && checks.typeProblem(site.get(CoreSettings.PROVIDER), CoreSettings.siteProvider()).isEmpty()) {
                definitions.put(name, new SiteDefinition(name, site.toConfig().getString(CoreSettings.PROVIDER),
                        originOf(ConfigUtil.joinPath(sitePath(name)))));
            }
        }
        return Collections.unmodifiableMap(definitions);
    }

    private static boolean isUnder(String path, List<String> section) {
        List<String> elements = ConfigUtil.splitPath(path);
        return elements.size() >= section.size() && elements.subList(0, section.size()).equals(section);
    }
}
