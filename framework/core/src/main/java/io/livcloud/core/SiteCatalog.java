package io.livcloud.core;

import io.livcloud.LivCloudException;
import io.livcloud.core.config.SiteDefinition;
import io.livcloud.core.config.Suggestions;
import io.livcloud.core.host.HostAccessErrorCode;
import io.livcloud.core.plugin.LoadedExtension;
import io.livcloud.core.plugin.PluginRuntime;
import io.livcloud.core.probe.HostAccessProber;
import io.livcloud.engine.SiteProbing;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Setting;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteProber;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The sites declared in configuration ({@code livcloud.sites.<name>}), each handled by the provider it names. Turns a
 * site's section into the {@link SiteSpec} its provider gets: the provider's declared site settings, as text.
 */
public final class SiteCatalog {

    /** Site keys with a field of their own in {@link SiteSpec}; any others reach the provider as options. */
    private static final String LOCATION = "location";
    private static final String INSTANCE_TYPE = "instance-type";
    private static final String VM_SUBNET = "vm-subnet";
    private static final String PEER_GATEWAY_ADDRESS = "peer-gateway-address";
    private static final String OPERATOR_CIDR = "operator-cidr";

    private final ValidatedConfiguration configuration;
    private final PluginRuntime runtime;
    private final ExtensionCatalog extensions;

    SiteCatalog(ValidatedConfiguration configuration, PluginRuntime runtime, ExtensionCatalog extensions) {
        this.configuration = configuration;
        this.runtime = runtime;
        this.extensions = extensions;
    }

    /** The names of the configured sites, sorted; only those of one provider when {@code provider} is given. */
    public List<String> names(Optional<String> provider) {
        return configuration.config().sites().values().stream()
                .filter(site -> provider.isEmpty() || site.provider().equals(provider.get()))
                .map(SiteDefinition::name)
                .sorted()
                .toList();
    }

    /** The provider a configured site names. @throws LivCloudException if the site is not configured */
    public String providerOf(String siteName) {
        return definition(siteName).provider();
    }

    /** Creates (or finds, if it exists) a configured site through its provider. */
    public Site provision(String siteName) {
        SiteDefinition site = definition(siteName);
        try (CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, site.provider(), CloudProvider.class)) {
            return provider.provision(specOf(site));
        }
    }

    /** Removes a site through its provider; see {@link CloudProvider#tearDown}. */
    public TeardownReport tearDown(String siteName, boolean dryRun) {
        SiteDefinition site = definition(siteName);
        try (CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, site.provider(), CloudProvider.class)) {
            return provider.tearDown(siteName, dryRun);
        }
    }

    /** The site as its provider sees it now; empty if the provider does not know it (not created yet). */
    public Optional<Site> describe(String siteName) {
        SiteDefinition site = definition(siteName);
        try (CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, site.provider(), CloudProvider.class)) {
            return provider.describeSite(siteName);
        }
    }

    /**
     * Probing from inside a configured, created site: from its gateway through the gateway's host access when its
     * provider gives one (every provider alike), else with the provider's own prober; empty when neither.
     *
     * @throws LivCloudException if the site is not configured or not created
     */
    public Optional<SiteProbing> probing(String siteName) {
        SiteDefinition definition = definition(siteName);
        // The provider kept for host access describes the site: no second provider when the gateway is reachable.
        Site site;
        try {
            site = extensions.hosts().site(siteName);
        } catch (ExtensionException e) {
            if (e.errorCode() != HostAccessErrorCode.HOST_UNKNOWN) {
                throw e;
            }
            throw new LivCloudException("site " + siteName + " is configured but not created", "create it: livcloud"
                    + " lab up (lab sites) or livcloud site create " + siteName);
        }
        if (extensions.hosts().find(siteName, site.gateway().name()).isPresent()) {
            return Optional.of(SiteProbing.of(site, new HostAccessProber(extensions.hosts(), Clock.systemUTC()),
                    () -> { }));
        }
        CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, definition.provider(), CloudProvider.class);
        try {
            Optional<SiteProber> prober = provider.prober();
            if (prober.isEmpty()) {
                provider.close();
                return Optional.empty();
            }
            return Optional.of(SiteProbing.of(site, prober.get(), provider::close));
        } catch (RuntimeException e) {
            provider.close();
            throw e;
        }
    }

    /** The spec a configured site's section gives its provider. @throws LivCloudException if not configured */
    public SiteSpec spec(String siteName) {
        return specOf(definition(siteName));
    }

    /**
     * Creates (or finds) a site the caller describes, configured or not (the {@code site create} command), through the
     * named provider. The spec's options must be site settings the provider declares.
     *
     * @throws LivCloudException naming an option the provider does not know, with a spelling suggestion
     */
    public Site provision(String providerName, SiteSpec spec) {
        List<String> known = siteSettings(providerName).stream().map(Setting::key).toList();
        for (String key : spec.options().keySet()) {
            if (!known.contains(key)) {
                String hint = Suggestions.closest(key, known).map(name -> "; did you mean '" + name + "'?").orElse("");
                throw new LivCloudException("site '" + spec.name() + "': '" + key + "' is not a site setting of"
                        + " provider '" + providerName + "'" + hint, known.isEmpty() ? "provider '" + providerName
                        + "' takes no site settings" : "its site settings: " + String.join(", ", known));
            }
        }
        try (CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, providerName, CloudProvider.class)) {
            return provider.provision(spec);
        }
    }

    /** Removes a site, configured or not, through the named provider; see {@link CloudProvider#tearDown}. */
    public TeardownReport tearDown(String providerName, String siteName, boolean dryRun) {
        try (CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, providerName, CloudProvider.class)) {
            return provider.tearDown(siteName, dryRun);
        }
    }

    /** The sites a provider knows, configured or not; see {@link CloudProvider#listSites}. */
    public List<Site> list(String providerName) {
        try (CloudProvider provider = extensions.create(ExtensionKind.PROVIDER, providerName, CloudProvider.class)) {
            return provider.listSites();
        }
    }

    private List<Setting> siteSettings(String providerName) {
        return runtime.extensions().stream()
                .filter(extension -> extension.kind() == ExtensionKind.PROVIDER
                        && extension.name().equals(providerName))
                .findFirst()
                .map(LoadedExtension::siteSettings)
                .orElse(List.of());
    }

    private SiteDefinition definition(String siteName) {
        SiteDefinition site = configuration.config().sites().get(siteName);
        if (site != null) {
            return site;
        }
        List<String> names = names(Optional.empty());
        String hint = Suggestions.closest(siteName, names).map(name -> "did you mean '" + name + "'?")
                .orElse(names.isEmpty() ? "no site is configured" : "configured: " + String.join(", ", names));
        throw new LivCloudException("no site named '" + siteName + "' in livcloud.sites; " + hint,
                "declare it, e.g. livcloud.sites." + siteName + " { provider = lab }");
    }

    private SiteSpec specOf(SiteDefinition site) {
        List<Setting> siteSettings = siteSettings(site.provider());
        ExtensionConfig config = configuration.config().siteConfig(site.name(), siteSettings);
        Map<String, String> options = new LinkedHashMap<>();
        for (Setting setting : siteSettings) {
            // Secrets stay out: a SiteSpec is logged and shown; providers read secrets from their own section.
            if (!setting.secret() && config.has(setting.key())) {
                options.put(setting.key(), text(config, setting));
            }
        }
        return new SiteSpec(site.name(),
                options.getOrDefault(LOCATION, ""),
                options.getOrDefault(INSTANCE_TYPE, ""),
                options.getOrDefault(VM_SUBNET, ""),
                options.getOrDefault(PEER_GATEWAY_ADDRESS, ""),
                options.getOrDefault(OPERATOR_CIDR, ""),
                options);
    }

    private static String text(ExtensionConfig config, Setting setting) {
        String key = setting.key();
        return switch (setting.type()) {
            case STRING, ENUM, PATH -> config.string(key).orElse("");
            case BOOLEAN -> config.bool(key).map(String::valueOf).orElse("");
            case INTEGER -> String.valueOf(config.integer(key).orElseThrow());
            case BYTES -> String.valueOf(config.bytes(key).orElseThrow());
            case DURATION -> config.duration(key).map(Duration::toString).orElse("");
            case STRING_LIST -> String.join(",", config.stringList(key));
            case OBJECT -> new TreeSet<>(config.object(key).keySet()).toString();
        };
    }
}
