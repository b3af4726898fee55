package io.livcloud.plugin.toolkit.settings;

import io.livcloud.spi.Setting;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The settings of one extension, in the order {@code livcloud config check} shows them. A plugin's {@code XxxConfig}
 * holds one as a constant; its factory's {@code settings()} returns {@link #declarations()}. Immutable.
 */
public final class DeclaredSettings {

    private final List<TypedSetting<?>> settings;

    private DeclaredSettings(List<TypedSetting<?>> settings) {
        this.settings = List.copyOf(settings);
    }

    /**
     * The given settings.
     *
     * @throws IllegalArgumentException when two have the same key
     */
    public static DeclaredSettings of(TypedSetting<?>... settings) {
        Set<String> keys = new HashSet<>();
        for (TypedSetting<?> setting : settings) {
            if (!keys.add(setting.key())) {
                throw new IllegalArgumentException("setting '" + setting.key() + "' is declared twice");
            }
        }
        return new DeclaredSettings(List.of(settings));
    }

    /** The settings as declared. */
    public List<TypedSetting<?>> settings() {
        return settings;
    }

    /** What the host validates the extension's section against: the factory's {@code settings()}. */
    public List<Setting> declarations() {
        return settings.stream().<Setting>map(TypedSetting::declaration).toList();
    }

    @Override
    public String toString() {
        return settings.toString();
    }
}
