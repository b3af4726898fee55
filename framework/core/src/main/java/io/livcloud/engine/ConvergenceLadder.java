package io.livcloud.engine;

import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationProgress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Decides, pass by pass, whether pre-copy converges and what to do when it does not. Pure logic, no I/O: the engine
 * feeds it each progress reading and acts on its {@link Decision}s.
 *
 * <p>A pass "progresses" when the memory left at its start is below the least left at the start of any earlier pass of
 * the same attempt. {@link EnginePolicy#stallPasses} passes in a row without progress are a stall, and the next rung
 * is taken. Raising the downtime limit works on the running transfer; the other rungs need the hypervisor to start
 * again with other features (QEMU fixes capabilities at start; multifd excludes XBZRLE and post-copy), so they abort
 * the attempt (the VM keeps running on the source) and start the next one. When no rung is left, it gives up.
 */
final class ConvergenceLadder {

    /**
     * One run of the hypervisor's migration.
     *
     * @param number 1 for the first
     * @param features what it turns on from the start
     * @param channels multifd streams, 1 without multifd
     * @param downtimeLimit the pause it starts with
     * @param label how people see it, e.g. {@code multifd x2}
     */
    record Attempt(int number, Set<MigrationFeature> features, int channels, Duration downtimeLimit, String label) {
        Attempt {
            features = Set.copyOf(features);
            Objects.requireNonNull(downtimeLimit, "downtimeLimit is null");
        }
    }

    /** What to do after a progress reading. */
    sealed interface Decision {
        /** Go on. */
        record Continue() implements Decision {
        }

        /** Allow a longer pause on the running transfer. */
        record RaiseDowntime(Duration limit, String reason) implements Decision {
        }

        /** Abort this attempt (the VM stays on the source) and start {@code next}. */
        record Restart(Attempt next, String reason) implements Decision {
        }

        /** Switch the running transfer to post-copy. */
        record SwitchToPostCopy(String reason) implements Decision {
        }

        /** Nothing is left to try. */
        record GiveUp(String reason) implements Decision {
        }
    }

    private static final Decision CONTINUE = new Decision.Continue();

    private final EnginePolicy policy;
    private final Deque<EnginePolicy.Rung> rungs;
    private Attempt attempt;
    private Duration downtimeLimit;
    private long lastIteration;
    private long leastRemaining = Long.MAX_VALUE;
    private int passesWithoutProgress;
    private boolean switchedToPostCopy;
    private boolean xbzrleUsed;

    ConvergenceLadder(EnginePolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy is null");
        this.rungs = new ArrayDeque<>(policy.ladder());
        this.downtimeLimit = policy.downtimeTarget();
        Set<MigrationFeature> features = policy.multifdChannels() > 1 ? Set.of(MigrationFeature.MULTIFD) : Set.of();
        this.attempt = new Attempt(1, features, policy.multifdChannels(), downtimeLimit,
                policy.multifdChannels() > 1 ? "pre-copy, multifd x" + policy.multifdChannels() : "pre-copy");
    }

    /** The attempt to run now. */
    Attempt attempt() {
        return attempt;
    }

    /** The downtime limit in force now. */
    Duration downtimeLimit() {
        return downtimeLimit;
    }

    /** Reads one progress report of the current attempt. */
    Decision observe(MigrationProgress progress) {
        if (progress.iteration() <= lastIteration) {
            return CONTINUE;
        }
        lastIteration = progress.iteration();
        if (attempt.features().contains(MigrationFeature.POST_COPY) && !switchedToPostCopy
                && progress.iteration() >= 2) {
            switchedToPostCopy = true;
            return new Decision.SwitchToPostCopy("the first full pass is done; post-copy moves the rest on demand");
        }
        if (progress.memoryRemainingBytes() < leastRemaining) {
            leastRemaining = progress.memoryRemainingBytes();
            passesWithoutProgress = 0;
            return CONTINUE;
        }
        passesWithoutProgress++;
        if (passesWithoutProgress < policy.stallPasses()) {
            return CONTINUE;
        }
        String stall = passesWithoutProgress + " passes without less memory left (" + (leastRemaining >> 20)
                + " MiB at best, dirtied at " + (progress.dirtyRateBytesPerSecond() >> 20) + " MiB/s, sent at "
                + (progress.throughputBytesPerSecond() >> 20) + " MiB/s)";
        passesWithoutProgress = 0;
        return nextRung(stall);
    }

    private Decision nextRung(String stall) {
        while (!rungs.isEmpty()) {
            EnginePolicy.Rung rung = rungs.peekFirst();
            switch (rung) {
                case RAISE_DOWNTIME -> {
                    if (downtimeLimit.compareTo(policy.downtimeMaximum()) < 0) {
                        Duration raised = downtimeLimit.multipliedBy(2);
                        downtimeLimit = raised.compareTo(policy.downtimeMaximum()) > 0 ? policy.downtimeMaximum()
                                : raised;
                        return new Decision.RaiseDowntime(downtimeLimit, stall);
                    }
                    rungs.removeFirst(); // at the maximum: the next rung
                }
                case XBZRLE -> {
                    rungs.removeFirst();
                    xbzrleUsed = true;
                    return restart(EnumSet.of(MigrationFeature.XBZRLE), "pre-copy, xbzrle", stall);
                }
                case AUTO_CONVERGE -> {
                    rungs.removeFirst();
                    Set<MigrationFeature> features = EnumSet.of(MigrationFeature.AUTO_CONVERGE);
                    if (xbzrleUsed) {
                        features.add(MigrationFeature.XBZRLE);
                    }
                    return restart(features, xbzrleUsed ? "pre-copy, xbzrle + auto-converge" : "pre-copy,"
                            + " auto-converge", stall);
                }
                case POST_COPY -> {
                    rungs.removeFirst();
                    if (policy.allowPostCopy()) {
                        return restart(EnumSet.of(MigrationFeature.POST_COPY), "post-copy after the first pass",
                                stall);
                    }
                }
                default -> throw new AssertionError(rung);
            }
        }
        return new Decision.GiveUp("pre-copy does not converge and every step of the ladder was taken: " + stall);
    }

    private Decision restart(Set<MigrationFeature> features, String label, String stall) {
        attempt = new Attempt(attempt.number() + 1, features, 1, downtimeLimit, label);
        lastIteration = 0;
        leastRemaining = Long.MAX_VALUE;
        passesWithoutProgress = 0;
        switchedToPostCopy = false;
        return new Decision.Restart(attempt, stall);
    }
}
