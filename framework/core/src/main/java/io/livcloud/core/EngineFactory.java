package io.livcloud.core;

import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.engine.MigrationEngine;
import io.livcloud.engine.ReportWriter;
import io.livcloud.engine.SiteDirectory;
import io.livcloud.engine.SiteProbing;
import io.livcloud.engine.TunnelService;
import io.livcloud.engine.journal.Journal;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the migration engine from what configuration selects: the hypervisor extension, the sites through their
 * providers, the tunnel extension through {@link SiteTunnels}, the journal and the reports in the state directory.
 * The engine and its hypervisor live until the {@code LivCloud} closes.
 */
public final class EngineFactory implements AutoCloseable {

    private final ValidatedConfiguration configuration;
    private final SiteCatalog sites;
    private final SiteTunnels tunnels;
    private final ExtensionCatalog extensions;
    private final Clock clock;
    private final ReportWriter reports;
    private MigrationEngine engine;
    private Hypervisor hypervisor;
    private Journal journal;

    EngineFactory(ValidatedConfiguration configuration, SiteCatalog sites, SiteTunnels tunnels,
            ExtensionCatalog extensions, Clock clock, ReportWriter reports) {
        this.configuration = configuration;
        this.sites = sites;
        this.tunnels = tunnels;
        this.extensions = extensions;
        this.clock = clock;
        this.reports = reports;
    }

    /** Where the journal is. */
    public Path journalFile() {
        return configuration.stateDirectory().resolve("journal.db");
    }

    /** The migration policy configuration sets ({@code livcloud.migration.policy}), over the engine's defaults. */
    public io.livcloud.engine.EnginePolicy policy() {
        return PolicyConfiguration.read(configuration.config().policyConfig());
    }

    /** Where reports are written. */
    public Path reportsDirectory() {
        return configuration.stateDirectory().resolve("reports");
    }

    /**
     * The engine, created on first use.
     *
     * @throws LivCloudException if no hypervisor extension is selected
     */
    public synchronized MigrationEngine engine() {
        if (engine == null) {
            String hypervisorName = Optional.ofNullable(configuration.config().selectedExtensions()
                    .get(ExtensionKind.HYPERVISOR)).orElseThrow(() -> new LivCloudException(
                    "no hypervisor extension is selected", "set livcloud.migration.hypervisor = kvm"));
            journal = Journal.open(journalFile(), clock);
            hypervisor = extensions.create(ExtensionKind.HYPERVISOR, hypervisorName, Hypervisor.class);
            engine = new MigrationEngine(new Sites(), hypervisor, new Tunnels(), journal, reports, reportsDirectory(),
                    clock);
        }
        return engine;
    }

    /**
     * The journal alone, for commands that only read it or ask for an abort ({@code status}, {@code history},
     * {@code abort}): they need no hypervisor.
     */
    public synchronized Journal journal() {
        if (journal == null) {
            journal = Journal.open(journalFile(), clock);
        }
        return journal;
    }

    @Override
    public synchronized void close() {
        if (hypervisor != null) {
            hypervisor.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private final class Sites implements SiteDirectory {
        @Override
        public List<String> names() {
            return sites.names(Optional.empty());
        }

        @Override
        public Site site(String name) {
            return sites.describe(name).orElseThrow(() -> new LivCloudException("site " + name
                    + " is configured but not created", "create it: livcloud lab up (lab sites) or livcloud site"
                    + " create " + name));
        }

        @Override
        public Optional<SiteProbing> probing(String name) {
            return sites.probing(name);
        }

        @Override
        public Optional<HostAccess> hostAccess(String siteName, String hypervisorUri) {
            return extensions.hosts().findByHypervisor(siteName, hypervisorUri);
        }
    }

    private final class Tunnels implements TunnelService {
        @Override
        public boolean selected() {
            return tunnels.selected();
        }

        @Override
        public TunnelInfo ensureUp(String fromSite, String toSite, boolean stretchSegment) {
            return tunnels.up(fromSite, toSite, TunnelAuthentication.PRE_SHARED_KEY, Map.of(), stretchSegment);
        }

        @Override
        public Optional<String> siteOf(String fromSite, String toSite, String mac) {
            return tunnels.siteOf(fromSite, toSite, mac);
        }
    }
}
