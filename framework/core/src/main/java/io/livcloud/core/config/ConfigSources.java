package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Where {@link LivCloudConfig#load} reads configuration from. The environment and system properties are passed in,
 * rather than read from the process, so tests and embedding applications control them.
 *
 * @param userFile the user's configuration file, if one was named or found
 * @param inlineText HOCON text layered over the user's file (embedding applications, tests)
 * @param environment environment variables: {@code CONFIG_FORCE_} overrides, substitutions such as {@code ${?HOME}}
 *         and the home directory for a leading {@code ~/}
 * @param systemProperties system properties: those starting with {@code livcloud.} override the files;
 *         {@code user.home} is the home directory when the environment has no {@code HOME}
 */
public record ConfigSources(
        Optional<Path> userFile,
        Optional<String> inlineText,
        Map<String, String> environment,
        Map<String, String> systemProperties) {

    public ConfigSources {
        requireNonNull(userFile, "userFile is null");
        requireNonNull(inlineText, "inlineText is null");
        environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        systemProperties = Map.copyOf(requireNonNull(systemProperties, "systemProperties is null"));
    }

    /** No file, no inline text, an empty environment and no system properties: only the defaults. */
    /** The system property the launcher sets to the installation folder. */
    public static final String INSTALLATION_HOME_PROPERTY = "livcloud.home";

    public static ConfigSources empty() {
        return new ConfigSources(Optional.empty(), Optional.empty(), Map.of(), Map.of());
    }

    /**
     * This process's environment and system properties, without a file or inline text. {@code livcloud.home} is left
     * out: the launcher sets it to say where LivCloud is installed, which is not configuration.
     */
    public static ConfigSources fromProcess() {
        Properties properties = System.getProperties();
        Map<String, String> systemProperties = properties.stringPropertyNames().stream()
                .filter(name -> !name.equals(INSTALLATION_HOME_PROPERTY))
                .collect(Collectors.toMap(name -> name, properties::getProperty));
        return empty().withEnvironment(System.getenv()).withSystemProperties(systemProperties);
    }

    /** These sources with the given user file. */
    public ConfigSources withUserFile(Path file) {
        return new ConfigSources(Optional.of(requireNonNull(file, "file is null")), inlineText, environment,
                systemProperties);
    }

    /** These sources with the given inline HOCON text. */
    public ConfigSources withInlineText(String text) {
        return new ConfigSources(userFile, Optional.of(requireNonNull(text, "text is null")), environment,
                systemProperties);
    }

    /** These sources with the given environment variables. */
    public ConfigSources withEnvironment(Map<String, String> variables) {
        return new ConfigSources(userFile, inlineText, variables, systemProperties);
    }

    /** These sources with the given system properties. */
    public ConfigSources withSystemProperties(Map<String, String> properties) {
        return new ConfigSources(userFile, inlineText, environment, properties);
    }
}
