package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks a configuration section against declared {@link Setting settings}: unknown keys, values of the wrong type,
 * required settings without a value. Used alike for the core's sections, extension sections and site sections.
 */
final class SettingChecks {

    /** The key under which a single value is wrapped so Typesafe's typed getters (and conversions) apply to it. */
    private static final String VALUE = "value";

    /** What a section (of extensions, of a site) must be. */
    private static final Setting SECTION = Setting.optional("section", SettingType.OBJECT, "A section of settings");

    private static final Pattern VARIABLE_NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

    private final Function<String, String> originOf;
    private final HomeDirectory home;

    /**
     * @param originOf the origin of the value at an absolute path, for the problems' origins
     * @param home for checking that a {@code ~/} path can be expanded
     */
    SettingChecks(Function<String, String> originOf, HomeDirectory home) {
        this.originOf = requireNonNull(originOf, "originOf is null");
        this.home = requireNonNull(home, "home is null");
    }

    /** Unknown keys and values of the wrong type in the section at {@code sectionPath}; not missing ones. */
    List<ConfigProblem> checkSection(List<String> sectionPath, ConfigObject section, List<Setting> settings) {
        Map<String, Setting> byKey = new LinkedHashMap<>();
        settings.forEach(setting -> byKey.put(setting.key(), setting));
        List<ConfigProblem> problems = new ArrayList<>();
        checkKeys(sectionPath, "", section, byKey, problems);
        return problems;
    }

    private void checkKeys(
            List<String> objectPath,
            String relativePrefix,
            ConfigObject object,
            Map<String, Setting> byKey,
            List<ConfigProblem> problems) {
        for (String key : new TreeSet<>(object.keySet())) {
            ConfigValue value = object.get(key);
            List<String> elements = append(objectPath, key);
            String path = ConfigUtil.joinPath(elements);
            // Setting keys may be dotted ("tls.verify"): they then name a key inside a nested object.
            String relative = relativePrefix.isEmpty() ? key : relativePrefix + "." + key;
            Setting setting = byKey.get(relative);
            List<String> nested = byKey.keySet().stream().filter(declared -> declared.startsWith(relative + "."))
                    .toList();
            if (setting != null) {
                typeProblem(value, setting).ifPresent(message -> problems.add(problem(path, message)));
            } else if (!nested.isEmpty() && value instanceof ConfigObject child) {
                checkKeys(elements, relative, child, byKey, problems);
            } else if (!nested.isEmpty() && value.valueType() != ConfigValueType.NULL) {
                problems.add(problem(path, "must be an object holding " + String.join(", ", nested) + "; "
                        + found(value, relative, false)));
            } else {
                problems.add(problem(path, unknownKey(relative, byKey.keySet())));
            }
        }
    }

    /** A problem for each required setting that has no value in {@code section} (null counts as none). */
    List<ConfigProblem> checkRequired(List<String> sectionPath, Config section, List<Setting> settings, String origin) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (Setting setting : settings) {
            if (setting.required() && !section.hasPath(setting.key())) {
                List<String> elements = keyPath(sectionPath, setting.key());
                problems.add(new ConfigProblem(ConfigUtil.joinPath(elements), "required but not set ("
                        + withoutFinalPeriod(setting.description()) + "); add " + setting.key() + " = ... under "
                        + ConfigUtil.joinPath(sectionPath) + " in the configuration file"
                        + environmentVariable(elements).map(name -> ", or set the environment variable " + name)
                                .orElse(""), origin));
            }
        }
        return problems;
    }

    /** What is wrong with the value for the setting, if anything; a null value is no value and always fine. */
    Optional<String> typeProblem(ConfigValue value, Setting setting) {
        if (value.valueType() == ConfigValueType.NULL) {
            return Optional.empty();
        }
        Config holder = value.atKey(VALUE);
        String found = found(value, setting.key(), setting.secret());
        try {
            return switch (setting.type()) {
                case STRING -> converts(holder.getString(VALUE));
                case BOOLEAN -> converts(holder.getBoolean(VALUE));
                case INTEGER -> integerProblem(holder.getNumber(VALUE), setting, found);
                case DURATION -> converts(holder.getDuration(VALUE));
                case BYTES -> holder.getBytes(VALUE) < 0 ? Optional.of(expected(setting) + "; " + found)
                        : Optional.empty();
                case PATH -> pathProblem(holder.getString(VALUE), found);
                case ENUM -> enumProblem(holder.getString(VALUE), setting, found);
                case STRING_LIST -> converts(holder.getStringList(VALUE));
                case OBJECT -> converts(holder.getObject(VALUE));
            };
        } catch (ConfigException e) {
            return Optional.of(expected(setting) + "; " + found);
        }
    }

    /** No problem: Typesafe's getter converted the value, else it would have thrown. */
    private static Optional<String> converts(Object converted) {
        return Optional.empty();
    }

    /** What is wrong with a value that must be a section, an object of settings, if anything. */
    Optional<String> sectionProblem(ConfigValue value) {
        return typeProblem(value, SECTION);
    }

    private static Optional<String> integerProblem(Number number, Setting setting, String found) {
        boolean whole = number instanceof Integer || number instanceof Long
                || (number.doubleValue() == Math.rint(number.doubleValue())
                        && Math.abs(number.doubleValue()) < 0x1p63);
        if (!whole) {
            return Optional.of(expected(setting) + "; " + found);
        }
        long value = number.longValue();
        if (value >= setting.minimum() && value <= setting.maximum()) {
            return Optional.empty();
        }
        String range;
        if (setting.minimum() == Long.MIN_VALUE) {
            range = "must be at most " + setting.maximum();
        } else if (setting.maximum() == Long.MAX_VALUE) {
            range = "must be at least " + setting.minimum();
        } else {
            range = "must be between " + setting.minimum() + " and " + setting.maximum();
        }
        return Optional.of(range + "; " + found);
    }

    private Optional<String> pathProblem(String path, String found) {
        if (path.isBlank()) {
            return Optional.of("must be a path, not empty");
        }
        try {
            Path.of(path);
        } catch (InvalidPathException e) {
            return Optional.of("must be a valid path (" + e.getReason() + "); " + found);
        }
        if (!home.canExpand(path)) {
            return Optional.of("starts with ~ but the home directory is unknown (no HOME environment variable and no "
                    + "user.home system property); write an absolute path");
        }
        return Optional.empty();
    }

    private static Optional<String> enumProblem(String value, Setting setting, String found) {
        if (setting.allowedValues().contains(value)) {
            return Optional.empty();
        }
        String message = expected(setting) + "; " + found;
        if (setting.secret()) {
            return Optional.of(message);
        }
        return Optional.of(Suggestions.closest(value, setting.allowedValues())
                .map(suggestion -> message + "; did you mean '" + suggestion + "'?")
                .orElse(message));
    }

    private static String expected(Setting setting) {
        return switch (setting.type()) {
            case STRING -> "must be a string";
            case BOOLEAN -> "must be true or false";
            case INTEGER -> "must be a whole number";
            case DURATION -> "must be a duration such as 500ms, 30s or 5m";
            case BYTES -> "must be a size such as 512KiB, 256MiB or 4GiB";
            case PATH -> "must be a path";
            case ENUM -> "must be one of " + String.join(", ", setting.allowedValues());
            case STRING_LIST -> "must be a list of strings such as [\"a\", \"b\"]";
            case OBJECT -> "must be an object such as { key = value }";
        };
    }

    /** What the user wrote, for a message; a secret's value is never shown. */
    private static String found(ConfigValue value, String key, boolean secret) {
        return switch (value.valueType()) {
            case OBJECT -> "found an object";
            case LIST -> "found a list";
            default -> secret || Redaction.looksSecret(key)
                    ? "found a value that is not shown because it is secret"
                    : "found '" + value.unwrapped() + "'";
        };
    }

    /** "unknown key" with a spelling suggestion, or the keys that are allowed here. */
    static String unknownKey(String key, Collection<String> known) {
        Optional<String> suggestion = Suggestions.closest(key, known);
        if (suggestion.isPresent()) {
            return "unknown key; did you mean '" + suggestion.get() + "'?";
        }
        if (known.isEmpty()) {
            return "unknown key; remove it, nothing is configurable here";
        }
        return "unknown key; remove it or use one of: " + String.join(", ", new TreeSet<>(known));
    }

    /**
     * The {@code CONFIG_FORCE_} variable that sets the path, by Typesafe's rule (. is _, - is __, _ is ___); none
     * when an element has a character a variable name cannot hold, such as the dot of a quoted key.
     */
    static Optional<String> environmentVariable(List<String> elements) {
        if (!elements.stream().allMatch(element -> VARIABLE_NAME_PART.matcher(element).matches())) {
            return Optional.empty();
        }
        return Optional.of(elements.stream()
                .map(element -> element.replace("_", "___").replace("-", "__"))
                .collect(Collectors.joining("_", "CONFIG_FORCE_", "")));
    }

    private ConfigProblem problem(String path, String message) {
        return new ConfigProblem(path, message, originOf.apply(path));
    }

    /** The absolute path of a setting's key, which may itself be dotted, in the section. */
    static List<String> keyPath(List<String> sectionPath, String key) {
        List<String> path = new ArrayList<>(sectionPath);
        path.addAll(ConfigUtil.splitPath(key));
        return List.copyOf(path);
    }

    static List<String> append(List<String> elements, String element) {
        List<String> appended = new ArrayList<>(elements);
        appended.add(element);
        return List.copyOf(appended);
    }

    private static String withoutFinalPeriod(String sentence) {
        return sentence.endsWith(".") ? sentence.substring(0, sentence.length() - 1) : sentence;
    }
}
