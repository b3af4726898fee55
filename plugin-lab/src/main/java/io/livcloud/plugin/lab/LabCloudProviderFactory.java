package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.CloudProviderFactory;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * The {@code lab} provider: turns this machine into two or more sites. Each site is a network namespace
 * {@code lc-<name>} joined to a WAN bridge (namespace {@code lcwan}) at 10.99.0.(i+1), with its own libvirtd in a
 * private mount namespace and its gateway's charon; LivCloud reaches it through {@code ip netns exec} or, in ssh mode,
 * through an sshd on its WAN address. Needs root.
 */
@Extension
public final class LabCloudProviderFactory implements CloudProviderFactory {

    /** The provider's name: what {@code livcloud.sites.<site>.provider} names. */
    static final String NAME = "lab";
    /** The site setting that fixes a site's index (and so its addresses). */
    static final String INDEX = "index";

    private final Supplier<LabHost> hosts;

    public LabCloudProviderFactory() {
        this(SystemLabHost::new);
    }

    /** For tests: the lab on a fake machine. */
    LabCloudProviderFactory(Supplier<LabHost> hosts) {
        this.hosts = requireNonNull(hosts, "hosts is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sites on this machine: network namespaces on a WAN bridge, a libvirtd each";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return LabConfig.SETTINGS.declarations();
    }

    @Override
    public List<Setting> siteSettings() {
        return List.of(Setting.integer(INDEX, "The site's number in the lab, which fixes its addresses: 10.99.0.<index+1>"
                + " and the VM subnet 10.99.<10+index>.0/24; by default the lowest free one, kept per name.",
                LabSite.FIRST_INDEX, LabSite.LAST_INDEX));
    }

    /** Root, the programs the lab runs, and settings it can use; looks, changes nothing. */
    @Override
    public Support isSupported(ExtensionConfig config) {
        LabConfig lab;
        try {
            lab = LabConfig.from(config);
        } catch (ExtensionException e) {
            return Support.no(e.getMessage(), e.remedy());
        }
        LabHost host = hosts.get();
        Support support = Prerequisites.check(host, lab.accessMode());
        if (!support.supported() && host.isRoot() && lab.installPrerequisites()) {
            // Provisioning runs the shipped installer first, which installs exactly what is missing and says so.
            return Support.yes();
        }
        return support;
    }

    @Override
    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
        LabConfig lab = LabConfig.from(config);
        LabHost host = hosts.get();
        Lab sites = new Lab(lab, host, LabEvents.of(context), UUID::randomUUID);
        // Probes from a site need no prober of the lab's own: the core probes from the gateway through its access.
        return new LabCloudProvider(sites, new LabHostAccesses(sites, host, lab));
    }
}
