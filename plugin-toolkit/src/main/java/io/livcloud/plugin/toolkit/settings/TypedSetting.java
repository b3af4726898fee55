package io.livcloud.plugin.toolkit.settings;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One setting of an extension, declared once: what the host validates (the SPI's {@link Setting}: key, type,
 * description, whether required, bounds) together with the Java type the plugin reads it as.
 *
 * <p>The default is deliberately not part of the declaration: it lives in the plugin's {@code reference.conf} only,
 * which the host merges under the user's values, so a {@link SettingsReader} always finds a value for a setting that
 * has one there. A setting that has no default on purpose, because leaving it out means something (e.g. "a key in the
 * plugin's work directory"), is declared {@link #withoutDefault()} and read with {@link SettingsReader#optional}.
 * The toolkit's test support checks a plugin's declarations against its {@code reference.conf}.
 *
 * <p>Plugins declare these as constants of their {@code XxxConfig}, gather them in a {@link DeclaredSettings} and
 * return its {@link DeclaredSettings#declarations() declarations} from the factory's {@code settings()}. Immutable.
 *
 * @param <T> the type the setting is read as
 */
public final class TypedSetting<T> {

    private final Setting declaration;
    private final boolean withoutDefault;
    private final ValueReader<T> reader;

    private TypedSetting(Setting declaration, boolean withoutDefault, ValueReader<T> reader) {
        this.declaration = requireNonNull(declaration, "declaration is null");
        this.withoutDefault = withoutDefault;
        this.reader = requireNonNull(reader, "reader is null");
    }

    /** A {@link SettingType#STRING} setting. */
    public static TypedSetting<String> string(String key, String description) {
        return new TypedSetting<>(Setting.optional(key, SettingType.STRING, description), false,
                ExtensionConfig::string);
    }

    /** An {@link SettingType#ENUM} setting, read as the chosen value's text. */
    public static TypedSetting<String> oneOf(String key, String description, String... allowedValues) {
        return new TypedSetting<>(Setting.oneOf(key, description, allowedValues), false, ExtensionConfig::string);
    }

    /** A {@link SettingType#BOOLEAN} setting. */
    public static TypedSetting<Boolean> bool(String key, String description) {
        return new TypedSetting<>(Setting.optional(key, SettingType.BOOLEAN, description), false,
                ExtensionConfig::bool);
    }

    /** An {@link SettingType#INTEGER} setting within {@code [minimum, maximum]}. */
    public static TypedSetting<Long> integer(String key, String description, long minimum, long maximum) {
        return new TypedSetting<>(Setting.integer(key, description, minimum, maximum), false,
                TypedSetting::readInteger);
    }

    /** An {@link SettingType#INTEGER} setting without bounds. */
    public static TypedSetting<Long> integer(String key, String description) {
        return new TypedSetting<>(Setting.optional(key, SettingType.INTEGER, description), false,
                TypedSetting::readInteger);
    }

    /** A {@link SettingType#DURATION} setting. */
    public static TypedSetting<Duration> duration(String key, String description) {
        return new TypedSetting<>(Setting.optional(key, SettingType.DURATION, description), false,
                ExtensionConfig::duration);
    }

    /** A {@link SettingType#PATH} setting, with a leading {@code ~/} expanded by the host. */
    public static TypedSetting<Path> path(String key, String description) {
        return new TypedSetting<>(Setting.optional(key, SettingType.PATH, description), false, ExtensionConfig::path);
    }

    /** A {@link SettingType#STRING_LIST} setting. */
    public static TypedSetting<List<String>> stringList(String key, String description) {
        // ExtensionConfig answers an empty list for an absent key; has() tells the two apart.
        return new TypedSetting<>(Setting.optional(key, SettingType.STRING_LIST, description), false,
                (config, name) -> config.has(name) ? Optional.of(config.stringList(name)) : Optional.empty());
    }

    /** An {@link SettingType#OBJECT} setting, read as plain JDK values (see {@link ExtensionConfig#object}). */
    public static TypedSetting<Map<String, Object>> object(String key, String description) {
        return new TypedSetting<>(Setting.optional(key, SettingType.OBJECT, description), false,
                (config, name) -> config.has(name) ? Optional.of(config.object(name)) : Optional.empty());
    }

    /**
     * This setting, but required: the host refuses to start an extension in use while it has no value (none in
     * {@code reference.conf} and none from the user, or the user's {@code null}).
     *
     * @throws IllegalStateException when this setting is declared {@link #withoutDefault()}
     */
    public TypedSetting<T> required() {
        if (withoutDefault) {
            throw new IllegalStateException("setting '" + key() + "' is declared without a default, so it cannot be"
                    + " required as well");
        }
        return new TypedSetting<>(declaration.asRequired(), false, reader);
    }

    /**
     * This setting, declared to have no default on purpose: its absence has a meaning, which the description says.
     * {@code reference.conf} must not set it (it may show it in a comment), and the plugin reads it with
     * {@link SettingsReader#optional}.
     *
     * @throws IllegalStateException when this setting is {@link #required()}
     */
    public TypedSetting<T> withoutDefault() {
        if (declaration.required()) {
            throw new IllegalStateException("setting '" + key() + "' is required, so it cannot be declared without"
                    + " a default as well");
        }
        return new TypedSetting<>(declaration, true, reader);
    }

    /** The key, relative to the extension's section, e.g. {@code instance-type}. */
    public String key() {
        return declaration.key();
    }

    /** What the host validates: the factory's {@code settings()} lists it. */
    public Setting declaration() {
        return declaration;
    }

    /** Whether this setting has no default on purpose ({@link #withoutDefault()}). */
    public boolean isWithoutDefault() {
        return withoutDefault;
    }

    /** The value in the section, if it has one; read with the accessor of the declared type. */
    Optional<T> read(ExtensionConfig config) {
        return reader.read(config, key());
    }

    /** The key, as {@link #key()}: a setting that ends up in a message by accident still reads right there. */
    @Override
    public String toString() {
        return key();
    }

    private static Optional<Long> readInteger(ExtensionConfig config, String key) {
        OptionalLong value = config.integer(key);
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }

    /** One of {@link ExtensionConfig}'s typed accessors. */
    @FunctionalInterface
    private interface ValueReader<T> {
        Optional<T> read(ExtensionConfig config, String key);
    }
}
