package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
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
 * <p>This class is the model and its sections; merging and resolving the layers is {@code StackResolution}'s, checking
 * the core's keys {@code CoreValidation}'s and checking the extensions' sections {@code ExtensionValidation}'s.
 *
 * <p>Instances are immutable.
 */
public final class LivCloudConfig {

    static final List<String> SITES = ConfigUtil.splitPath(CoreSettings.SITES);
    static final List<String> EXTENSIONS = ConfigUtil.splitPath(CoreSettings.EXTENSIONS);
    /** Parsed once: it is part of the build and every instance stacks the same one. */
    private static final Layer CORE_REFERENCE = SourceLayers.coreReference();

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
        StackResolution resolution = new StackResolution(environment, this::originOf);
        Config defaults = resolution.resolve(StackResolution.merge(layers.subList(userLayers.size(), layers.size())));
        this.effective = resolution.resolveReporting(StackResolution.merge(layers), defaults, found);
        Config core = new CoreValidation(effective, checks(), this::originOf).validate(defaults, found);

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
}
