package io.livcloud.core;

import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.provider.ReachabilityTarget;
import java.util.List;
import java.util.Optional;

/** {@code livcloud.migration.policy} as an {@link EnginePolicy}: each key that is absent keeps the engine's default. */
final class PolicyConfiguration {

    private PolicyConfiguration() {
    }

    private static EnginePolicy.Reachability reachability(ExtensionConfig section,
            EnginePolicy.Reachability defaults) {
        Optional<ReachabilityTarget> target = section.string("reachability-probe").map(String::strip)
                .filter(text -> !text.isEmpty() && !text.equals("none")).map(ReachabilityTarget::parse);
        return new EnginePolicy.Reachability(target, section.string("reachability-from").orElse(defaults.fromSite()),
                section.duration("reachability-timeout").orElse(defaults.timeout()),
                section.duration("client-probe-interval").orElse(defaults.clientProbeInterval()),
                section.string("on-unreachable").map(EnginePolicy.OnUnreachable::of)
                        .orElse(defaults.onUnreachable()));
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
                    defaults.pollInterval(),
                    section.bool("stretch-segment").orElse(defaults.stretchSegment()),
                    reachability(section, defaults.reachability()));
        } catch (IllegalArgumentException e) {
            throw new LivCloudException("livcloud.migration.policy is invalid: " + e.getMessage(),
                    "fix the section (livcloud config check shows where it is set)");
        }
    }
}
