package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab as a cloud: sites are network namespaces on this machine with a libvirtd each. Sites outlive this object
 * (a site brought up by one command is used by the next), so {@link #close()} leaves them running; {@link #tearDown}
 * removes one.
 */
final class LabCloudProvider implements CloudProvider {

    private final Lab lab;
    private final LabProber prober;

    LabCloudProvider(Lab lab, LabProber prober) {
        this.lab = requireNonNull(lab, "lab is null");
        this.prober = requireNonNull(prober, "prober is null");
    }

    /** Probes run in a site's namespace, where its gateway is. */
    @Override
    public Optional<SiteProber> prober() {
        return Optional.of(prober);
    }

    @Override
    public List<Site> listSites() {
        return lab.sites();
    }

    @Override
    public boolean canProvision() {
        return true;
    }

    @Override
    public Site provision(SiteSpec spec) {
        return lab.up(requireNonNull(spec, "spec is null"));
    }

    @Override
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        return lab.down(siteName, dryRun);
    }

    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        return new InstanceTypeCapability(instanceType, NestedVirtualization.UNKNOWN,
                List.of("the lab has no instance types: its sites run on this machine; probe the machine itself"),
                Map.of());
    }

    @Override
    public void close() {
        // Nothing held: every call reads the lab's state afresh, and the sites keep running on purpose.
    }
}
