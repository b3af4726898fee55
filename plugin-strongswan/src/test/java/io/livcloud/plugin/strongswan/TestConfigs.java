package io.livcloud.plugin.strongswan;

import io.livcloud.testing.FakeExtensionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The strongswan extension's configuration with the plugin's reference.conf values. */
final class TestConfigs {

    static final Path CHARON = Path.of("/usr/lib/ipsec/charon");

    private TestConfigs() {
    }

    static StrongSwanConfig config() {
        return StrongSwanConfig.from(defaults());
    }

    /** The plugin's reference.conf values, as the host would hand them over. */
    static FakeExtensionConfig defaults() {
        return new FakeExtensionConfig("livcloud.extensions.tunnel.strongswan", StrongSwanConfig.settings(),
                Map.ofEntries(Map.entry("charon-path", CHARON.toString()), Map.entry("data-path", "auto"),
                        Map.entry("ike-proposals", "aes256gcm16-prfsha384-ecp384"),
                        Map.entry("esp-proposals", "aes256gcm16-ecp384"),
                        Map.entry("dpd-delay", Duration.ofSeconds(10)), Map.entry("ike-rekey-time", Duration.ofHours(4)),
                        Map.entry("rekey-time", Duration.ofHours(1)),
                        Map.entry("establish-timeout", Duration.ofSeconds(30)),
                        Map.entry("start-timeout", Duration.ofSeconds(15)), Map.entry("retransmit-tries", 3L)));
    }
}
