package io.livcloud.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns {@link LivCloudConfig}'s stack of layers into one tree: merged by priority, substitutions resolved against the
 * tree and then the environment {@link ConfigSources} gives (never the process's). Typesafe stops at the first value
 * it cannot resolve; this reports every one as a problem naming the missing substitution, and lets its default take
 * its place.
 */
final class StackResolution {

    private static final Pattern SUBSTITUTION = Pattern.compile("\\$\\{(\\??)\\s*([^}]+?)\\s*}");

    private final Config environment;
    private final Function<String, String> originOf;

    /**
     * @param environment the environment variables, as a tree, for substitutions the layers do not set
     * @param originOf where the value at a path was set, for the problems
     */
    StackResolution(Config environment, Function<String, String> originOf) {
        this.environment = environment;
        this.originOf = originOf;
    }

    /** The layers merged; an earlier layer's value wins over a later one's. */
    static Config merge(List<Layer> layers) {
        Config merged = ConfigFactory.empty();
        for (Layer layer : layers) {
            merged = merged.withFallback(layer.config());
        }
        return merged;
    }

    /** The tree resolved, with only {@code livcloud}: the defaults (the plugins' and the core's reference.conf). */
    Config resolve(Config config) {
        return config.withFallback(environment).resolve(resolveOptions()).withOnlyPath(CoreSettings.ROOT);
    }

    private static ConfigResolveOptions resolveOptions() {
        // The environment comes from ConfigSources, merged in as the last fallback, never from the process.
        return ConfigResolveOptions.defaults().setUseSystemEnvironment(false);
    }

    /**
     * Resolves the whole stack, reporting every value that cannot be resolved (Typesafe stops at the first) and
     * replacing it by its default.
     */
    Config resolveReporting(Config stack, Config defaults, List<ConfigProblem> found) {
        Config partial;
        try {
            // Only livcloud: other root keys are reported as unknown, and must not break it (a cycle among them).
            partial = stack.withOnlyPath(CoreSettings.ROOT).withFallback(environment)
                    .resolve(resolveOptions().setAllowUnresolved(true));
        } catch (ConfigException e) {
            found.add(resolutionProblem(e));
            return defaults;
        }
        List<String> unresolved = new ArrayList<>();
        ConfigValue root = partial.root().get(CoreSettings.ROOT);
        if (root instanceof ConfigObject object) {
            collectUnresolved(object, List.of(CoreSettings.ROOT), partial, unresolved, found);
        }
        for (String path : unresolved) {
            partial = partial.withoutPath(path);
        }
        try {
            return partial.resolve(resolveOptions()).withOnlyPath(CoreSettings.ROOT).withFallback(defaults);
        } catch (ConfigException e) {
            found.add(resolutionProblem(e));
            return defaults;
        }
    }

    private static ConfigProblem resolutionProblem(ConfigException e) {
        return new ConfigProblem("", "cannot be resolved: " + Origins.messageOf(e),
                e.origin() == null ? "" : Origins.describe(e.origin()));
    }

    private void collectUnresolved(
            ConfigObject object,
            List<String> objectPath,
            Config partial,
            List<String> unresolved,
            List<ConfigProblem> found) {
        for (String key : new TreeSet<>(object.keySet())) {
            ConfigValue value = object.get(key);
            List<String> elements = SettingChecks.append(objectPath, key);
            String path = ConfigUtil.joinPath(elements);
            try {
                if (value.valueType() == ConfigValueType.OBJECT) {
                    collectUnresolved((ConfigObject) value, elements, partial, unresolved, found);
                }
            } catch (ConfigException.NotResolved e) {
                unresolved.add(path);
                found.add(new ConfigProblem(path, unresolvedMessage(value.render(), partial), originOf.apply(path)));
            }
        }
    }

    /** Names the substitution that has no value, which Typesafe's partial resolution leaves in place. */
    private static String unresolvedMessage(String rendered, Config partial) {
        Matcher substitution = SUBSTITUTION.matcher(rendered);
        while (substitution.find()) {
            String target = substitution.group(2);
            if (!substitution.group(1).isEmpty() || resolves(partial, target)) {
                continue;
            }
            return "cannot resolve ${" + target + "}: there is no setting " + target + " and no environment variable "
                    + target + "; define one, or write ${?" + target + "} to make it optional";
        }
        return "cannot resolve " + rendered + "; check the substitutions in it";
    }

    private static boolean resolves(Config partial, String path) {
        try {
            return partial.hasPath(path) && partial.getValue(path).valueType() != ConfigValueType.NULL;
        } catch (ConfigException e) {
            return false;
        }
    }
}
