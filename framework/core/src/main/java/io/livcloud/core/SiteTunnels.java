package io.livcloud.core;

import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.VmSegment;
import io.livcloud.spi.tunnel.Stretch;
import io.livcloud.spi.tunnel.StretchSpec;
import io.livcloud.spi.tunnel.StretchStatus;
import io.livcloud.spi.tunnel.Tunnel;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tunnels between configured sites, through the tunnel extension configuration selects
 * ({@code livcloud.migration.tunnel}). Builds each end from the site's gateway as its provider describes it, so
 * providers and tunnel drivers never meet.
 */
public final class SiteTunnels {

    private final ValidatedConfiguration configuration;
    private final SiteCatalog sites;
    private final ExtensionCatalog extensions;

    SiteTunnels(ValidatedConfiguration configuration, SiteCatalog sites, ExtensionCatalog extensions) {
        this.configuration = configuration;
        this.sites = sites;
        this.extensions = extensions;
    }

    /**
     * The id of the tunnel between two sites, the same whichever of them initiates: the two names in alphabetical
     * order, {@code a-b} for a tunnel from a to b and for one from b to a. One tunnel serves a pair of sites in both
     * directions, so its name must not depend on which of them brought it up.
     */
    public static String id(String oneSite, String otherSite) {
        return oneSite.compareTo(otherSite) <= 0 ? oneSite + "-" + otherSite : otherSite + "-" + oneSite;
    }

    /** Whether configuration selects a tunnel extension. */
    public boolean selected() {
        return configuration.config().selectedExtensions().containsKey(ExtensionKind.TUNNEL);
    }

    /**
     * Brings the tunnel from one site to the other up ({@code fromSite} initiates), checks that traffic crosses it,
     * and returns what it found.
     *
     * @throws LivCloudException if a site is unknown or not created, or no tunnel extension is selected
     * @throws io.livcloud.spi.ExtensionException if the tunnel does not come up; the message says why
     */
    public TunnelInfo up(String fromSite, String toSite, TunnelAuthentication authentication,
            Map<String, String> options, boolean stretchSegment) {
        if (fromSite.equals(toSite)) {
            throw new LivCloudException("a tunnel joins two sites, not site " + fromSite + " with itself",
                    "name two sites, e.g. livcloud tunnel up a b");
        }
        TunnelSpec spec = new TunnelSpec(id(fromSite, toSite), endpoint(created(fromSite)), endpoint(created(toSite)),
                authentication, options);
        try (TunnelDriver driver = driver()) {
            // One tunnel per pair of sites: the one the other way round, or one named from-to by an earlier version,
            // carries this direction too, and a second pair of SAs for the same subnets would fight it for the
            // routes. The same one again is the driver's to keep or renew (establish is idempotent).
            Optional<Tunnel> other = between(driver, fromSite, toSite).filter(found -> !found.id().equals(spec.id())
                    || !found.spec().local().siteName().equals(fromSite));
            if (other.isPresent()) {
                TunnelStatus checked = other.get().check();
                if (checked.state() == io.livcloud.spi.tunnel.TunnelState.UP) {
                    return new TunnelInfo(other.get().id(), other.get().spec(), checked,
                            stretched(other.get(), stretchSegment));
                }
                other.get().tearDown();
            }
            Tunnel tunnel = driver.establish(spec);
            TunnelStatus checked = tunnel.check();
            return new TunnelInfo(tunnel.id(), tunnel.spec(), checked, checked.state()
                    == io.livcloud.spi.tunnel.TunnelState.UP ? stretched(tunnel, stretchSegment) : List.of());
        }
    }

    /** Every tunnel the selected extension has, with its state now ({@code check} also sends traffic). */
    public List<TunnelInfo> list(boolean check) {
        List<TunnelInfo> tunnels = new ArrayList<>();
        try (TunnelDriver driver = driver()) {
            for (Tunnel tunnel : driver.list()) {
                TunnelStatus status = check ? tunnel.check() : tunnel.status();
                tunnels.add(new TunnelInfo(tunnel.id(), tunnel.spec(), status, stretched(tunnel, false)));
            }
        }
        return tunnels;
    }

    /**
     * Where the segment stretched between two sites has learned a MAC on a local port, if a tunnel (either direction)
     * joins them with a stretch.
     */
    public Optional<String> siteOf(String fromSite, String toSite, String mac) {
        try (TunnelDriver driver = driver()) {
            return between(driver, fromSite, toSite).stream().flatMap(found -> found.stretches().stream())
                    .map(stretch -> stretch.siteOf(mac)).flatMap(Optional::stream).findFirst();
        }
    }

    /**
     * Takes a tunnel down on both ends. Idempotent.
     *
     * @param tunnelId the tunnel's id, or its two sites' names joined by a dash in either order ({@code b-a} finds
     *     the tunnel {@code a-b}, and also one an earlier version named {@code b-a} or {@code a-b})
     * @return whether there was such a tunnel
     */
    public boolean down(String tunnelId) {
        try (TunnelDriver driver = driver()) {
            List<Tunnel> named = driver.find(tunnelId).map(List::of).orElseGet(() -> driver.list().stream()
                    .filter(tunnel -> spells(tunnel.spec(), tunnelId)).toList());
            named.forEach(Tunnel::tearDown);
            return !named.isEmpty();
        }
    }

    /**
     * Takes down the tunnels that end at a site, before the site itself goes: a tunnel daemon running for a site that
     * is being removed would otherwise outlive it.
     *
     * @return the ids of the tunnels taken down (or that would be, on a dry run)
     */
    public List<String> downTouching(String siteName, boolean dryRun) {
        if (!selected()) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        try (TunnelDriver driver = driver()) {
            for (Tunnel tunnel : driver.list()) {
                if (tunnel.spec().local().siteName().equals(siteName)
                        || tunnel.spec().remote().siteName().equals(siteName)) {
                    if (!dryRun) {
                        tunnel.tearDown();
                    }
                    ids.add(tunnel.id());
                }
            }
        }
        return ids;
    }

    /** The tunnel that joins the two sites, whichever of them initiated it and whatever its id. */
    private static Optional<Tunnel> between(TunnelDriver driver, String oneSite, String otherSite) {
        return driver.list().stream().filter(tunnel -> {
            String local = tunnel.spec().local().siteName();
            String remote = tunnel.spec().remote().siteName();
            return (local.equals(oneSite) && remote.equals(otherSite))
                    || (local.equals(otherSite) && remote.equals(oneSite));
        }).findFirst();
    }

    /** Whether the name is the tunnel's two sites joined by a dash, in either order. */
    private static boolean spells(TunnelSpec spec, String name) {
        String local = spec.local().siteName();
        String remote = spec.remote().siteName();
        return name.equals(local + "-" + remote) || name.equals(remote + "-" + local);
    }

    /**
     * Stretches the segment both gateways share, when asked and they share one, and returns every stretch's state.
     * A tunnel technology that cannot stretch leaves the sites' segments apart, which the returned list shows.
     */
    private static List<StretchStatus> stretched(Tunnel tunnel, boolean stretchSegment) {
        Optional<VmSegment> local = tunnel.spec().local().segment();
        Optional<VmSegment> remote = tunnel.spec().remote().segment();
        // Finding stretches asks the gateways: once, and again only after one was made.
        List<Stretch> stretches = tunnel.stretches();
        if (stretchSegment && local.isPresent() && remote.isPresent()
                && local.get().name().equals(remote.get().name())
                && stretches.stream().noneMatch(stretch -> stretch.spec().segment().equals(local.get().name()))) {
            String segment = local.get().name();
            int mtu = Math.min(local.get().mtu(), remote.get().mtu());
            try {
                tunnel.stretch(new StretchSpec(segment, StretchSpec.networkIdOf(segment), mtu));
            } catch (UnsupportedOperationException e) {
                return List.of(new StretchStatus(false, "segment " + segment + " not stretched: " + e.getMessage()));
            }
            stretches = tunnel.stretches();
        }
        return stretches.stream().map(Stretch::status).toList();
    }

    private Site created(String siteName) {
        return sites.describe(siteName).orElseThrow(() -> new LivCloudException("site " + siteName
                + " is configured but not created, so it has no gateway to end a tunnel",
                "create it first: livcloud lab up (lab sites) or livcloud site create " + siteName));
    }

    /**
     * One end of a tunnel as the core builds it from a site: its gateway's name and public address, the site's VM
     * subnet, the gateway's address inside it, its tunnel control and segment. Public so that tests across plugins
     * (lab-tests) feed a tunnel driver exactly what the core would.
     *
     * @throws LivCloudException if the gateway has no public address (yet)
     */
    public static TunnelEndpoint endpoint(Site site) {
        Host gateway = site.gateway();
        if (gateway.publicAddress().isBlank()) {
            throw new LivCloudException("site " + site.name() + "'s gateway " + gateway.name() + " has no public"
                    + " address for the other site to reach", "wait until the site is fully created (livcloud site"
                    + " list), or give its gateway a public address");
        }
        return new TunnelEndpoint(site.name(), gateway.name(), gateway.publicAddress(), site.vmSubnet(),
                gateway.privateAddress(), gateway.tunnelControl(), gateway.segment(), gateway.attributes());
    }

    private TunnelDriver driver() {
        String name = configuration.config().selectedExtensions().get(ExtensionKind.TUNNEL);
        if (name == null) {
            throw new LivCloudException("no tunnel extension is selected", "set livcloud.migration.tunnel ="
                    + " strongswan in the configuration");
        }
        return extensions.create(ExtensionKind.TUNNEL, name, TunnelDriver.class);
    }
}
