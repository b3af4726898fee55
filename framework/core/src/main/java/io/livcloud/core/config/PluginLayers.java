package io.livcloud.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.livcloud.spi.ExtensionKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns plugins' {@code reference.conf} files into layers of defaults. A plugin may set defaults only for its own
 * extensions: one plugin must not be able to change the core's behaviour, or another plugin's, behind the user's back.
 */
final class PluginLayers {

    private static final List<String> EXTENSIONS = ConfigUtil.splitPath(CoreSettings.EXTENSIONS);

    private PluginLayers() {
    }

    /**
     * A layer per plugin holding only the keys inside its own extensions' sections; every other key becomes a
     * problem naming the plugin.
     *
     * @param environment what substitutions in a plugin's {@code reference.conf} may refer to besides the file itself
     */
    static List<Layer> layers(List<PluginDefaults> plugins, Config environment, List<ConfigProblem> problems) {
        List<Layer> layers = new ArrayList<>();
        for (PluginDefaults plugin : plugins) {
            String description = "reference.conf of plugin " + plugin.pluginId();
            Config reference;
            try {
                // Like Typesafe's own reference.conf files, each is resolved on its own, before the user's layers.
                reference = plugin.reference().resolveWith(plugin.reference().withFallback(environment),
                        ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
            } catch (ConfigException e) {
                String origin = e.origin() == null ? description : Origins.describe(relabel(description, e.origin()));
                problems.add(new ConfigProblem("", "cannot be resolved, so plugin " + plugin.pluginId()
                        + " contributes no defaults: " + Origins.messageOf(e), origin));
                continue;
            }
            Set<List<String>> owned = ownedSections(plugin);
            Config layer = ConfigFactory.empty();
            List<Map.Entry<String, ConfigValue>> entries = new ArrayList<>(reference.entrySet());
            entries.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, ConfigValue> entry : entries) {
                List<String> path = ConfigUtil.splitPath(entry.getKey());
                ConfigValue value = entry.getValue().withOrigin(relabel(description, entry.getValue().origin()));
                if (path.size() > EXTENSIONS.size() + 2 && owned.contains(path.subList(0, EXTENSIONS.size() + 2))) {
                    layer = layer.withValue(entry.getKey(), value);
                } else {
                    problems.add(new ConfigProblem(entry.getKey(), description + " sets " + entry.getKey()
                            + ", outside its own extensions; plugins may only set livcloud.extensions.<kind>.<their "
                            + "extension> (" + ownedDescription(plugin.pluginId(), owned) + ")",
                            Origins.describe(value.origin())));
                }
            }
            if (!layer.isEmpty()) {
                layers.add(new Layer(description, layer));
            }
        }
        return List.copyOf(layers);
    }

    private static Set<List<String>> ownedSections(PluginDefaults plugin) {
        Set<List<String>> owned = new LinkedHashSet<>();
        for (ExtensionKind kind : ExtensionKind.values()) {
            for (String name : new TreeSet<>(plugin.extensionNames().getOrDefault(kind, Set.of()))) {
                owned.add(SettingChecks.append(SettingChecks.append(EXTENSIONS, kind.configName()), name));
            }
        }
        return owned;
    }

    private static String ownedDescription(String pluginId, Set<List<String>> owned) {
        if (owned.isEmpty()) {
            return "plugin " + pluginId + " provides no extensions";
        }
        return "plugin " + pluginId + " may set " + String.join(", ",
                owned.stream().map(ConfigUtil::joinPath).toList());
    }

    /** The plugin's own line numbers, under a name users recognise rather than a jar URL. */
    private static ConfigOrigin relabel(String description, ConfigOrigin origin) {
        ConfigOrigin relabeled = ConfigOriginFactory.newSimple(description);
        return origin.lineNumber() > 0 ? relabeled.withLineNumber(origin.lineNumber()) : relabeled;
    }
}
