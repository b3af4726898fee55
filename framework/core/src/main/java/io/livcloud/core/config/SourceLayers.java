package io.livcloud.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Reads the user's layers from {@link ConfigSources}, and the core's {@code reference.conf}. */
final class SourceLayers {

    static final String ENVIRONMENT_PREFIX = "CONFIG_FORCE_";
    static final String INLINE = "inline configuration";
    static final String CORE_REFERENCE = "reference.conf of livcloud core";

    private static final String PROPERTY_PREFIX = CoreSettings.ROOT + ".";

    private SourceLayers() {
    }

    /** The user's layers, highest priority first; what cannot be read becomes a problem and no layer. */
    static List<Layer> userLayers(ConfigSources sources, List<ConfigProblem> problems) {
        List<Layer> layers = new ArrayList<>();
        overrides(sources.environment(), "environment variable", "environment variables",
                name -> name.startsWith(ENVIRONMENT_PREFIX), SourceLayers::environmentVariableAsPath, problems)
                .ifPresent(layers::add);
        overrides(sources.systemProperties(), "system property", "system properties",
                name -> name.startsWith(PROPERTY_PREFIX), name -> name, problems)
                .ifPresent(layers::add);
        List<Layer> written = new ArrayList<>();
        sources.inlineText().flatMap(text -> parse(INLINE, INLINE,
                () -> ConfigFactory.parseString(text, ConfigParseOptions.defaults().setOriginDescription(INLINE)),
                problems)).ifPresent(written::add);
        sources.userFile().flatMap(file -> userFile(file, problems)).ifPresent(written::add);
        written.forEach(layer -> checkRootKeys(layer, problems));
        layers.addAll(written);
        return List.copyOf(layers);
    }

    /** The core's defaults: the {@code reference.conf} next to this class, not any other on the class path. */
    static Layer coreReference() {
        URL reference = ownReference();
        try (InputStream stream = reference.openStream();
                Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            return new Layer(CORE_REFERENCE, ConfigFactory.parseReader(reader,
                    ConfigParseOptions.defaults().setOriginDescription(CORE_REFERENCE)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the core's reference.conf at " + reference, e);
        }
    }

    /**
     * Typesafe's own mapping of a {@code CONFIG_FORCE_} variable to a path (as in
     * {@code ConfigFactory.systemEnvironmentOverrides()}, whose helper is not public): {@code _} is {@code .},
     * {@code __} is {@code -}, {@code ___} is {@code _}; more underscores in a row map to nothing.
     */
    static String environmentVariableAsPath(String variable) {
        StringBuilder path = new StringBuilder();
        int underscores = 0;
        for (char c : (variable.substring(ENVIRONMENT_PREFIX.length()) + "\0").toCharArray()) {
            if (c == '_') {
                underscores++;
                continue;
            }
            if (underscores > 3) {
                throw new IllegalArgumentException("has " + underscores + " underscores in a row, which name no key; "
                        + "write _ for '.', __ for '-' and ___ for '_'");
            }
            if (underscores > 0) {
                path.append(".-_".charAt(underscores - 1));
            }
            underscores = 0;
            if (c != '\0') {
                path.append(c);
            }
        }
        return path.toString();
    }

    /**
     * One layer of overrides, each value with its own origin ("environment variable CONFIG_FORCE_..."), so a wrong
     * value points at the variable that set it. Only paths under {@code livcloud} are kept: other
     * {@code CONFIG_FORCE_} variables belong to other programs.
     */
    private static Optional<Layer> overrides(
            Map<String, String> variables,
            String kind,
            String kindPlural,
            Predicate<String> applies,
            Function<String, String> pathOf,
            List<ConfigProblem> problems) {
        Config layer = ConfigFactory.empty();
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(variables).entrySet()) {
            String name = variable.getKey();
            if (!applies.test(name)) {
                continue;
            }
            String origin = kind + " " + name;
            Config value;
            try {
                value = ConfigFactory.parseMap(Map.of(pathOf.apply(name), variable.getValue()), origin);
            } catch (IllegalArgumentException | ConfigException e) {
                problems.add(new ConfigProblem("", Origins.messageOf(e) + "; it is ignored", origin));
                continue;
            }
            String root = value.root().keySet().iterator().next();
            if (!root.equals(CoreSettings.ROOT)) {
                // CONFIG_FORCE_Livcloud_... is a typo worth reporting; CONFIG_FORCE_akka_... is someone else's.
                Suggestions.closest(root, Set.of(CoreSettings.ROOT)).ifPresent(suggestion -> problems.add(
                        new ConfigProblem(root, "unknown key; did you mean '" + suggestion + "'?", origin)));
                continue;
            }
            layer = layer.withFallback(value);
            names.add(name);
        }
        if (names.isEmpty()) {
            return Optional.empty();
        }
        String description = (names.size() == 1 ? kind : kindPlural) + " " + String.join(", ", names);
        return Optional.of(new Layer(description, layer));
    }

    private static Optional<Layer> userFile(Path file, List<ConfigProblem> problems) {
        if (!Files.exists(file)) {
            problems.add(new ConfigProblem("", "configuration file " + file
                    + " does not exist; create it or drop --config / LIVCLOUD_CONFIG", ""));
            return Optional.empty();
        }
        if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem("", "configuration file " + file
                    + " is not a regular file; point --config / LIVCLOUD_CONFIG at a file", ""));
            return Optional.empty();
        }
        return parse("configuration file " + file, file.toString(),
                () -> ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)),
                problems);
    }

    private static Optional<Layer> parse(
            String description,
            String fallbackOrigin,
            Supplier<Config> parser,
            List<ConfigProblem> problems) {
        try {
            return Optional.of(new Layer(description, parser.get()));
        } catch (ConfigException e) {
            String origin = e.origin() == null ? fallbackOrigin : Origins.describe(e.origin());
            problems.add(new ConfigProblem("", "cannot be parsed: " + Origins.messageOf(e), origin));
            return Optional.empty();
        }
    }

    /** Every root key but {@code livcloud} in a file the user wrote is a mistake, most likely a typo. */
    private static void checkRootKeys(Layer layer, List<ConfigProblem> problems) {
        for (Map.Entry<String, ConfigValue> entry : layer.config().root().entrySet()) {
            String key = entry.getKey();
            if (key.equals(CoreSettings.ROOT)) {
                continue;
            }
            String message = Suggestions.closest(key, Set.of(CoreSettings.ROOT))
                    .map(suggestion -> "unknown key; did you mean '" + suggestion + "'?")
                    .orElse("unknown key; LivCloud reads only the livcloud section, remove it");
            String path = ConfigUtil.joinPath(key);
            problems.add(new ConfigProblem(path, message, layer.originAt(path).orElse("")));
        }
    }

    private static URL ownReference() {
        String classFile = SourceLayers.class.getName().replace('.', '/') + ".class";
        URL own = SourceLayers.class.getClassLoader().getResource(classFile);
        if (own == null) {
            throw new IllegalStateException("cannot find " + classFile + " to locate the core's reference.conf");
        }
        String location = own.toExternalForm();
        try {
            return URI.create(location.substring(0, location.length() - classFile.length()) + "reference.conf").toURL();
        } catch (MalformedURLException e) {
            throw new IllegalStateException("cannot locate the core's reference.conf next to " + location, e);
        }
    }
}
