package io.livcloud.plugin.strongswan;

import io.livcloud.spi.Secret;
import io.livcloud.spi.SecretStore;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Where each end of a tunnel gets its pre-shared key. LivCloud configures both ends, so both get the same key:
 * 256 random bits, generated once per tunnel and kept in the host's secret store (a file only its owner can read),
 * never in a log, a record or a rendered configuration. Tests substitute a source that gives one end another key.
 */
interface PreSharedKeys {

    /** The key {@code siteName}'s gateway loads for the tunnel; generated on first use. */
    Secret forEnd(String tunnelId, String siteName);

    /** Forgets the tunnel's key. */
    void forget(String tunnelId);

    /** The production source: one generated key per tunnel in the secret store. */
    static PreSharedKeys stored(SecretStore store) {
        return new PreSharedKeys() {
            private final SecureRandom random = new SecureRandom();

            @Override
            public synchronized Secret forEnd(String tunnelId, String siteName) {
                String name = name(tunnelId);
                return store.get(name).orElseGet(() -> {
                    byte[] key = new byte[32];
                    random.nextBytes(key);
                    Secret secret = Secret.of(Base64.getEncoder().encodeToString(key));
                    store.put(name, secret);
                    return secret;
                });
            }

            @Override
            public void forget(String tunnelId) {
                store.delete(name(tunnelId));
            }

            private String name(String tunnelId) {
                return "tunnel." + tunnelId + ".psk";
            }
        };
    }
}
