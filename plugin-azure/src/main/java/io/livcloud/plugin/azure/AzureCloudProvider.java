package io.livcloud.plugin.azure;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One Azure subscription as LivCloud sees it: its sites, their provisioning and teardown, VM size capability, and its
 * hosts over SSH at their public IP (the provider's one {@link CloudHostSsh}, closed with it).
 */
final class AzureCloudProvider implements CloudProvider {

    private final AzureConfig config;
    private final AzureFacade azure;
    private final AzureSiteProvisioner provisioner;
    private final AzureSiteTeardown teardown;
    private final CloudHostSsh ssh;

    AzureCloudProvider(AzureConfig config, AzureFacade azure, AzureSiteProvisioner provisioner,
            AzureSiteTeardown teardown, CloudHostSsh ssh) {
        this.config = requireNonNull(config, "config is null");
        this.azure = requireNonNull(azure, "azure is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.teardown = requireNonNull(teardown, "teardown is null");
        this.ssh = requireNonNull(ssh, "ssh is null");
    }

    @Override
    public List<Site> listSites() {
        return provisioner.sites();
    }

    @Override
    public Optional<Site> describeSite(String siteName) {
        return provisioner.describe(siteName);
    }

    @Override
    public boolean canProvision() {
        return true;
    }

    @Override
    public Site provision(SiteSpec spec) {
        return provisioner.provision(requireNonNull(spec, "spec is null"));
    }

    /** Azure has no dry run for deletions; a dry run lists what would be deleted and deletes nothing. */
    @Override
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        return teardown.tearDown(requireNonNull(siteName, "siteName is null"), dryRun);
    }

    /**
     * The documented answer ({@link AzureVmSizes}), and, when a location is configured, whether Azure offers the size
     * there to this subscription. A failure to ask Azure is a reason in the answer, not an error: the nested
     * virtualization verdict comes from the documentation either way.
     */
    @Override
    public InstanceTypeCapability instanceTypeCapability(String instanceType) {
        InstanceTypeCapability documented = AzureVmSizes.capability(instanceType);
        if (!documented.hardwareVirtualization() || config.location().isEmpty()) {
            return documented;
        }
        String location = config.location().get();
        List<String> reasons = new ArrayList<>(documented.reasons());
        try {
            AzureFacade.SizeOffer offer = azure.sizeOffer(location, instanceType);
            if (!offer.offered()) {
                reasons.add("but Azure does not offer it in " + location);
            } else if (!offer.restrictions().isEmpty()) {
                reasons.add("but in " + location + " it is restricted for this subscription: "
                        + String.join("; ", offer.restrictions()));
            } else {
                reasons.add("offered in " + location + " to this subscription (resource SKUs API)");
            }
        } catch (AzureCallException e) {
            ExtensionException why = AzureErrors.translate(e);
            reasons.add("whether it is offered in " + location + " is unknown: " + why.getMessage());
        }
        return new InstanceTypeCapability(documented.instanceType(), documented.nestedVirtualization(), reasons,
                documented.requiredOptions());
    }

    /** SSH as the configured {@code admin-username} with the site's key, at the host's public IP; empty without one. */
    @Override
    public Optional<HostAccess> hostAccess(Site site, Host host) {
        return ssh.hostAccess(requireNonNull(host, "host is null"));
    }

    @Override
    public void close() {
        try {
            ssh.close();
        } finally {
            azure.close();
        }
    }
}
