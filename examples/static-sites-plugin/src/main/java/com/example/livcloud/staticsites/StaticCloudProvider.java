package com.example.livcloud.staticsites;

import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Map;

/**
 * Describes the sites read from configuration. It holds no connection, so there is nothing to close, and it cannot
 * create or remove sites: those exist already and belong to whoever runs them.
 */
final class StaticCloudProvider implements CloudProvider {

    private static final String CANNOT_PROVISION = "the static provider describes sites declared in "
            + "livcloud.extensions.provider.static.sites; a static inventory cannot create or remove sites";

    private final List<Site> sites;

    StaticCloudProvider(List<Site> sites) {
        this.sites = List.copyOf(sites);
    }

    @Override
    public List<Site> listSites() {
        return sites;
    }

    @Override
    public boolean canProvision() {
        return false;
    }

    @Override
    public Site provision(SiteSpec spec) {
        throw new UnsupportedOperationException(CANNOT_PROVISION);
    }

    @Override
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        throw new UnsupportedOperationException(CANNOT_PROVISION);
    }

    /** Hosts here are machines, not instance types of a cloud catalogue; only probing the host itself can tell. */
    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        return new InstanceTypeCapability(instanceType, NestedVirtualization.UNKNOWN,
                List.of("a static inventory has no instance type catalogue to ask; probe the host itself"), Map.of());
    }

    @Override
    public void close() {
        // Nothing to release: the sites are plain values read from configuration.
    }
}
