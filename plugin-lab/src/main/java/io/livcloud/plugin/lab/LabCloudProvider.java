package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The lab as a cloud: sites are network namespaces on this machine with a libvirtd and a charon each. Sites outlive
 * this object (a site brought up by one command is used by the next), so {@link #close()} leaves them running;
 * {@link #tearDown} removes one.
 */
final class LabCloudProvider implements CloudProvider {

    private final Lab lab;
    private final LabHostAccesses hostAccesses;

    LabCloudProvider(Lab lab, LabHostAccesses hostAccesses) {
        this.lab = requireNonNull(lab, "lab is null");
        this.hostAccesses = requireNonNull(hostAccesses, "hostAccesses is null");
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
        if (!dryRun) {
            hostAccesses.forget(siteName); // its sessions would hold processes in the site
        }
        return lab.down(siteName, dryRun);
    }

    /**
     * The site's gateway as its mode reaches it: {@code ip netns exec} in namespace mode, SSH to its WAN address
     * with the site's pinned host key in ssh mode. The provider keeps one per site; closing the returned access ends
     * the streams opened through it.
     *
     * @throws io.livcloud.spi.ExtensionException {@link LabErrorCode#SITE_NOT_FOUND} when the site is not up here
     */
    @Override
    public Optional<HostAccess> hostAccess(Site site, Host host) {
        return Optional.of(hostAccesses.forHost(site, host));
    }

    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        return new InstanceTypeCapability(instanceType, NestedVirtualization.UNKNOWN,
                List.of("the lab has no instance types: its sites run on this machine; probe the machine itself"),
                Map.of());
    }

    /** Closes the host accesses it handed out; the sites keep running on purpose. */
    @Override
    public void close() {
        hostAccesses.close();
    }
}
