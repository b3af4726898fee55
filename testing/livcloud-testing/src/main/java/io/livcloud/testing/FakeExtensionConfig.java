package io.livcloud.testing;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Secret;
import io.livcloud.spi.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An extension's configuration section as the host hands it over, for a plugin's unit tests: the values a test gives
 * (usually the plugin's reference.conf defaults), already typed. Like the host, it refuses keys the extension did not
 * declare, so a test notices an undeclared read. Values: {@code String}, {@code Boolean}, {@code Long} or
 * {@code Integer}, {@code Duration}, {@code Path} (or a path as a string), {@code List<String>}, {@code Secret} (or a
 * secret as a string) and {@code Map<String, Object>} for objects. Every value comes from {@code livcloud.conf:1}
 * unless {@link #withOrigin} says otherwise. Immutable.
 */
public final class FakeExtensionConfig implements ExtensionConfig {

    private final String path;
    private final List<Setting> settings;
    private final Map<String, Object> values;
    private final String origin;

    /**
     * @param path the section, e.g. {@code livcloud.extensions.hypervisor.kvm}
     * @param settings what the extension declares
     * @param values the section's values by key
     */
    public FakeExtensionConfig(String path, List<Setting> settings, Map<String, Object> values) {
        this(path, settings, values, "livcloud.conf:1");
    }

    private FakeExtensionConfig(String path, List<Setting> settings, Map<String, Object> values, String origin) {
        this.path = Objects.requireNonNull(path, "path is null");
        this.settings = List.copyOf(settings);
        this.values = new HashMap<>(values);
        this.origin = origin;
        this.values.keySet().forEach(this::declared);
    }

    /** This section with one value set (or, with {@code null}, removed). */
    public FakeExtensionConfig with(String key, Object value) {
        declared(key);
        Map<String, Object> changed = new HashMap<>(values);
        if (value == null) {
            changed.remove(key);
        } else {
            changed.put(key, value);
        }
        return new FakeExtensionConfig(path, settings, changed, origin);
    }

    /** This section with its values coming from {@code origin}, e.g. {@code livcloud.conf:7}. */
    public FakeExtensionConfig withOrigin(String newOrigin) {
        return new FakeExtensionConfig(path, settings, values, newOrigin);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(declared(key));
    }

    @Override
    public Optional<String> string(String key) {
        return value(key).map(Object::toString);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return value(key).map(Boolean.class::cast);
    }

    @Override
    public OptionalLong integer(String key) {
        return value(key).map(value -> OptionalLong.of(((Number) value).longValue())).orElse(OptionalLong.empty());
    }

    @Override
    public Optional<Duration> duration(String key) {
        return value(key).map(Duration.class::cast);
    }

    @Override
    public OptionalLong bytes(String key) {
        return integer(key);
    }

    @Override
    public Optional<Path> path(String key) {
        return value(key).map(value -> value instanceof Path given ? given : Path.of(value.toString()));
    }

    @SuppressWarnings("unchecked")
    @Override
    public List<String> stringList(String key) {
        return value(key).map(value -> (List<String>) value).orElse(List.of());
    }

    @Override
    public Optional<Secret> secret(String key) {
        return value(key).map(value -> value instanceof Secret given ? given : Secret.of(value.toString()));
    }

    @SuppressWarnings("unchecked")
    @Override
    public Map<String, Object> object(String key) {
        return value(key).map(value -> (Map<String, Object>) value).orElse(Map.of());
    }

    @Override
    public String origin(String key) {
        declared(key);
        return values.containsKey(key) ? origin : "";
    }

    private Optional<Object> value(String key) {
        return Optional.ofNullable(values.get(declared(key)));
    }

    private String declared(String key) {
        if (settings.stream().noneMatch(setting -> setting.key().equals(key))) {
            throw new IllegalArgumentException("'" + key + "' is not a declared setting of " + path);
        }
        return key;
    }

    @Override
    public String toString() {
        return path + " (fake)";
    }
}
