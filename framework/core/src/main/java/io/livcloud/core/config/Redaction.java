package io.livcloud.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Keeps secrets out of every rendering of the configuration. */
final class Redaction {

    static final String REDACTED = "******";

    /**
     * Keys that hold secrets by their name. Declared secret settings are redacted anyway; this catches the secret
     * an extension forgot to declare and the one a user put under a key no extension reads.
     */
    private static final Pattern SECRET_KEY = Pattern.compile(
            "password|passphrase|secret|psk|private-key|token|access-key", Pattern.CASE_INSENSITIVE);

    private Redaction() {
    }

    /** Whether a key's name says that it holds a secret. */
    static boolean looksSecret(String key) {
        return SECRET_KEY.matcher(key).find();
    }

    /**
     * A copy of the object in which every value at one of {@code secretPaths} (paths relative to the object, as
     * {@link ConfigUtil#joinPath} writes them), and every value under a key that {@link #looksSecret looks secret},
     * is replaced by {@value #REDACTED}.
     */
    static ConfigObject redact(ConfigObject object, Set<String> secretPaths) {
        Set<String> redact = new TreeSet<>();
        collect(object, List.of(), secretPaths, redact);
        Config result = object.toConfig();
        for (String path : redact) {
            result = result.withValue(path, ConfigValueFactory.fromAnyRef(REDACTED, "redacted"));
        }
        return result.root();
    }

    private static void collect(ConfigObject object, List<String> prefix, Set<String> secretPaths, Set<String> redact) {
        for (String key : object.keySet()) {
            ConfigValue value = object.get(key);
            List<String> elements = SettingChecks.append(prefix, key);
            String path = ConfigUtil.joinPath(elements);
            if (value.valueType() == ConfigValueType.NULL) {
                continue;
            }
            if (secretPaths.contains(path) || looksSecret(key)) {
                redact.add(path);
            } else if (value instanceof ConfigObject child) {
                collect(child, elements, secretPaths, redact);
            } else if (value instanceof ConfigList list && holdsSecretKey(list)) {
                // Elements of a list have no path to replace one by one, so the whole list goes.
                redact.add(path);
            }
        }
    }

    private static boolean holdsSecretKey(ConfigValue value) {
        if (value instanceof ConfigObject object) {
            return object.entrySet().stream()
                    .anyMatch(entry -> looksSecret(entry.getKey()) || holdsSecretKey(entry.getValue()));
        }
        if (value instanceof ConfigList list) {
            return list.stream().anyMatch(Redaction::holdsSecretKey);
        }
        return false;
    }
}
