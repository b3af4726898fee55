package io.livcloud.spi;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration key an extension reads, declared in {@link ExtensionFactory#settings()} so the host can validate
 * the user's configuration before anything starts and can keep secrets out of every output.
 *
 * @param key the key relative to the extension's section, lower case with dashes, e.g. {@code connect-timeout}
 * @param type the value type
 * @param description one sentence, shown by {@code livcloud config check} and in error messages
 * @param required whether a value must be present (from {@code reference.conf} or the user)
 * @param secret whether the value is a secret (keys, passwords, pre-shared keys): never printed or logged
 * @param allowedValues for {@link SettingType#ENUM}: the allowed values; empty otherwise
 * @param minimum for {@link SettingType#INTEGER}: the smallest allowed value
 * @param maximum for {@link SettingType#INTEGER}: the largest allowed value
 */
public record Setting(
        String key,
        SettingType type,
        String description,
        boolean required,
        boolean secret,
        List<String> allowedValues,
        long minimum,
        long maximum) {

    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)*");

    public Setting {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(description, "description is null");
        allowedValues = List.copyOf(allowedValues);
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("setting key '" + key + "' must be lower case words joined by dashes");
        }
        if ((type == SettingType.ENUM) == allowedValues.isEmpty()) {
            throw new IllegalArgumentException("setting '" + key + "': allowed values go with ENUM and only with ENUM");
        }
        if (minimum > maximum) {
            throw new IllegalArgumentException("setting '" + key + "': minimum " + minimum + " > maximum " + maximum);
        }
    }

    /** An optional setting of the given type. */
    public static Setting optional(String key, SettingType type, String description) {
        return new Setting(key, type, description, false, false, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** A setting that must have a value. */
    public static Setting required(String key, SettingType type, String description) {
        return new Setting(key, type, description, true, false, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An optional secret string (never printed or logged). */
    public static Setting secret(String key, String description) {
        return new Setting(key, SettingType.STRING, description, false, true, List.of(), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An optional setting whose value must be one of {@code allowedValues}. */
    public static Setting oneOf(String key, String description, String... allowedValues) {
        return new Setting(key, SettingType.ENUM, description, false, false, List.of(allowedValues),
                Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** An optional whole number within {@code [minimum, maximum]}. */
    public static Setting integer(String key, String description, long minimum, long maximum) {
        return new Setting(key, SettingType.INTEGER, description, false, false, List.of(), minimum, maximum);
    }

    /** This setting, but required. */
    public Setting asRequired() {
        return new Setting(key, type, description, true, secret, allowedValues, minimum, maximum);
    }

    /** This setting, but secret. */
    public Setting asSecret() {
        return new Setting(key, type, description, required, true, allowedValues, minimum, maximum);
    }
}
