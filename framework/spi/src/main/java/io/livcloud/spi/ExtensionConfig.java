package io.livcloud.spi;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An extension's configuration section ({@code livcloud.extensions.<kind>.<name>}), already merged from the plugin's
 * {@code reference.conf}, the user's file and environment overrides, and already validated against the extension's
 * {@link ExtensionFactory#settings() settings}: a value that is present has the declared type.
 *
 * <p>Keys are relative to the section. Reading a key the extension did not declare throws
 * {@link IllegalArgumentException}, which keeps the declaration honest.
 */
public interface ExtensionConfig {

    /** The absolute path of this section, e.g. {@code livcloud.extensions.hypervisor.kvm}. */
    String path();

    /** Whether the key has a value. */
    boolean has(String key);

    /** A {@link SettingType#STRING}, {@link SettingType#ENUM} or {@link SettingType#PATH} value as text. */
    Optional<String> string(String key);

    /** A {@link SettingType#BOOLEAN} value. */
    Optional<Boolean> bool(String key);

    /** An {@link SettingType#INTEGER} value. */
    OptionalLong integer(String key);

    /** A {@link SettingType#DURATION} value. */
    Optional<Duration> duration(String key);

    /** A {@link SettingType#BYTES} value, in bytes. */
    OptionalLong bytes(String key);

    /** A {@link SettingType#PATH} value, with a leading {@code ~/} expanded to the user's home. */
    Optional<Path> path(String key);

    /** A {@link SettingType#STRING_LIST} value; empty when absent. */
    List<String> stringList(String key);

    /** A secret value (a setting declared {@link Setting#secret()}); its {@code toString} is redacted. */
    Optional<Secret> secret(String key);

    /**
     * An {@link SettingType#OBJECT} value as plain JDK values: {@code String}, {@code Number}, {@code Boolean},
     * {@code List} and {@code Map}; empty when absent.
     */
    Map<String, Object> object(String key);

    /**
     * Where the key's value came from, for error messages: e.g. {@code /etc/livcloud/livcloud.conf:12},
     * {@code reference.conf of plugin kvm}, or {@code environment}.
     */
    String origin(String key);
}
