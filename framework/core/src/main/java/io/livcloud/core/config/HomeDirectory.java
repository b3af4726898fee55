package io.livcloud.core.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Expands a leading {@code ~/} in configured paths. The home comes from the {@link ConfigSources}, not from the
 * process, so tests decide it: {@code HOME} from the environment, else the {@code user.home} system property.
 */
final class HomeDirectory {

    private final Optional<String> home;

    private HomeDirectory(Optional<String> home) {
        this.home = requireNonNull(home, "home is null");
    }

    static HomeDirectory of(ConfigSources sources) {
        Optional<String> home = Optional.ofNullable(sources.environment().get("HOME"))
                .or(() -> Optional.ofNullable(sources.systemProperties().get("user.home")))
                .filter(value -> !value.isBlank());
        return new HomeDirectory(home);
    }

    /** Whether the path starts with {@code ~/} (or is {@code ~}) and so needs a home directory. */
    static boolean needsHome(String path) {
        return path.equals("~") || path.startsWith("~/");
    }

    /** Whether {@link #expand} can turn the path into a real one. */
    boolean canExpand(String path) {
        return !needsHome(path) || home.isPresent();
    }

    /** The path with a leading {@code ~/} replaced by the home directory; unchanged when there is none. */
    Path expand(String path) {
        if (!needsHome(path) || home.isEmpty()) {
            return Path.of(path);
        }
        return path.length() <= 2 ? Path.of(home.get()) : Path.of(home.get(), path.substring(2));
    }
}
