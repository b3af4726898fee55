package io.livcloud.plugin.lab;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The lab's configuration section as the host hands it over, from plain values: like the host, it refuses keys the
 * lab does not declare.
 */
final class FakeExtensionConfig implements ExtensionConfig {

    private final Map<String, Object> values;

    FakeExtensionConfig(Map<String, Object> values) {
        this.values = new TreeMap<>(values);
        values.keySet().forEach(FakeExtensionConfig::declared);
    }

    /** The reference.conf defaults with the directory given. */
    static FakeExtensionConfig withDirectory(Path directory) {
        return new FakeExtensionConfig(Map.of(
                LabConfig.DIRECTORY, directory,
                LabConfig.WAN_RATE, "",
                LabConfig.START_TIMEOUT, Duration.ofSeconds(30),
                LabConfig.INSTALL_PREREQUISITES, true));
    }

    /** This section with one value changed. */
    FakeExtensionConfig with(String key, Object value) {
        Map<String, Object> changed = new TreeMap<>(values);
        changed.put(key, value);
        return new FakeExtensionConfig(changed);
    }

    private static String declared(String key) {
        if (LabConfig.SETTINGS.stream().noneMatch(setting -> setting.key().equals(key))) {
            throw new IllegalArgumentException("the lab declares no setting '" + key + "'");
        }
        return key;
    }

    private <T> Optional<T> value(String key, Class<T> type) {
        return Optional.ofNullable(values.get(declared(key))).map(type::cast);
    }

    @Override
    public String path() {
        return "livcloud.extensions.provider.lab";
    }

    @Override
    public boolean has(String key) {
        return values.containsKey(declared(key));
    }

    @Override
    public Optional<String> string(String key) {
        return value(key, Object.class).map(Object::toString);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return value(key, Boolean.class);
    }

    @Override
    public OptionalLong integer(String key) {
        return value(key, Long.class).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public Optional<Duration> duration(String key) {
        return value(key, Duration.class);
    }

    @Override
    public OptionalLong bytes(String key) {
        return value(key, Long.class).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    @Override
    public Optional<Path> path(String key) {
        return value(key, Path.class);
    }

    @Override
    public List<String> stringList(String key) {
        declared(key);
        return List.of();
    }

    @Override
    public Optional<Secret> secret(String key) {
        declared(key);
        return Optional.empty();
    }

    @Override
    public Map<String, Object> object(String key) {
        declared(key);
        return Map.of();
    }

    @Override
    public String origin(String key) {
        declared(key);
        return "livcloud.conf:1";
    }
}
