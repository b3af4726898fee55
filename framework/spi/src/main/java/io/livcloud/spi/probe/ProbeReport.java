package io.livcloud.spi.probe;

import io.livcloud.spi.hypervisor.Accelerator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A probe's answer.
 *
 * @param verdict whether and how the host can run a hypervisor
 * @param accelerator what the hypervisor extension should use; empty when {@link Verdict#NONE}
 * @param speedClass what guests can expect
 * @param platform where the host runs, e.g. {@code EC2 Nitro}, {@code Azure}, {@code bare metal}, {@code KVM guest}
 * @param evidence the facts the verdict rests on, each with its source
 * @param remedies what would enable more here; empty when nothing would
 */
public record ProbeReport(
        Verdict verdict,
        Optional<Accelerator> accelerator,
        SpeedClass speedClass,
        String platform,
        List<Evidence> evidence,
        List<Remedy> remedies) {

    public ProbeReport {
        Objects.requireNonNull(verdict, "verdict is null");
        Objects.requireNonNull(accelerator, "accelerator is null");
        Objects.requireNonNull(speedClass, "speedClass is null");
        Objects.requireNonNull(platform, "platform is null");
        evidence = List.copyOf(evidence);
        remedies = List.copyOf(remedies);
    }
}
