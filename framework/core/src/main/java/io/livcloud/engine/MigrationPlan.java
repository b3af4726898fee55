package io.livcloud.engine;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a migration would do, worked out without changing anything ({@code livcloud plan}).
 *
 * @param vmName the VM
 * @param fromSite where it runs
 * @param toSite where it would go
 * @param sourceUri the source host's hypervisor
 * @param destinationUri the destination host's hypervisor, as LivCloud reaches it
 * @param path how the migration data would travel, e.g. {@code through tunnel a-b to tcp://10.99.12.1:49152}
 * @param policy the policy's settings
 * @param checks the preflight checks and their results
 * @param steps the phases and what each would do
 * @param warnings what the user should know before going on (post-copy's risk, a plaintext path)
 */
public record MigrationPlan(String vmName, String fromSite, String toSite, String sourceUri, String destinationUri,
        String path, Map<String, String> policy, List<MigrationReport.Check> checks, List<String> steps,
        List<String> warnings) {

    public MigrationPlan {
        Objects.requireNonNull(vmName, "vmName is null");
        policy = Map.copyOf(policy);
        checks = List.copyOf(checks);
        steps = List.copyOf(steps);
        warnings = List.copyOf(warnings);
    }

    /** Whether every check passed, so that the migration may start. */
    public boolean feasible() {
        return checks.stream().allMatch(MigrationReport.Check::passed);
    }
}
