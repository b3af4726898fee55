package io.livcloud.engine;

import io.livcloud.engine.journal.Journal;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every migration of one {@link MigrationEngine} works with, handed as one to the types that drive a migration
 * ({@link JournaledMigration}, {@link ForwardPath}, {@link Recovery}).
 *
 * @param sites the configured sites, as their providers describe them
 * @param hypervisor the hypervisor extension
 * @param tunnels the tunnels between sites
 * @param journal where every phase is written before it acts
 * @param reports writes the report at a migration's end
 * @param reportsDirectory where the reports go
 * @param clock the engine's clock
 * @param preflight the route and checks, for the forward path and for a move back
 */
record EngineServices(SiteDirectory sites, SiteHypervisors hypervisor, TunnelService tunnels, Journal journal,
        ReportWriter reports, Path reportsDirectory, Clock clock, Preflight preflight) {
}
