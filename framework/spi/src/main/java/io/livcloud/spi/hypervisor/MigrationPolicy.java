package io.livcloud.spi.hypervisor;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How to run one live migration, set by the engine from the user's policy.
 *
 * @param downtimeTarget the pause the hypervisor aims for when switching over
 * @param bandwidthBytesPerSecond the migration stream's cap; 0 for none
 * @param features the techniques to turn on from the start
 * @param parallelConnections the number of streams when {@link MigrationFeature#MULTIFD} is on
 * @param compressionMethod the method when {@link MigrationFeature#COMPRESSION} is on, e.g. {@code zstd}
 * @param completionTimeout when to give up; the VM then keeps running on the source
 */
public record MigrationPolicy(
        Duration downtimeTarget,
        long bandwidthBytesPerSecond,
        Set<MigrationFeature> features,
        int parallelConnections,
        String compressionMethod,
        Duration completionTimeout) {

    public MigrationPolicy {
        Objects.requireNonNull(downtimeTarget, "downtimeTarget is null");
        features = Set.copyOf(features);
        Objects.requireNonNull(compressionMethod, "compressionMethod is null");
        Objects.requireNonNull(completionTimeout, "completionTimeout is null");
        if (bandwidthBytesPerSecond < 0 || parallelConnections < 1) {
            throw new IllegalArgumentException("bandwidth must be >= 0 and parallel connections >= 1");
        }
    }
}
