package io.livcloud.testing.plugin;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.livcloud.core.config.ConfigProblem;
import io.livcloud.core.config.ConfigSources;
import io.livcloud.core.config.LivCloudConfig;
import io.livcloud.core.config.PluginDefaults;
import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionFactory;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import io.livcloud.testing.FakeExtensionConfig;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A plugin's own {@code reference.conf} as the host reads it, for the plugin's unit tests (in the toolkit's
 * {@code tests} jar). Two uses:
 *
 * <ul>
 *   <li>{@link #defaults}: an extension's section filled with the file's defaults, so tests start from the values an
 *       installation has instead of writing the defaults once more;</li>
 *   <li>{@link #of}...{@link #assertAgrees}: the declarations and the file agree, in the manner of Airlift's
 *       {@code ConfigAssertions} and Trino's {@code TestExampleConfig}: every key in the file is a declared setting of
 *       one of the plugin's extensions, every value has its declared type (as the host checks it, bounds and allowed
 *       values included), every setting has a default there unless it is required or declared
 *       {@link TypedSetting#withoutDefault() without one} (and then the file does not set it), and each factory's
 *       {@code settings()} is what its {@link DeclaredSettings} declare.</li>
 * </ul>
 *
 * <p>A test-jar rather than part of the toolkit's own jar: the file is read with the host's configuration code
 * (Typesafe Config, {@link LivCloudConfig}), which plugins have on their test class path only and must never bundle.
 *
 * <p>The file is the one at the root of the class path entry that holds the (first) factory's class, e.g.
 * {@code target/classes/reference.conf}, not any other {@code reference.conf} on the test class path. A test builds
 * one and uses it once; not for sharing between threads.
 */
public final class ReferenceConf {

    /** The plugin's id in problems: the test does not know the one in plugin.properties. */
    private static final String PLUGIN = "under test";
    /** The defaults read so far, by file and factory class: tests ask for them again and again. */
    private static final Map<String, Map<String, Object>> DEFAULTS = new HashMap<>();

    private final URL file;
    private final List<Extension> extensions = new ArrayList<>();

    private ReferenceConf(URL file) {
        this.file = requireNonNull(file, "file is null");
    }

    /**
     * The plugin's file beside the factory's class, to be checked against the factory's declarations; add the
     * plugin's other extensions with {@link #and}.
     */
    public static ReferenceConf of(ExtensionFactory<?> factory, DeclaredSettings settings) {
        return new ReferenceConf(besideClassOf(factory)).and(factory, settings);
    }

    /** For a plugin that declares its settings with the SPI's {@link Setting}s directly: none without a default. */
    public static ReferenceConf of(ExtensionFactory<?> factory) {
        return new ReferenceConf(besideClassOf(factory)).and(factory);
    }

    /** The given file (tests of this class). */
    static ReferenceConf at(URL file) {
        return new ReferenceConf(file);
    }

    /** Another extension of the same plugin, whose section is in the same file. */
    public ReferenceConf and(ExtensionFactory<?> factory, DeclaredSettings settings) {
        Set<String> withoutDefault = new TreeSet<>();
        settings.settings().stream().filter(TypedSetting::isWithoutDefault).map(TypedSetting::key)
                .forEach(withoutDefault::add);
        extensions.add(new Extension(factory, settings.declarations(), withoutDefault));
        return this;
    }

    /** Another extension of the same plugin whose settings are the SPI's {@link Setting}s. */
    public ReferenceConf and(ExtensionFactory<?> factory) {
        extensions.add(new Extension(factory, factory.settings(), Set.of()));
        return this;
    }

    /**
     * Asserts that the file and the declarations agree (see the class comment).
     *
     * @throws AssertionError listing every disagreement, one a line
     */
    public void assertAgrees() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new AssertionError("reference.conf (" + file + ") and the declared settings disagree:\n  "
                    + String.join("\n  ", problems));
        }
    }

    /** Every disagreement between the file and the declarations; empty when they agree. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        Config parsed;
        try {
            parsed = parse(file);
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        }
        Map<ExtensionKind, Map<String, List<Setting>>> settings = new EnumMap<>(ExtensionKind.class);
        for (Extension extension : extensions) {
            mismatch(extension.factory().settings(), extension.declarations()).ifPresent(difference -> problems.add(
                    extension.factory().getClass().getSimpleName() + ".settings() is not what its DeclaredSettings"
                            + " declare: " + difference));
            settings.computeIfAbsent(kindOf(extension.factory()), kind -> new LinkedHashMap<>())
                    .put(extension.factory().name(), extension.declarations());
        }
        LivCloudConfig config = load(parsed, settings);
        config.validateExtensions(settings, Map.of()).stream().map(ConfigProblem::toString).forEach(problems::add);
        for (Extension extension : extensions) {
            ExtensionConfig section = config.extensionConfig(kindOf(extension.factory()), extension.factory().name(),
                    extension.declarations());
            for (Setting setting : extension.declarations()) {
                String key = section.path() + "." + setting.key();
                boolean hasDefault = section.has(setting.key());
                boolean withoutDefault = extension.withoutDefault().contains(setting.key());
                if (withoutDefault && hasDefault) {
                    problems.add(key + " is declared without a default, but reference.conf sets it ("
                            + section.origin(setting.key()) + "); drop the value or the declaration's"
                            + " withoutDefault()");
                } else if (!hasDefault && !withoutDefault && !setting.required()) {
                    problems.add(key + " has no default in reference.conf; add one there, or declare the setting"
                            + " required() (the user must set it) or withoutDefault() (leaving it out means"
                            + " something)");
                }
            }
        }
        return problems;
    }

    /**
     * The extension's section as the host hands it over when the user sets nothing: the defaults of the plugin's
     * {@code reference.conf} (beside the factory's class), typed as {@link FakeExtensionConfig} takes them.
     */
    public static FakeExtensionConfig defaults(ExtensionFactory<?> factory) {
        return defaults(factory, besideClassOf(factory));
    }

    /** The section with the defaults of the given file (tests of this class). */
    static FakeExtensionConfig defaults(ExtensionFactory<?> factory, URL file) {
        Map<String, Object> values;
        synchronized (DEFAULTS) {
            values = DEFAULTS.computeIfAbsent(file + " " + factory.getClass().getName(),
                    ignored -> readDefaults(factory, file));
        }
        return new FakeExtensionConfig(section(factory), factory.settings(), values);
    }

    private static Map<String, Object> readDefaults(ExtensionFactory<?> factory, URL file) {
        ExtensionKind kind = kindOf(factory);
        ExtensionConfig section = load(parse(file), Map.of(kind, Map.of(factory.name(), factory.settings())))
                .extensionConfig(kind, factory.name(), factory.settings());
        Map<String, Object> values = new HashMap<>();
        for (Setting setting : factory.settings()) {
            String key = setting.key();
            if (!section.has(key)) {
                continue;
            }
            Object value = setting.secret() ? section.secret(key).orElseThrow() : switch (setting.type()) {
                case STRING, ENUM -> section.string(key).orElseThrow();
                case BOOLEAN -> section.bool(key).orElseThrow();
                case INTEGER -> section.integer(key).orElseThrow();
                case DURATION -> section.duration(key).orElseThrow();
                case BYTES -> section.bytes(key).orElseThrow();
                case PATH -> section.path(key).orElseThrow();
                case STRING_LIST -> section.stringList(key);
                case OBJECT -> section.object(key);
            };
            values.put(key, value);
        }
        return Map.copyOf(values);
    }

    /** How the factory's settings() differ from its declarations, if they do. */
    private static Optional<String> mismatch(List<Setting> returned, List<Setting> declared) {
        List<String> returnedKeys = returned.stream().map(Setting::key).toList();
        List<String> declaredKeys = declared.stream().map(Setting::key).toList();
        if (!returnedKeys.equals(declaredKeys)) {
            return Optional.of("keys " + returnedKeys + ", declared " + declaredKeys);
        }
        for (int i = 0; i < returned.size(); i++) {
            if (!returned.get(i).equals(declared.get(i))) {
                return Optional.of(returned.get(i) + ", declared " + declared.get(i));
            }
        }
        return Optional.empty();
    }

    /** The configuration an installation has with only this plugin and no file of the user's. */
    private static LivCloudConfig load(Config reference, Map<ExtensionKind, Map<String, List<Setting>>> settings) {
        Map<ExtensionKind, Set<String>> names = new EnumMap<>(ExtensionKind.class);
        settings.forEach((kind, byName) -> names.put(kind, byName.keySet()));
        // A fixed home, so that a default under ~/ reads the same on every machine.
        return LivCloudConfig.load(ConfigSources.empty().withEnvironment(Map.of("HOME", "/home/tester")))
                .withPluginDefaults(List.of(new PluginDefaults(PLUGIN, reference, names)));
    }

    private static Config parse(URL file) {
        return ConfigFactory.parseURL(file, ConfigParseOptions.defaults().setAllowMissing(false)
                .setOriginDescription("reference.conf of plugin " + PLUGIN));
    }

    private static String section(ExtensionFactory<?> factory) {
        return "livcloud.extensions." + kindOf(factory).configName() + "." + factory.name();
    }

    private static ExtensionKind kindOf(ExtensionFactory<?> factory) {
        for (ExtensionKind kind : ExtensionKind.values()) {
            if (kind.factoryType().isInstance(factory)) {
                return kind;
            }
        }
        throw new IllegalArgumentException(factory.getClass().getName() + " implements no extension point's factory");
    }

    /**
     * The {@code reference.conf} at the root of the class path entry holding the factory's class: the plugin's own
     * (its libraries may carry files of that name too).
     */
    private static URL besideClassOf(ExtensionFactory<?> factory) {
        Class<?> type = factory.getClass();
        String classFile = type.getName().replace('.', '/') + ".class";
        URL own = requireNonNull(type.getClassLoader().getResource(classFile), "no class file for " + type);
        String location = own.toExternalForm();
        try {
            return URI.create(location.substring(0, location.length() - classFile.length()) + "reference.conf")
                    .toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot locate reference.conf beside " + location, e);
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }

    /**
     * One extension of the plugin.
     *
     * @param factory its factory
     * @param declarations what it declares
     * @param withoutDefault the keys it declares without a default on purpose
     */
    private record Extension(ExtensionFactory<?> factory, List<Setting> declarations, Set<String> withoutDefault) {
    }
}
