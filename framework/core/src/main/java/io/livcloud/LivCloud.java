package io.livcloud;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import io.livcloud.core.CoreModule;
import io.livcloud.core.CoreModule.StartedPlugins;
import io.livcloud.core.EngineFactory;
import io.livcloud.core.ExtensionCatalog;
import io.livcloud.core.LivCloudOptions;
import io.livcloud.core.SiteCatalog;
import io.livcloud.core.SiteTunnels;
import io.livcloud.core.ValidatedConfiguration;
import io.livcloud.core.config.ConfigSources;
import io.livcloud.core.config.LivCloudConfig;
import io.livcloud.core.host.EventBus;
import io.livcloud.core.plugin.PluginRuntime;
import io.livcloud.engine.MigrationEngine;
import io.livcloud.engine.journal.Journal;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.probe.RegisterProbe;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelDriver;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * LivCloud embedded in an application: configuration, plugins and extensions without the command line.
 *
 * <pre>{@code
 * try (LivCloud livCloud = LivCloud.builder()
 *         .configFile(Path.of("/etc/livcloud/livcloud.conf"))
 *         .pluginsDirectory(Path.of("/opt/livcloud/plugins"))
 *         .build()) {
 *     try (Hypervisor kvm = livCloud.hypervisor("kvm")) { ... }
 * }
 * }</pre>
 *
 * <p>{@link Builder#build()} loads the configuration, loads and starts every plugin, and validates the configuration
 * against them; any problem stops it with a {@link LivCloudStartupException} that lists all of them. Thread-safe.
 * Closing stops the plugins; objects created from extensions must be closed first.
 *
 * <p>One file above the house's 450 lines on purpose: it is the whole embedding API, each method a short delegation to
 * the core's catalogs, and an application should find all of it in one place.
 */
public final class LivCloud implements AutoCloseable {

    private final StartedPlugins started;
    private final ExtensionCatalog catalog;
    private final EventBus events;
    private final SiteCatalog sites;
    private final SiteTunnels tunnels;
    private final EngineFactory engines;

    private LivCloud(Injector injector) {
        this.started = injector.getInstance(StartedPlugins.class);
        this.catalog = injector.getInstance(ExtensionCatalog.class);
        this.events = injector.getInstance(EventBus.class);
        this.sites = injector.getInstance(SiteCatalog.class);
        this.tunnels = injector.getInstance(SiteTunnels.class);
        this.engines = injector.getInstance(EngineFactory.class);
    }

    /** Starts describing a LivCloud instance. */
    public static Builder builder() {
        return new Builder();
    }

    /** This build's version. */
    public String version() {
        return LivCloudVersion.version();
    }

    /** Every installed plugin, started or not, with the reason for each failure. */
    public List<PluginStatus> plugins() {
        return catalog.plugins();
    }

    /**
     * Problems in the configuration or in plugins it uses. Always empty for an instance built normally (it would not
     * have started); filled for one built with {@link Builder#diagnosticMode()}.
     */
    public List<String> problems() {
        return started.configuration().problems();
    }

    /** Where the configuration came from, layer by layer, for people. */
    public List<String> configurationSources() {
        return started.configuration().config().sources();
    }

    /** The plugin roots that were searched. */
    public List<Path> pluginDirectories() {
        return started.configuration().pluginDirectories();
    }

    /** The effective configuration as text, every secret replaced by {@code ******}. */
    public String renderConfiguration() {
        PluginRuntime runtime = started.runtime();
        return started.configuration().config().renderRedacted(runtime.settingsByKindAndName(),
                runtime.siteSettingsByProvider());
    }

    /** The extension names configuration selects for the migration ({@code livcloud.migration.*}). */
    public Map<ExtensionKind, String> selectedExtensions() {
        return started.configuration().config().selectedExtensions();
    }

    /**
     * Creates the named cloud provider; the caller closes it.
     *
     * @throws LivCloudException if there is no such provider, it cannot work here, or its plugin fails
     */
    public CloudProvider cloudProvider(String name) {
        return catalog.create(ExtensionKind.PROVIDER, name, CloudProvider.class);
    }

    /**
     * Creates the named tunnel driver; the caller closes it.
     *
     * @throws LivCloudException if there is no such driver, it cannot work here, or its plugin fails
     */
    public TunnelDriver tunnelDriver(String name) {
        return catalog.create(ExtensionKind.TUNNEL, name, TunnelDriver.class);
    }

    /**
     * Creates the named hypervisor; the caller closes it.
     *
     * @throws LivCloudException if there is no such hypervisor, it cannot work here, or its plugin fails
     */
    public Hypervisor hypervisor(String name) {
        return catalog.create(ExtensionKind.HYPERVISOR, name, Hypervisor.class);
    }

    /**
     * Creates the named register probe; the caller closes it.
     *
     * @throws LivCloudException if there is no such probe, it cannot work here, or its plugin fails
     */
    public RegisterProbe registerProbe(String name) {
        return catalog.create(ExtensionKind.REGISTER_PROBE, name, RegisterProbe.class);
    }

    /**
     * How to reach a host of a configured site (commands, files, sockets on it), as its provider gives it; empty when
     * the provider gives none. LivCloud keeps it open until it closes; closing what this returns does nothing.
     *
     * @throws io.livcloud.spi.ExtensionException if the site is not created or has no such host
     */
    public Optional<HostAccess> hostAccess(String siteName, String hostName) {
        return catalog.hosts().find(siteName, hostName);
    }

    /** The sites declared in configuration ({@code livcloud.sites}), sorted by name. */
    public List<String> siteNames() {
        return sites.names(Optional.empty());
    }

    /** The configured sites whose provider is {@code providerName}, sorted by name. */
    public List<String> siteNames(String providerName) {
        return sites.names(Optional.of(providerName));
    }

    /**
     * The provider a configured site names.
     *
     * @throws LivCloudException if no such site is configured
     */
    public String siteProvider(String siteName) {
        return sites.providerOf(siteName);
    }

    /**
     * Creates a configured site through its provider, or finds it if it exists.
     *
     * @throws LivCloudException if the site is not configured or its provider cannot be created
     * @throws io.livcloud.spi.ExtensionException if the provider fails; the message says what to do
     */
    public Site provisionSite(String siteName) {
        return sites.provision(siteName);
    }

    /**
     * Removes a configured site through its provider, after taking down the tunnels that end there (listed first in
     * the report as {@code tunnel/<id>}).
     *
     * @throws LivCloudException if the site is not configured or its provider cannot be created
     */
    public TeardownReport tearDownSite(String siteName, boolean dryRun) {
        List<String> tunnelsDown = tunnels.downTouching(siteName, dryRun);
        TeardownReport site = sites.tearDown(siteName, dryRun);
        List<String> removed = new ArrayList<>();
        tunnelsDown.forEach(id -> removed.add("tunnel/" + id));
        removed.addAll(site.removed());
        return new TeardownReport(site.siteName(), site.dryRun(), removed, site.leftovers());
    }

    /**
     * Brings up the tunnel from one configured site to another with the selected tunnel extension
     * ({@code livcloud.migration.tunnel}), then checks that traffic crosses it. Idempotent.
     *
     * @throws LivCloudException if a site is unknown or not created, or no tunnel extension is selected
     * @throws io.livcloud.spi.ExtensionException if the tunnel does not come up; the message names the cause
     */
    public TunnelInfo tunnelUp(String fromSite, String toSite, TunnelAuthentication authentication,
            Map<String, String> options) {
        return tunnelUp(fromSite, toSite, authentication, options, true);
    }

    /**
     * {@link #tunnelUp(String, String, TunnelAuthentication, Map)}, and with {@code stretchSegment} also stretches the
     * VM segment both sites' gateways share over the tunnel (layer 2: a VM keeps its address when it moves), when they
     * share one and the tunnel extension can. Without it, a stretch that exists is left as it is.
     */
    public TunnelInfo tunnelUp(String fromSite, String toSite, TunnelAuthentication authentication,
            Map<String, String> options, boolean stretchSegment) {
        return tunnels.up(fromSite, toSite, authentication, options, stretchSegment);
    }

    /** The tunnels of the selected tunnel extension, with their state now; {@code check} also sends traffic. */
    public List<TunnelInfo> tunnels(boolean check) {
        return tunnels.list(check);
    }

    /**
     * Takes a tunnel down on both ends; idempotent.
     *
     * @param tunnelId the tunnel's id, or its two sites' names joined by a dash in either order
     * @return whether there was such a tunnel
     */
    public boolean tunnelDown(String tunnelId) {
        return tunnels.down(tunnelId);
    }

    /** The id of the tunnel between two sites, the same whichever of them initiates ({@code a-b} for both orders). */
    public static String tunnelId(String oneSite, String otherSite) {
        return SiteTunnels.id(oneSite, otherSite);
    }

    /**
     * The spec a configured site's section ({@code livcloud.sites.<name>}) gives its provider, e.g. as the base that
     * command-line values override.
     *
     * @throws LivCloudException if the site is not configured
     */
    public SiteSpec siteSpec(String siteName) {
        return sites.spec(siteName);
    }

    /**
     * Creates a site described by the caller, configured or not, through the named provider, or finds it if it
     * exists. The spec's options must be site settings the provider declares.
     *
     * @throws LivCloudException if the provider does not exist or cannot work here, or an option is unknown to it
     * @throws io.livcloud.spi.ExtensionException if the provider fails; the message says what to do
     */
    public Site provisionSite(String providerName, SiteSpec spec) {
        return sites.provision(providerName, spec);
    }

    /**
     * Removes a site, configured or not, through the named provider.
     *
     * @throws LivCloudException if the provider does not exist or cannot work here
     */
    public TeardownReport tearDownSite(String providerName, String siteName, boolean dryRun) {
        return sites.tearDown(providerName, siteName, dryRun);
    }

    /**
     * The sites a provider knows: those it created (found by their tags) and those declared for it.
     *
     * @throws LivCloudException if the provider does not exist or cannot work here
     */
    public List<Site> providerSites(String providerName) {
        return sites.list(providerName);
    }

    /**
     * A configured site as its provider sees it; empty if it has not been created.
     *
     * @throws LivCloudException if the site is not configured or its provider cannot be created
     */
    public Optional<Site> describeSite(String siteName) {
        return sites.describe(siteName);
    }

    /**
     * The migration engine: plan, migrate, abort, resume, with the hypervisor and tunnel extensions configuration
     * selects and the journal in the state directory. Created on first use; closed with this instance.
     *
     * @throws LivCloudException if no hypervisor extension is selected
     */
    public MigrationEngine migrations() {
        return engines.engine();
    }

    /** The migration journal alone, for reading it and asking for aborts; no extension is created. */
    public Journal journal() {
        return engines.journal();
    }

    /**
     * The migration policy of this installation: {@code livcloud.migration.policy} over the engine's defaults.
     *
     * @throws LivCloudException if a value there cannot be a policy (a maximum pause below the target)
     */
    public io.livcloud.engine.EnginePolicy migrationPolicy() {
        return engines.policy();
    }

    /** Where migration reports are written. */
    public Path reportsDirectory() {
        return engines.reportsDirectory();
    }

    /** Receives every event extensions report from now on, on the reporting thread. */
    public void subscribe(Consumer<Event> listener) {
        events.subscribe(listener);
    }

    /** Stops the plugins and closes their class loaders. */
    @Override
    public void close() {
        engines.close();
        catalog.close();
        started.runtime().close();
    }

    /** Describes a {@link LivCloud} instance; every setting is optional. */
    public static final class Builder {

        private Optional<Path> configFile = Optional.empty();
        private Optional<String> configText = Optional.empty();
        private final List<Path> pluginDirectories = new ArrayList<>();
        private Optional<Path> stateDirectory = Optional.empty();
        private Optional<Path> home = Optional.empty();
        private ConfigSources processSources = ConfigSources.fromProcess();
        private Clock clock = Clock.systemUTC();
        private boolean diagnostic;

        private Builder() {
        }

        /** The user's configuration file (HOCON). */
        public Builder configFile(Path file) {
            this.configFile = Optional.of(Objects.requireNonNull(file, "file is null"));
            return this;
        }

        /** HOCON text layered above the file, e.g. settings an application computes. */
        public Builder configText(String hocon) {
            this.configText = Optional.of(Objects.requireNonNull(hocon, "hocon is null"));
            return this;
        }

        /** A plugins root (plugin folders and zips); repeatable; replaces {@code livcloud.plugins.directories}. */
        public Builder pluginsDirectory(Path directory) {
            pluginDirectories.add(Objects.requireNonNull(directory, "directory is null"));
            return this;
        }

        /** Where LivCloud keeps state (expanded plugins, secrets); replaces {@code livcloud.state-directory}. */
        public Builder stateDirectory(Path directory) {
            this.stateDirectory = Optional.of(Objects.requireNonNull(directory, "directory is null"));
            return this;
        }

        /** The installation folder; {@code <home>/plugins} is the plugins root when no other is given. */
        public Builder home(Path directory) {
            this.home = Optional.of(Objects.requireNonNull(directory, "directory is null"));
            return this;
        }

        /** The environment for {@code CONFIG_FORCE_} overrides and substitutions; default: the process's. */
        public Builder environment(Map<String, String> environment) {
            this.processSources = processSources.withEnvironment(environment);
            return this;
        }

        /** System properties used as overrides (only {@code livcloud.*} keys count); default: the process's. */
        public Builder systemProperties(Map<String, String> systemProperties) {
            this.processSources = processSources.withSystemProperties(systemProperties);
            return this;
        }

        /** The clock extensions get. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock is null");
            return this;
        }

        /**
         * Starts even when the configuration or a plugin it uses has problems, and reports them in
         * {@link LivCloud#problems()}: for commands that diagnose ({@code plugins}, {@code config check}).
         */
        public Builder diagnosticMode() {
            this.diagnostic = true;
            return this;
        }

        /**
         * The log level the configuration asks for ({@code livcloud.log-level}), read without starting anything, so an
         * application can set up its logging backend before the first logger exists. An invalid level reads as the
         * default; {@link #build()} reports it.
         */
        public String configuredLogLevel() {
            return LivCloudConfig.load(configSources()).logLevel();
        }

        /**
         * Loads configuration and plugins and validates one against the other.
         *
         * @throws LivCloudStartupException listing every problem, unless in diagnostic mode
         */
        public LivCloud build() {
            LivCloudOptions options = new LivCloudOptions(configSources(), pluginDirectories, stateDirectory, home, clock);
            LivCloud livCloud;
            try {
                livCloud = new LivCloud(Guice.createInjector(Stage.PRODUCTION, new CoreModule(options)));
            } catch (CreationException | ProvisionException e) {
                throw new LivCloudException("LivCloud failed to start: " + rootMessage(e),
                        "run with --verbose and report this", e);
            }
            ValidatedConfiguration configuration = livCloud.started.configuration();
            if (!diagnostic && !configuration.problems().isEmpty()) {
                livCloud.close();
                throw new LivCloudStartupException(configuration.problems());
            }
            return livCloud;
        }

        private ConfigSources configSources() {
            return new ConfigSources(configFile, configText, processSources.environment(),
                    processSources.systemProperties());
        }

        private static String rootMessage(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            return root.toString();
        }
    }
}
