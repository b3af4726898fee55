package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.Setting;
import io.livcloud.spi.probe.RegisterProbe;
import io.livcloud.spi.probe.RegisterProbeFactory;
import java.util.List;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * The {@code host} register probe: can this Linux machine, or a host reached through host access, run KVM guests in
 * hardware (VMX/SVM), through PVM, or only under TCG? From {@code /proc}, {@code /sys}, CPUID, MSRs and
 * {@code /dev/kvm} ioctls, and, when configured, a tiny guest booted under each accelerator on that host.
 */
@Extension
public final class HostRegisterProbeFactory implements RegisterProbeFactory {

    private final Supplier<HostFacts> facts;

    /** The factory PF4J instantiates: this machine. */
    public HostRegisterProbeFactory() {
        this(HostInspection::ofThisMachine);
    }

    /** A factory over another host's facts (tests: a fixture tree). */
    HostRegisterProbeFactory(Supplier<HostFacts> facts) {
        this.facts = facts;
    }

    @Override
    public String name() {
        return "host";
    }

    @Override
    public String description() {
        return "a Linux host, this one or one reached through host access: VMX/SVM, PVM or TCG, from /proc, /sys,"
                + " CPUID, MSRs, /dev/kvm and a test boot";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return HostProbeConfig.SETTINGS.declarations();
    }

    @Override
    public RegisterProbe create(ExtensionConfig config, ExtensionContext context) {
        HostProbeConfig settings = HostProbeConfig.from(config);
        return new HostRegisterProbe(facts, settings, HostRegisterProbe.configuredBoot(settings),
                context.logger(HostRegisterProbe.class.getName()));
    }
}
