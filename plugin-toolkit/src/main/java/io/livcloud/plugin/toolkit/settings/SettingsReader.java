package io.livcloud.plugin.toolkit.settings;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ErrorCode;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import java.util.Optional;

/**
 * Reads an extension's {@link TypedSetting settings} from the section the host hands to {@code isSupported} and
 * {@code create}, and words the plugin's complaints about their values alike for every plugin.
 *
 * <p>No default is written here or at a call site: the host has merged the plugin's {@code reference.conf} under the
 * user's values, so {@link #get} finds the default when the user set nothing. The only way a setting with a default
 * ends up without a value is the user's {@code null}, which HOCON reads as "unset"; that is reported as an invalid
 * setting rather than filled in with a second default.
 */
public final class SettingsReader {

    private final ExtensionConfig config;
    private final ErrorCode invalidSetting;

    /**
     * @param config the extension's validated section
     * @param invalidSetting the plugin's error code for a setting whose value it cannot use, e.g.
     *     {@code Ec2ErrorCode.INVALID_SETTING}
     */
    public SettingsReader(ExtensionConfig config, ErrorCode invalidSetting) {
        this.config = requireNonNull(config, "config is null");
        this.invalidSetting = requireNonNull(invalidSetting, "invalidSetting is null");
    }

    /**
     * The value of a setting that has its default in {@code reference.conf} (or is required).
     *
     * @throws ExtensionException with the plugin's invalid-setting code when the setting has no value (the user
     *     unset it with {@code null})
     * @throws IllegalArgumentException when the setting is declared {@link TypedSetting#withoutDefault() without a
     *     default} (read it with {@link #optional}), or is not one the extension declared
     */
    public <T> T get(TypedSetting<T> setting) {
        if (setting.isWithoutDefault()) {
            throw new IllegalArgumentException("setting '" + setting.key() + "' of " + config.path() + " is declared"
                    + " without a default; read it with optional()");
        }
        return setting.read(config).orElseThrow(() -> {
            String origin = config.origin(setting.key());
            return new ExtensionException(invalidSetting, qualifiedKey(setting)
                    + (origin.isEmpty() ? "" : " (" + origin + ")") + " has no value",
                    "set it, or remove the null that unsets the default of the plugin's reference.conf");
        });
    }

    /**
     * The value of a setting declared {@link TypedSetting#withoutDefault() without a default}, empty when the user
     * gave none.
     *
     * @throws IllegalArgumentException when the setting has its default in {@code reference.conf} (read it with
     *     {@link #get}), or is not one the extension declared
     */
    public <T> Optional<T> optional(TypedSetting<T> setting) {
        if (!setting.isWithoutDefault()) {
            throw new IllegalArgumentException("setting '" + setting.key() + "' of " + config.path() + " has its"
                    + " default in reference.conf; read it with get()");
        }
        return setting.read(config);
    }

    /** The setting's absolute path, e.g. {@code livcloud.extensions.provider.ec2.instance-type}. */
    public String qualifiedKey(TypedSetting<?> setting) {
        return config.path() + "." + setting.key();
    }

    /** Where the setting's value came from, e.g. {@code /etc/livcloud/livcloud.conf:12}; empty without a value. */
    public String origin(TypedSetting<?> setting) {
        return config.origin(setting.key());
    }

    /**
     * The plugin's complaint about a value it cannot use: {@code <path>.<key> (<origin>) <problem>}, with the
     * plugin's invalid-setting code, for the caller to throw.
     *
     * @param problem what is wrong, e.g. {@code is 'large', not an instance type name}
     * @param remedy what would be right, e.g. {@code write one such as c8i.large}
     */
    public ExtensionException invalid(TypedSetting<?> setting, String problem, String remedy) {
        return new ExtensionException(invalidSetting,
                qualifiedKey(setting) + " (" + origin(setting) + ") " + problem, remedy);
    }

    /** The section's absolute path, e.g. {@code livcloud.extensions.provider.ec2}. */
    public String path() {
        return config.path();
    }
}
