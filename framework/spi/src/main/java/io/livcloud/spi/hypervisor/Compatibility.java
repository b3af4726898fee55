package io.livcloud.spi.hypervisor;

import java.util.List;
import java.util.Objects;

/**
 * Whether a VM can run on a destination host: the answer of {@link HypervisorConnection#checkCompatibility}.
 *
 * @param problems what stands in the way; empty when the VM can move
 */
public record Compatibility(List<Problem> problems) {

    public Compatibility {
        problems = List.copyOf(problems);
    }

    /** The VM can run on the destination. */
    public static Compatibility compatible() {
        return new Compatibility(List.of());
    }

    /** Whether nothing stands in the way. */
    public boolean isCompatible() {
        return problems.isEmpty();
    }

    /**
     * One reason the VM cannot move.
     *
     * @param check what was compared, e.g. {@code architecture}, {@code cpu-model}, {@code memory}
     * @param reason what differs, naming both sides
     * @param remedy what would make it work; empty when nothing can
     */
    public record Problem(String check, String reason, String remedy) {
        public Problem {
            Objects.requireNonNull(check, "check is null");
            Objects.requireNonNull(reason, "reason is null");
            Objects.requireNonNull(remedy, "remedy is null");
        }
    }
}
