package io.livcloud.cli;

import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** The migration policy's options, shared by {@code plan} and {@code migrate}; defaults are the engine's. */
final class PolicyOptions {

    @Option(names = "--downtime-ms", defaultValue = "300", paramLabel = "MS",
            description = "The pause the first attempt aims for (default: ${DEFAULT-VALUE}).")
    long downtimeMillis;

    @Option(names = "--max-downtime-ms", defaultValue = "2000", paramLabel = "MS",
            description = "The largest pause the ladder may raise it to (default: ${DEFAULT-VALUE}).")
    long maximumDowntimeMillis;

    @Option(names = "--bandwidth-mibps", defaultValue = "0", paramLabel = "MIB/S",
            description = "Cap on the migration stream; 0 for none (default: ${DEFAULT-VALUE}).")
    long bandwidthMebibytesPerSecond;

    @Option(names = "--multifd", defaultValue = "2", paramLabel = "N",
            description = "Parallel streams of the first attempt; 1 for a single stream (default: ${DEFAULT-VALUE}).")
    int multifdChannels;

    @Option(names = "--ladder", defaultValue = "raise-downtime,xbzrle,auto-converge", paramLabel = "STEPS",
            description = "What to try, in order, when pre-copy stops converging: raise-downtime, xbzrle, "
                    + "auto-converge, post-copy (default: ${DEFAULT-VALUE}).")
    String ladder;

    @Option(names = "--allow-post-copy", description = {"Let the ladder switch to post-copy.",
            "Risk: once switched, the VM's memory is split between the sites; if the link fails, the VM is lost."})
    boolean allowPostCopy;

    @Option(names = "--allow-plaintext", description = "Allow a path across sites that is not encrypted (no tunnel).")
    boolean allowPlaintext;

    @Option(names = "--timeout-per-gib", defaultValue = "PT2M", paramLabel = "DURATION",
            description = "Give up after this long per GiB of guest memory, at least a minute; the VM keeps running "
                    + "at the source (default: ${DEFAULT-VALUE}).")
    Duration timeoutPerGiB;

    EnginePolicy policy() {
        List<EnginePolicy.Rung> rungs;
        try {
            rungs = Arrays.stream(ladder.split(",")).map(String::strip).filter(step -> !step.isEmpty())
                    .map(EnginePolicy.Rung::of).toList();
            EnginePolicy defaults = EnginePolicy.defaults();
            return new EnginePolicy(Duration.ofMillis(downtimeMillis), Duration.ofMillis(maximumDowntimeMillis),
                    bandwidthMebibytesPerSecond << 20, multifdChannels, rungs, defaults.stallPasses(), timeoutPerGiB,
                    defaults.minimumCompletionTimeout(), allowPostCopy, allowPlaintext, defaults.rollbackWindow(),
                    defaults.pollInterval());
        } catch (IllegalArgumentException e) {
            throw new LivCloudException("the migration policy is invalid: " + e.getMessage(), "see livcloud migrate"
                    + " --help");
        }
    }
}
