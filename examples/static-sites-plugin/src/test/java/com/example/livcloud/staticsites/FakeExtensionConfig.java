package com.example.livcloud.staticsites;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The static provider's configuration section as the host would hand it over, written by hand: the provider reads only
 * {@code sites}, and like the host this fake refuses any other key.
 */
final class FakeExtensionConfig implements ExtensionConfig {

    private final Map<String, Object> sites;

    private FakeExtensionConfig(Map<String, Object> sites) {
        this.sites = Map.copyOf(sites);
    }

    /** A section whose {@code sites} object has these entries, as plain JDK values. */
    static FakeExtensionConfig withSites(Map<String, Object> sites) {
        return new FakeExtensionConfig(sites);
    }

    @Override
    public String path() {
        return "livcloud.extensions.provider.static";
    }

    @Override
    public boolean has(String key) {
        return declared(key); // reference.conf gives sites a value, {} at least
    }

    @Override
    public Map<String, Object> object(String key) {
        declared(key);
        return sites;
    }

    @Override
    public String origin(String key) {
        declared(key);
        return "livcloud.conf:1";
    }

    @Override
    public Optional<String> string(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public OptionalLong integer(String key) {
        return OptionalLong.of(undeclared(key));
    }

    @Override
    public Optional<Duration> duration(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public OptionalLong bytes(String key) {
        return OptionalLong.of(undeclared(key));
    }

    @Override
    public Optional<Path> path(String key) {
        return Optional.of(undeclared(key));
    }

    @Override
    public List<String> stringList(String key) {
        return List.of(undeclared(key));
    }

    @Override
    public Optional<Secret> secret(String key) {
        return Optional.of(undeclared(key));
    }

    private static boolean declared(String key) {
        if (!key.equals("sites")) {
            undeclared(key);
        }
        return true;
    }

    /** What the host does when an extension reads a key its settings do not declare. */
    private static <T> T undeclared(String key) {
        throw new IllegalArgumentException("the static provider declares no setting '" + key + "'");
    }
}
