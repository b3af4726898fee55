package io.livcloud.spi.provider;

import io.livcloud.spi.host.HostAccess;
import java.util.List;
import java.util.Optional;

/**
 * One cloud account or lab, as seen by the migration engine and the {@code site} commands. Created by a
 * {@link CloudProviderFactory}; closed by the caller, which releases SDK clients and connections.
 *
 * <p>Operations a provider cannot do (a static inventory cannot provision) throw
 * {@link UnsupportedOperationException} with a message saying so; {@link #canProvision()} tells in advance.
 * Cloud failures are reported as {@link io.livcloud.spi.ExtensionException} with the cloud's error translated into
 * what to do.
 */
public interface CloudProvider extends AutoCloseable {

    /** The sites this provider knows: those it created (found by their tags) and those declared in configuration. */
    List<Site> listSites();

    /** The site with this name, if the provider knows it. */
    default Optional<Site> describeSite(String siteName) {
        return listSites().stream().filter(site -> site.name().equals(siteName)).findFirst();
    }

    /** Whether {@link #provision} and {@link #tearDown} work for this provider. */
    boolean canProvision();

    /**
     * Creates a site and everything it needs (network, firewall rules, gateway and hypervisor hosts), tagged so that
     * {@link #tearDown} finds exactly these resources again. Idempotent: resources that already exist with the site's
     * tags are reused.
     *
     * @throws UnsupportedOperationException if {@link #canProvision()} is false
     * @throws io.livcloud.spi.ExtensionException if the cloud refuses; what was created so far stays tagged
     */
    Site provision(SiteSpec spec);

    /**
     * Removes every resource tagged for the site, in dependency order. Idempotent: a site already gone gives an empty
     * report. Never throws for a single resource that cannot be deleted; it is listed in the report instead.
     *
     * @param dryRun when true, only report what would be removed (using the cloud's own dry-run where it has one)
     * @throws UnsupportedOperationException if {@link #canProvision()} is false
     */
    TeardownReport tearDown(String siteName, boolean dryRun);

    /**
     * Whether a VM host of this instance type (EC2 instance type, Azure VM size) can run a hypervisor with hardware
     * acceleration, and what it takes.
     *
     * @throws io.livcloud.spi.ExtensionException if the cloud cannot be asked
     */
    InstanceTypeCapability instanceTypeCapability(String instanceType);

    /**
     * Probes from inside this provider's sites, when the provider can run a command at their gateways (lab sites: in
     * their network namespace; cloud sites: over SSH). Empty otherwise: the engine then cannot check a VM's
     * reachability after a move and says so.
     */
    default Optional<SiteProber> prober() {
        return Optional.empty();
    }

    /**
     * How LivCloud reaches one of this provider's hosts: commands, files and sockets on it (SSH with a pinned host key
     * for cloud and own hosts; a network namespace for the lab's). Called by the core, which keeps one per host while
     * it runs and hands it to the other extensions ({@link io.livcloud.spi.ExtensionContext#hostAccess}); the caller
     * closes it. Empty when the provider cannot reach its hosts (a static inventory with no credentials): the
     * extensions that need the host then refuse with a message naming the provider.
     *
     * @throws io.livcloud.spi.ExtensionException if the provider knows the host but cannot set up the access (no
     *     key, a host key to confirm); connecting may also wait until first use
     */
    default Optional<HostAccess> hostAccess(Site site, Host host) {
        return Optional.empty();
    }

    /** Releases clients and connections; never throws for an already closed provider. */
    @Override
    void close();
}
