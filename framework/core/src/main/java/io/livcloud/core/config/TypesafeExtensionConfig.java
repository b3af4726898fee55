package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Secret;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An extension's (or a site's) configuration section over the merged, resolved Typesafe tree. Only declared settings
 * can be read, each only with the reader for its declared type, and a secret only as a {@link Secret}: the
 * declaration is what validation checked and what redaction relies on, so reading around it is a bug.
 */
public final class TypesafeExtensionConfig implements ExtensionConfig {

    private final String path;
    private final Config section;
    private final Map<String, Setting> settings;
    private final Function<String, String> originOf;
    private final HomeDirectory home;

    /**
     * @param path the section's absolute path
     * @param section the section's content, empty when the section is absent
     * @param settings the settings declared for the section
     * @param originOf the origin of the value at an absolute path
     * @param home expands a leading {@code ~/} in paths
     */
    TypesafeExtensionConfig(
            String path,
            Config section,
            List<Setting> settings,
            Function<String, String> originOf,
            HomeDirectory home) {
        this.path = requireNonNull(path, "path is null");
        this.section = requireNonNull(section, "section is null");
        Map<String, Setting> byKey = new LinkedHashMap<>();
        requireNonNull(settings, "settings is null").forEach(setting -> byKey.put(setting.key(), setting));
        this.settings = Collections.unmodifiableMap(byKey);
        this.originOf = requireNonNull(originOf, "originOf is null");
        this.home = requireNonNull(home, "home is null");
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean has(String key) {
        declared(key);
        return section.hasPath(key);
    }

    @Override
    public Optional<String> string(String key) {
        return read(key, EnumSet.of(SettingType.STRING, SettingType.ENUM, SettingType.PATH), "string", Config::getString);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return read(key, EnumSet.of(SettingType.BOOLEAN), "bool", Config::getBoolean);
    }

    @Override
    public OptionalLong integer(String key) {
        return toOptionalLong(read(key, EnumSet.of(SettingType.INTEGER), "integer", Config::getLong));
    }

    @Override
    public Optional<Duration> duration(String key) {
        return read(key, EnumSet.of(SettingType.DURATION), "duration", Config::getDuration);
    }

    @Override
    public OptionalLong bytes(String key) {
        return toOptionalLong(read(key, EnumSet.of(SettingType.BYTES), "bytes", Config::getBytes));
    }

    @Override
    public Optional<Path> path(String key) {
        return read(key, EnumSet.of(SettingType.PATH), "path", Config::getString).map(home::expand);
    }

    @Override
    public List<String> stringList(String key) {
        return read(key, EnumSet.of(SettingType.STRING_LIST), "stringList", Config::getStringList)
                .map(List::copyOf)
                .orElse(List.of());
    }

    @Override
    public Optional<Secret> secret(String key) {
        Setting setting = declared(key);
        if (!setting.secret()) {
            throw new IllegalArgumentException("setting '" + key + "' of " + path + " is not declared secret; read it "
                    + "with " + reader(setting.type()) + "(), or declare it secret");
        }
        return value(key, Config::getString).map(Secret::of);
    }

    @Override
    public Map<String, Object> object(String key) {
        return read(key, EnumSet.of(SettingType.OBJECT), "object", (config, k) -> config.getObject(k).unwrapped())
                .map(Collections::unmodifiableMap)
                .orElse(Map.of());
    }

    @Override
    public String origin(String key) {
        declared(key);
        return section.hasPathOrNull(key) ? originOf.apply(path + "." + key) : "";
    }

    /** The section's path and values, every secret shown as {@code ******}. */
    @Override
    public String toString() {
        Set<String> secrets = settings.values().stream().filter(Setting::secret).map(Setting::key)
                .collect(Collectors.toSet());
        return path + " " + Redaction.redact(section.root(), secrets)
                .render(ConfigRenderOptions.concise());
    }

    private <T> Optional<T> read(String key, Set<SettingType> types, String reader, ValueReader<T> valueReader) {
        Setting setting = declared(key);
        if (setting.secret()) {
            throw new IllegalArgumentException("setting '" + key + "' of " + path + " is secret; read it with secret()");
        }
        if (!types.contains(setting.type())) {
            throw new IllegalArgumentException("setting '" + key + "' of " + path + " is declared " + setting.type()
                    + ", not read by " + reader + "(); read it with " + reader(setting.type()) + "()");
        }
        return value(key, valueReader);
    }

    private <T> Optional<T> value(String key, ValueReader<T> reader) {
        if (!section.hasPath(key)) {
            return Optional.empty();
        }
        try {
            return Optional.of(reader.read(section, key));
        } catch (ConfigException e) {
            // Validation rejects such values before an extension sees them; reaching this means it was skipped.
            throw new IllegalStateException(new ConfigProblem(path + "." + key,
                    "has the wrong type for its declared " + settings.get(key).type() + " setting; run livcloud config "
                            + "check", originOf.apply(path + "." + key)).toString(), e);
        }
    }

    private Setting declared(String key) {
        requireNonNull(key, "key is null");
        Setting setting = settings.get(key);
        if (setting == null) {
            throw new IllegalArgumentException("'" + key + "' is not a declared setting of " + path + "; declare it in "
                    + "the extension's settings()" + (settings.isEmpty() ? "" : " (declared: "
                    + String.join(", ", new TreeSet<>(settings.keySet())) + ")"));
        }
        return setting;
    }

    private static String reader(SettingType type) {
        return switch (type) {
            case STRING, ENUM -> "string";
            case BOOLEAN -> "bool";
            case INTEGER -> "integer";
            case DURATION -> "duration";
            case BYTES -> "bytes";
            case PATH -> "path";
            case STRING_LIST -> "stringList";
            case OBJECT -> "object";
        };
    }

    private static OptionalLong toOptionalLong(Optional<? extends Number> value) {
        return value.map(number -> OptionalLong.of(number.longValue())).orElse(OptionalLong.empty());
    }

    /** A typed getter of Typesafe's {@link Config}. */
    @FunctionalInterface
    private interface ValueReader<T> {
        T read(Config config, String key);
    }
}
