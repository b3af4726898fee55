package io.livcloud.core.config;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.livcloud.spi.ExtensionKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Real configuration files in a test's temporary directory, and sources that read them. */
final class ConfigFixtures {

    static final String HOME = "/home/tester";

    private ConfigFixtures() {
    }

    /** Writes {@code livcloud.conf} into the directory; line 1 is the text block's first line. */
    static Path write(Path directory, String content) {
        return write(directory, "livcloud.conf", content);
    }

    static Path write(Path directory, String fileName, String content) {
        try {
            return Files.writeString(directory.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sources with an environment that has only {@code HOME}, as a test must not see the real one. */
    static ConfigSources sources() {
        return ConfigSources.empty().withEnvironment(Map.of("HOME", HOME));
    }

    static LivCloudConfig load(Path file) {
        return LivCloudConfig.load(sources().withUserFile(file));
    }

    /** A plugin's reference.conf as a plugin runtime would parse it, from a named resource. */
    static PluginDefaults plugin(String id, String referenceConf, Map<ExtensionKind, Set<String>> extensions) {
        return new PluginDefaults(id, ConfigFactory.parseString(referenceConf,
                ConfigParseOptions.defaults().setOriginDescription("jar:file:/plugins/" + id + ".zip!/reference.conf")),
                extensions);
    }
}
