package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Optional;

/**
 * One source of configuration in the stack, kept unresolved and unmerged so the origin of a value can be found in
 * the layer that set it, whatever Typesafe's merge made of the origins.
 *
 * @param description what the layer is, for {@code livcloud config check}, e.g. {@code configuration file /x.conf}
 * @param config the layer's parsed content
 */
record Layer(String description, Config config) {

    Layer {
        requireNonNull(description, "description is null");
        requireNonNull(config, "config is null");
    }

    /** The layer's own value at the path, unresolved, if it sets one (null included). */
    Optional<ConfigValue> valueAt(String path) {
        List<String> elements;
        try {
            elements = ConfigUtil.splitPath(path);
        } catch (ConfigException e) {
            return Optional.empty();
        }
        // Walks the raw objects rather than asking Config, which would insist on a resolved tree.
        ConfigValue value = config.root();
        try {
            for (String element : elements) {
                if (!(value instanceof ConfigObject object)) {
                    return Optional.empty();
                }
                value = object.get(element);
                if (value == null) {
                    return Optional.empty();
                }
            }
        } catch (ConfigException e) {
            return Optional.empty();
        }
        return Optional.of(value);
    }

    /** Where the layer's value at the path comes from; empty when the layer does not set it. */
    Optional<String> originAt(String path) {
        return valueAt(path).map(value -> Origins.isSynthetic(value.origin())
                ? description
                : Origins.describe(value.origin()));
    }
}
