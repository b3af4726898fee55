package io.livcloud.core.host;

import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * A provider of fixed sites whose hosts are reached as the test says, for the core's tests of host access: it
 * describes, gives access and records whether it was closed; provisioning is not its job.
 */
public final class FakeSitesProvider implements CloudProvider {

    private final List<Site> sites;
    private final BiFunction<Site, Host, Optional<HostAccess>> access;
    private volatile boolean closed;

    public FakeSitesProvider(List<Site> sites, BiFunction<Site, Host, Optional<HostAccess>> access) {
        this.sites = List.copyOf(sites);
        this.access = access;
    }

    public boolean closed() {
        return closed;
    }

    @Override
    public List<Site> listSites() {
        return sites;
    }

    @Override
    public Optional<HostAccess> hostAccess(Site site, Host host) {
        return access.apply(site, host);
    }

    @Override
    public boolean canProvision() {
        return false;
    }

    @Override
    public Site provision(SiteSpec spec) {
        throw new UnsupportedOperationException("the fake provider provisions nothing");
    }

    @Override
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        throw new UnsupportedOperationException("the fake provider tears nothing down");
    }

    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        throw new UnsupportedOperationException("the fake provider knows no instance types");
    }

    @Override
    public void close() {
        closed = true;
    }
}
