package io.livcloud.spi;

import java.util.Optional;

/**
 * Secrets an extension generates or needs across runs, e.g. a tunnel's pre-shared key. The host's store keeps each
 * secret in a file readable by the owner only and never logs values. Names are scoped to the calling plugin.
 */
public interface SecretStore {

    /**
     * The secret stored under {@code name}, if any.
     *
     * @throws ExtensionException if the store cannot be read
     */
    Optional<Secret> get(String name);

    /**
     * Stores (or replaces) a secret.
     *
     * @param name lower case letters, digits, dots and dashes
     * @throws IllegalArgumentException if the name is not of that form
     * @throws ExtensionException if the store cannot be written
     */
    void put(String name, Secret secret);

    /** Removes a secret; nothing happens if there is none. */
    void delete(String name);
}
