package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.probe.Evidence;
import io.livcloud.spi.probe.ProbeReport;
import io.livcloud.spi.probe.ProbeRequest;
import io.livcloud.spi.probe.RegisterProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/** The {@code host} register probe: inspects this machine and, when asked and configured, boots a test guest. */
final class HostRegisterProbe implements RegisterProbe {

    private static final String FUNCTIONAL_TEST = "functional test";

    private final Supplier<HostFacts> facts;
    private final HostProbeConfig settings;
    private final Optional<GuestBoot> boot;

    /**
     * @param facts inspects the host (tests: a fixture tree)
     * @param settings the probe's settings
     * @param boot the functional test's guest boot; empty when no kernel and initrd are configured
     */
    HostRegisterProbe(Supplier<HostFacts> facts, HostProbeConfig settings, Optional<GuestBoot> boot) {
        this.facts = Objects.requireNonNull(facts, "facts is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.boot = Objects.requireNonNull(boot, "boot is null");
    }

    /** The guest boot the settings configure, if they name a kernel and initrd. */
    static Optional<GuestBoot> configuredBoot(HostProbeConfig settings) {
        if (settings.functionalTestKernel().isEmpty() || settings.functionalTestInitrd().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new QemuGuestBoot(settings.qemuBinary(), settings.functionalTestKernel().get(),
                settings.functionalTestInitrd().get()));
    }

    @Override
    public ProbeReport probe(ProbeRequest request) {
        HostFacts host = facts.get();
        List<Evidence> functional = new ArrayList<>();
        Optional<GuestBoot.Outcome> kvm = Optional.empty();
        Optional<GuestBoot.Outcome> tcg = Optional.empty();
        Optional<String> unavailable = functionalTestUnavailable(request);
        if (unavailable.isPresent()) {
            functional.add(new Evidence(FUNCTIONAL_TEST, request.functionalTest() ? "unavailable" : "not requested",
                    "settings " + HostProbeConfig.FUNCTIONAL_TEST_KERNEL.key() + ", "
                            + HostProbeConfig.FUNCTIONAL_TEST_INITRD.key(), unavailable.get()));
        } else {
            Duration timeout = request.functionalTestTimeout().isZero() || request.functionalTestTimeout().isNegative()
                    ? settings.functionalTestTimeout() : request.functionalTestTimeout();
            if (host.kvmUsable()) {
                kvm = Optional.of(boot.orElseThrow().boot(Accelerator.KVM, timeout));
                functional.add(outcome("functional test -accel kvm", kvm.get()));
            } else {
                functional.add(new Evidence("functional test -accel kvm", "not run", "/dev/kvm",
                        "/dev/kvm is absent or unusable (see above)"));
            }
            tcg = Optional.of(boot.orElseThrow().boot(Accelerator.TCG, timeout));
            functional.add(outcome("functional test -accel tcg", tcg.get()));
        }
        return HostVerdict.decide(host, kvm, tcg, functional);
    }

    private Optional<String> functionalTestUnavailable(ProbeRequest request) {
        if (!request.functionalTest()) {
            return Optional.of("the request did not ask for it; the verdict rests on evidence only");
        }
        if (boot.isEmpty()) {
            return Optional.of(HostProbeConfig.FUNCTIONAL_TEST_KERNEL.key() + " and "
                    + HostProbeConfig.FUNCTIONAL_TEST_INITRD.key() + " are not both set, so no guest can be booted; "
                    + "the verdict rests on evidence only");
        }
        for (Path path : List.of(settings.functionalTestKernel().orElseThrow(),
                settings.functionalTestInitrd().orElseThrow())) {
            if (!Files.isReadable(path)) {
                return Optional.of(path + " is not a readable file; the verdict rests on evidence only");
            }
        }
        return Optional.empty();
    }

    private static Evidence outcome(String item, GuestBoot.Outcome outcome) {
        String value = outcome.reachedUserSpace() ? "reached user space in " + outcome.elapsed().toMillis() + " ms"
                : outcome.started() ? "no user space after " + outcome.elapsed().toMillis() + " ms" : "did not start";
        return new Evidence(item, value, "guest boot (serial console)", outcome.detail());
    }

    @Override
    public void close() {
        // Nothing held: each guest boot is killed before probe() returns.
    }
}
