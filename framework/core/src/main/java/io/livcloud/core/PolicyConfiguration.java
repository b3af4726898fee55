package io.livcloud.core;

import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.spi.ExtensionConfig;
import java.util.List;

/** {@code livcloud.migration.policy} as an {@link EnginePolicy}: each key that is absent keeps the engine's default. */
final class PolicyConfiguration {

    private PolicyConfiguration() {
    }

    static EnginePolicy read(ExtensionConfig section) {
        EnginePolicy defaults = EnginePolicy.defaults();
        try {
            List<EnginePolicy.Rung> ladder = section.has("ladder")
                    ? section.stringList("ladder").stream().map(EnginePolicy.Rung::of).toList() : defaults.ladder();
            return new EnginePolicy(
                    section.duration("downtime-target").orElse(defaults.downtimeTarget()),
                    section.duration("downtime-maximum").orElse(defaults.downtimeMaximum()),
                    section.bytes("bandwidth").orElse(defaults.bandwidthBytesPerSecond()),
                    (int) section.integer("multifd-channels").orElse(defaults.multifdChannels()),
                    ladder,
                    (int) section.integer("stall-passes").orElse(defaults.stallPasses()),
                    section.duration("completion-timeout-per-gib").orElse(defaults.completionTimeoutPerGiB()),
                    defaults.minimumCompletionTimeout(),
                    section.bool("allow-post-copy").orElse(defaults.allowPostCopy()),
                    section.bool("allow-plaintext").orElse(defaults.allowPlaintext()),
                    section.string("encrypted-path").map(String::strip).map(EnginePolicy.EncryptedPath::of)
                            .orElse(defaults.encryptedPath()),
                    section.duration("rollback-window").orElse(defaults.rollbackWindow()),
                    defaults.pollInterval());
        } catch (IllegalArgumentException e) {
            throw new LivCloudException("livcloud.migration.policy is invalid: " + e.getMessage(),
                    "fix the section (livcloud config check shows where it is set)");
        }
    }
}
