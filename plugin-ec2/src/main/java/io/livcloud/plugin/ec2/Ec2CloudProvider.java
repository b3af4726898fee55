package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.cloud.CloudHostSsh;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * EC2 as a cloud, in one region: the configured {@code region} (else the SDK's default). Sites are found again by their
 * tags in that region only — listing, describing and teardown have no location to go by — so a site whose
 * {@code location} names another region is refused rather than created where {@code site destroy} would never look.
 * One {@link Ec2SiteProvisioner} and one {@link Ec2SiteTeardown}, sharing one SDK client, made on first need; hosts are
 * reached over SSH at their Elastic IP (the provider's one {@link CloudHostSsh}).
 */
final class Ec2CloudProvider implements CloudProvider {

    /**
     * The two jobs on the sites of one region, over one client.
     *
     * @param provisioner builds, finds and lists sites
     * @param teardown removes them
     */
    record Jobs(Ec2SiteProvisioner provisioner, Ec2SiteTeardown teardown) {
        Jobs {
            requireNonNull(provisioner, "provisioner is null");
            requireNonNull(teardown, "teardown is null");
        }
    }

    private final String configuredRegion;
    private final Function<String, Jobs> regions;
    private final CloudHostSsh ssh;
    private final Runnable closer;
    private Jobs jobs;

    /**
     * @param configuredRegion the configured region; empty for the SDK's default (the provisioner then names it)
     * @param regions makes the jobs of a region
     * @param ssh reaches the hosts; closed by the closer
     * @param closer releases the clients made so far
     */
    Ec2CloudProvider(String configuredRegion, Function<String, Jobs> regions, CloudHostSsh ssh, Runnable closer) {
        this.configuredRegion = requireNonNull(configuredRegion, "configuredRegion is null");
        this.regions = requireNonNull(regions, "regions is null");
        this.ssh = requireNonNull(ssh, "ssh is null");
        this.closer = requireNonNull(closer, "closer is null");
    }

    private synchronized Jobs jobs() {
        if (jobs == null) {
            jobs = regions.apply(configuredRegion);
        }
        return jobs;
    }

    private Ec2SiteProvisioner provisioner() {
        return jobs().provisioner();
    }

    @Override
    public List<Site> listSites() {
        return provisioner().list();
    }

    @Override
    public Optional<Site> describeSite(String siteName) {
        return provisioner().describe(siteName);
    }

    @Override
    public boolean canProvision() {
        return true;
    }

    @Override
    public Site provision(SiteSpec spec) {
        String location = requireNonNull(spec, "spec is null").location().trim();
        if (!location.isEmpty()) {
            Ec2Config.checkRegion(location, () -> new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "location '"
                    + location + "' is not an AWS region name", "write a region such as eu-west-1"));
            String region = provisioner().region();
            if (!location.equals(region)) {
                throw new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "site '" + spec.name() + "': location "
                        + location + " is not the provider's region " + region + "; sites are listed and torn down"
                        + " in " + region + " only, so a site in " + location + " could never be found or removed"
                        + " again", "set livcloud.extensions.provider.ec2.region = " + location + " (one region per"
                        + " configuration), or leave the site's location out to create it in " + region);
            }
        }
        return provisioner().provision(spec);
    }

    @Override
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        return jobs().teardown().tearDown(siteName, dryRun);
    }

    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        return provisioner().capability(instanceType);
    }

    /** SSH as the configured {@code ssh-user} with the site's key, at the host's Elastic IP; empty without one. */
    @Override
    public Optional<HostAccess> hostAccess(Site site, Host host) {
        return ssh.hostAccess(requireNonNull(host, "host is null"));
    }

    @Override
    public void close() {
        closer.run();
    }
}
