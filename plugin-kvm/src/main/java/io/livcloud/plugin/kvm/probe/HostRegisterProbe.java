package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.HostAccess;
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

/**
 * The {@code host} register probe: inspects this machine, or another host through its host access, and, when asked
 * and configured, boots a test guest there. Both ways share the inspection ({@link HostInspection}), the boot's
 * command line and judgement ({@link QemuGuestBoot}) and the verdict ({@link HostVerdict}); only the reading of files
 * and devices and the running of QEMU differ.
 */
final class HostRegisterProbe implements RegisterProbe {

    private static final String FUNCTIONAL_TEST = "functional test";

    private final Supplier<HostFacts> facts;
    private final HostProbeConfig settings;
    private final Optional<GuestBoot> boot;
    private final System.Logger logger;

    /**
     * @param facts inspects this machine (tests: a fixture tree)
     * @param settings the probe's settings
     * @param boot the functional test's guest boot on this machine; empty when no kernel and initrd are configured
     * @param logger for what a probe of another host leaves behind there (a test folder it could not remove)
     */
    HostRegisterProbe(Supplier<HostFacts> facts, HostProbeConfig settings, Optional<GuestBoot> boot,
            System.Logger logger) {
        this.facts = Objects.requireNonNull(facts, "facts is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.boot = Objects.requireNonNull(boot, "boot is null");
        this.logger = Objects.requireNonNull(logger, "logger is null");
    }

    /** The guest boot the settings configure, if they name a kernel and initrd. */
    static Optional<GuestBoot> configuredBoot(HostProbeConfig settings) {
        if (!bootConfigured(settings)) {
            return Optional.empty();
        }
        return Optional.of(new QemuGuestBoot(settings.qemuBinary(), settings.functionalTestKernel().get(),
                settings.functionalTestInitrd().get()));
    }

    private static boolean bootConfigured(HostProbeConfig settings) {
        return settings.functionalTestKernel().isPresent() && settings.functionalTestInitrd().isPresent();
    }

    @Override
    public ProbeReport probe(ProbeRequest request) {
        return report(request, facts.get(), functionalTestUnavailable(request, boot.isPresent()), boot);
    }

    /**
     * The same inspection and test boot on the host behind {@code host}: its files are read there, its devices asked
     * there, and the test guest's kernel and initramfs are copied there for the boot.
     */
    @Override
    public ProbeReport probe(ProbeRequest request, HostAccess host) {
        Objects.requireNonNull(host, "host is null");
        HostFacts inspected = HostInspection.ofHost(host);
        Optional<String> unavailable = functionalTestUnavailable(request, bootConfigured(settings));
        if (unavailable.isPresent()) {
            return report(request, inspected, unavailable, Optional.empty());
        }
        try (RemoteGuestBoot remote = RemoteGuestBoot.copyTo(host, settings.qemuBinary(),
                settings.functionalTestKernel().orElseThrow(), settings.functionalTestInitrd().orElseThrow(),
                logger)) {
            return report(request, inspected, Optional.empty(), Optional.of(remote));
        } catch (RemoteGuestBoot.NotCopied e) {
            return report(request, inspected, Optional.of(e.getMessage() + "; the verdict rests on evidence only"),
                    Optional.empty());
        }
    }

    /**
     * @param unavailable why the functional test does not run; empty: it runs with {@code guestBoot}
     */
    private ProbeReport report(ProbeRequest request, HostFacts host, Optional<String> unavailable,
            Optional<GuestBoot> guestBoot) {
        List<Evidence> functional = new ArrayList<>();
        Optional<GuestBoot.Outcome> kvm = Optional.empty();
        Optional<GuestBoot.Outcome> tcg = Optional.empty();
        if (unavailable.isPresent()) {
            functional.add(new Evidence(FUNCTIONAL_TEST, request.functionalTest() ? "unavailable" : "not requested",
                    "settings " + HostProbeConfig.FUNCTIONAL_TEST_KERNEL.key() + ", "
                            + HostProbeConfig.FUNCTIONAL_TEST_INITRD.key(), unavailable.get()));
        } else {
            Duration timeout = request.functionalTestTimeout().isZero() || request.functionalTestTimeout().isNegative()
                    ? settings.functionalTestTimeout() : request.functionalTestTimeout();
            if (host.kvmUsable()) {
                kvm = Optional.of(guestBoot.orElseThrow().boot(Accelerator.KVM, timeout));
                functional.add(outcome("functional test -accel kvm", kvm.get()));
            } else {
                functional.add(new Evidence("functional test -accel kvm", "not run", "/dev/kvm",
                        "/dev/kvm is absent or unusable (see above)"));
            }
            tcg = Optional.of(guestBoot.orElseThrow().boot(Accelerator.TCG, timeout));
            functional.add(outcome("functional test -accel tcg", tcg.get()));
        }
        return HostVerdict.decide(host, kvm, tcg, functional);
    }

    private Optional<String> functionalTestUnavailable(ProbeRequest request, boolean bootable) {
        if (!request.functionalTest()) {
            return Optional.of("the request did not ask for it; the verdict rests on evidence only");
        }
        if (!bootable) {
            return Optional.of(HostProbeConfig.FUNCTIONAL_TEST_KERNEL.key() + " and "
                    + HostProbeConfig.FUNCTIONAL_TEST_INITRD.key() + " are not both set, so no guest can be booted; "
                    + "the verdict rests on evidence only");
        }
        // On this machine in both cases: from here the files are copied to a host reached through host access.
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
        // Nothing held: each guest boot is killed, and a remote host's test folder removed, before probe() returns.
    }
}
