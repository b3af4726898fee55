package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.InstanceTypeCapability;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * EC2 as a cloud: one {@link Ec2SiteProvisioner} (and SDK client) per region in use, made on first need. Sites are in
 * the configured region unless a site's {@code location} names another; {@link #listSites()} and
 * {@link #tearDown} look in the configured region (the CLI passes the site's own region through its configuration).
 */
final class Ec2CloudProvider implements CloudProvider {

    private final String defaultRegion;
    private final Function<String, Ec2SiteProvisioner> provisioners;
    private final Runnable closer;
    private final Map<String, Ec2SiteProvisioner> byRegion = new ConcurrentHashMap<>();

    /**
     * @param defaultRegion the configured region; empty for the SDK's default (the provisioner then names it)
     * @param provisioners makes the provisioner of a region
     * @param closer releases the clients made so far
     */
    Ec2CloudProvider(String defaultRegion, Function<String, Ec2SiteProvisioner> provisioners, Runnable closer) {
        this.defaultRegion = requireNonNull(defaultRegion, "defaultRegion is null");
        this.provisioners = requireNonNull(provisioners, "provisioners is null");
        this.closer = requireNonNull(closer, "closer is null");
    }

    private Ec2SiteProvisioner in(String region) {
        String chosen = region.isBlank() ? defaultRegion : region.trim();
        if (!chosen.isEmpty()) {
            Ec2Config.checkRegion(chosen, () -> new ExtensionException(Ec2ErrorCode.INVALID_SITE_SPEC, "location '"
                    + chosen + "' is not an AWS region name", "write a region such as eu-west-1"));
        }
        return byRegion.computeIfAbsent(chosen, provisioners);
    }

    @Override
    public List<Site> listSites() {
        return in("").list();
    }

    @Override
    public Optional<Site> describeSite(String siteName) {
        return in("").describe(siteName);
    }

    @Override
    public boolean canProvision() {
        return true;
    }

    @Override
    public Site provision(SiteSpec spec) {
        return in(requireNonNull(spec, "spec is null").location()).provision(spec);
    }

    @Override
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        return in("").tearDown(siteName, dryRun);
    }

    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        return in("").capability(instanceType);
    }

    @Override
    public void close() {
        closer.run();
    }
}
