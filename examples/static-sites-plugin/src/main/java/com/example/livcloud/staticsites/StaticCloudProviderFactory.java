package com.example.livcloud.staticsites;

import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.CloudProviderFactory;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.Site;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pf4j.Extension;

/**
 * The {@code static} provider: sites you already run (a lab, your own KVM hosts), declared in configuration rather
 * than created through a cloud API.
 *
 * <pre>
 * livcloud.extensions.provider.static.sites {
 *   lab {
 *     gateway-address = "203.0.113.10"          # where the other site's tunnel reaches this one
 *     vm-subnet = "10.99.10.0/24"               # the private subnet the VMs live in
 *     hypervisor-uris = ["qemu+ssh://root@10.99.1.2/system"]
 *   }
 * }
 * </pre>
 *
 * <p>{@code @Extension} is all PF4J needs: its annotation processor (on the compile path through the plugin parent)
 * lists this class in {@code META-INF/extensions.idx}, and the host finds it there. The host creates one instance and
 * keeps it, so this class holds no state; everything is read from the {@link ExtensionConfig} it is handed.
 */
@Extension
public final class StaticCloudProviderFactory implements CloudProviderFactory {

    /** The provider's name: what {@code livcloud.sites.<site>.provider} names. */
    static final String NAME = "static";

    /**
     * The one setting: the host checks that it is an object and rejects any other key in this section with a
     * spelling suggestion; what is inside each site is ours to check (see {@link #readSites}). It has no default:
     * without it there are no sites (the host keeps no empty object from a {@code reference.conf}, so
     * {@code sites {}} there would be no default either).
     */
    private static final TypedSetting<Map<String, Object>> SITES = TypedSetting.object("sites",
            "The sites this provider describes: <site> { gateway-address, vm-subnet, hypervisor-uris = [...] }.")
            .withoutDefault();
    static final DeclaredSettings SETTINGS = DeclaredSettings.of(SITES);

    private static final String GATEWAY_ADDRESS = "gateway-address";
    private static final String VM_SUBNET = "vm-subnet";
    private static final String HYPERVISOR_URIS = "hypervisor-uris";
    private static final Set<String> SITE_KEYS = Set.of(GATEWAY_ADDRESS, VM_SUBNET, HYPERVISOR_URIS);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sites declared in configuration";
    }

    /** Declared with the plugin toolkit, which reads them back typed (see {@link #readSites}). */
    @Override
    public List<Setting> settings() {
        return SETTINGS.declarations();
    }

    /**
     * A static inventory needs nothing on this machine, but its sites may be badly declared: saying so here lets
     * {@code livcloud plugins} and {@code livcloud config check} show the mistake before anything runs.
     */
    @Override
    public Support isSupported(ExtensionConfig config) {
        try {
            readSites(config);
            return Support.yes();
        } catch (ExtensionException e) {
            return Support.no(e.getMessage(), e.remedy());
        }
    }

    @Override
    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
        return new StaticCloudProvider(readSites(config));
    }

    /** The declared sites, sorted by name (HOCON objects have no order). */
    static List<Site> readSites(ExtensionConfig section) {
        SettingsReader config = new SettingsReader(section, StaticSitesErrorCode.INVALID_SITE);
        List<Site> sites = new ArrayList<>();
        for (Map.Entry<String, Object> site : new TreeMap<>(config.optional(SITES).orElse(Map.of())).entrySet()) {
            String path = config.qualifiedKey(SITES) + "." + site.getKey();
            sites.add(readSite(site.getKey(), site.getValue(), path + " (" + config.origin(SITES) + ")"));
        }
        return List.copyOf(sites);
    }

    private static Site readSite(String name, Object declaration, String where) {
        if (!(declaration instanceof Map<?, ?> keys)) {
            throw invalid(where, "is not an object",
                    "write " + name + " { gateway-address = ..., vm-subnet = ..., hypervisor-uris = [...] }");
        }
        for (Object key : keys.keySet()) {
            if (!SITE_KEYS.contains(key)) {
                throw invalid(where, "has the unknown key '" + key + "'",
                        "a site has only gateway-address, vm-subnet and hypervisor-uris");
            }
        }
        String gatewayAddress = requireText(keys, GATEWAY_ADDRESS, where,
                "the address the other site's gateway reaches, e.g. \"203.0.113.10\"");
        String vmSubnet = requireText(keys, VM_SUBNET, where,
                "the VMs' subnet in CIDR notation, e.g. \"10.99.10.0/24\"");
        Host gateway = new Host(name + "-gateway", Set.of(HostRole.GATEWAY), gatewayAddress, "", "", Map.of());

        // One hypervisor host per URI, named after the site so the names are unique and stable.
        List<Host> hypervisors = new ArrayList<>();
        for (String uri : requireUris(keys, where)) {
            hypervisors.add(new Host(name + "-hypervisor-" + (hypervisors.size() + 1), Set.of(HostRole.HYPERVISOR),
                    "", hostOf(uri, where), uri, Map.of()));
        }
        return new Site(name, NAME, "", gateway, hypervisors, vmSubnet, Map.of());
    }

    private static String requireText(Map<?, ?> keys, String key, String where, String example) {
        if (keys.get(key) instanceof String text && !text.isBlank()) {
            return text;
        }
        throw invalid(where, "needs " + key, "set " + key + " to " + example);
    }

    private static List<String> requireUris(Map<?, ?> keys, String where) {
        String remedy = "set " + HYPERVISOR_URIS + " to the libvirt URIs of the site's hosts, "
                + "e.g. [\"qemu+ssh://root@10.99.1.2/system\"]";
        if (!(keys.get(HYPERVISOR_URIS) instanceof List<?> list) || list.isEmpty()) {
            throw invalid(where, "needs at least one of " + HYPERVISOR_URIS, remedy);
        }
        List<String> uris = new ArrayList<>();
        for (Object uri : list) {
            if (!(uri instanceof String text) || text.isBlank()) {
                throw invalid(where, HYPERVISOR_URIS + " has '" + uri + "', which is not a URI", remedy);
            }
            uris.add(text);
        }
        return uris;
    }

    /** The address in a libvirt URI, or empty for a local one such as {@code qemu:///system}. */
    private static String hostOf(String uri, String where) {
        try {
            String host = new URI(uri).getHost();
            return host == null ? "" : host;
        } catch (URISyntaxException e) {
            throw invalid(where, HYPERVISOR_URIS + " has '" + uri + "', which is not a URI: " + e.getReason(),
                    "write it like qemu+ssh://root@10.99.1.2/system");
        }
    }

    private static ExtensionException invalid(String where, String problem, String remedy) {
        return new ExtensionException(StaticSitesErrorCode.INVALID_SITE, "site " + where + " " + problem, remedy);
    }
}
