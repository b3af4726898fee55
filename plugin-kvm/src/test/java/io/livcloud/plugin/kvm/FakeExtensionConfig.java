package io.livcloud.plugin.kvm;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kvm section as the host hands it over, validated: {@code reference.conf}'s defaults unless a test overrides a
 * value. Like the host, it refuses keys the extension did not declare.
 */
final class FakeExtensionConfig implements ExtensionConfig {

    private final Map<String, Object> values = new HashMap<>(Map.of(
            KvmSettings.URI, "qemu:///system",
            KvmSettings.ACCELERATOR, "auto",
            KvmSettings.PROGRESS_INTERVAL, Duration.ofSeconds(1),
            KvmSettings.SHARED_STORAGE_PATHS, List.of()));

    /** This section with one value changed. */
    FakeExtensionConfig with(String key, Object value) {
        declared(key);
        values.put(key, value);
        return this;
    }

    @Override
    public String path() {
        return "livcloud.extensions.hypervisor.kvm";
    }

    @Override
    public boolean has(String key) {
        return declared(key) && values.containsKey(key);
    }

    @Override
    public Optional<String> string(String key) {
        return Optional.ofNullable((String) value(key));
    }

    @Override
    public Optional<Duration> duration(String key) {
        return Optional.ofNullable((Duration) value(key));
    }

    @SuppressWarnings("unchecked")
    @Override
    public List<String> stringList(String key) {
        Object value = value(key);
        return value == null ? List.of() : (List<String>) value;
    }

    @Override
    public String origin(String key) {
        declared(key);
        return "livcloud.conf:7";
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public OptionalLong integer(String key) {
        return OptionalLong.of(undeclared(key));
    }

    @Override
    public OptionalLong bytes(String key) {
        return OptionalLong.of(undeclared(key));
    }

    @Override
    public Optional<Path> path(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public Optional<Secret> secret(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public Map<String, Object> object(String key) {
        return undeclared(key);
    }

    private Object value(String key) {
        declared(key);
        return values.get(key);
    }

    private static boolean declared(String key) {
        if (KvmSettings.declarations().stream().noneMatch(setting -> setting.key().equals(key))) {
            undeclared(key);
        }
        return true;
    }

    private static <T> T undeclared(String key) {
        throw new IllegalArgumentException("the kvm extension declares no setting '" + key + "'");
    }
}
