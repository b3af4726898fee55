package io.livcloud.labtools;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.labtools.bench.BenchChart;
import io.livcloud.labtools.bench.BenchJson;
import io.livcloud.labtools.bench.BenchResults;
import io.livcloud.labtools.bench.BenchResults.ControlPlaneFigures;
import io.livcloud.labtools.bench.BenchResults.MigrationRun;
import io.livcloud.labtools.bench.BenchResults.TunnelFigures;
import io.livcloud.labtools.bench.MarkdownReport;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelState;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code livcloud bench}: brings up the lab sites and the tunnel, runs the parts asked for, and prints the
 * markdown (or the JSON document) on standard output; what it is doing goes to standard error, so the output stays a
 * clean table. With an output directory it also writes bench.md, bench.json and bench.svg there.
 */
final class BenchRun {

    /** The parts of a bench. */
    enum Part { TUNNEL, MIGRATION, CONTROL_PLANE }

    /** The LivCloud row: the engine with the configured policy. */
    static final String LIVCLOUD = "LivCloud";
    static final String GUEST = "bench";

    private final LivCloudCli cli;
    private final BenchOptions options;
    private final BenchSettings settings;
    private final Set<Part> parts;
    private final PrintWriter out;
    private final PrintWriter progress;

    BenchRun(LivCloudCli cli, BenchOptions options, BenchSettings settings, Set<Part> parts, PrintWriter out,
            PrintWriter progress) {
        this.cli = cli;
        this.options = options;
        this.settings = settings;
        this.parts = EnumSet.copyOf(parts);
        this.out = out;
        this.progress = progress;
    }

    int run() throws Exception {
        BenchResults.Conditions conditions = new BenchResults.Conditions(Instant.now(), hostName(),
                Runtime.getRuntime().availableProcessors(), loadAverage(), settings.from(), settings.to(),
                settings.runs(), settings.watchdog(), BenchGuest.MEMORY_MIB, BenchGuest.WORKING_SET_MIB);
        BenchResults results;
        try (LivCloud livCloud = cli.open(false)) {
            List<String> labSites = livCloud.siteNames(LabCommand.PROVIDER);
            if (!labSites.contains(settings.from()) || !labSites.contains(settings.to())) {
                throw new LivCloudException("the bench needs lab sites " + settings.from() + " and " + settings.to()
                        + " in livcloud.sites (it has lab sites " + labSites + ")", "declare them: livcloud.sites { "
                        + settings.from() + " { provider = lab }, " + settings.to() + " { provider = lab } }, and"
                        + " livcloud.migration { hypervisor = kvm, tunnel = strongswan }");
            }
            try {
                results = measure(livCloud, conditions);
            } finally {
                if (options.down) {
                    takeDown(livCloud);
                }
            }
        }
        print(results);
        return ExitCodes.OK;
    }

    private BenchResults measure(LivCloud livCloud, BenchResults.Conditions conditions) throws Exception {
        say("bringing up lab sites " + settings.from() + " and " + settings.to() + " and the tunnel");
        Site from = livCloud.provisionSite(settings.from());
        Site to = livCloud.provisionSite(settings.to());
        TunnelInfo tunnel = livCloud.tunnelUp(settings.from(), settings.to(), TunnelAuthentication.PRE_SHARED_KEY,
                Map.of());
        if (tunnel.status().state() != TunnelState.UP) {
            throw new LivCloudException("tunnel " + tunnel.id() + " is " + tunnel.status().state() + ": "
                    + tunnel.status().detail(), "livcloud tunnel status shows why");
        }
        requireNamespaces(from, to);
        Optional<TunnelFigures> throughput = Optional.empty();
        // The migration part needs the tunnel's throughput too: it is the physical floor's denominator.
        if (parts.contains(Part.TUNNEL) || parts.contains(Part.MIGRATION)) {
            throughput = Optional.of(measureTunnel(tunnel, from, to));
        }
        List<BenchResults.Variant> variants = new ArrayList<>();
        List<MigrationRun> migrations = List.of();
        Optional<ControlPlaneFigures> controlPlane = Optional.empty();
        if (parts.contains(Part.MIGRATION) || parts.contains(Part.CONTROL_PLANE)) {
            BenchGuest guest = new BenchGuest(GUEST, from, to);
            try {
                say("booting the bench guest at " + settings.from() + " (" + BenchGuest.MEMORY_MIB + " MiB, working"
                        + " set " + BenchGuest.WORKING_SET_MIB + " MiB)");
                guest.boot(settings.from());
                MigrationBench bench = new MigrationBench(livCloud, guest, settings.from(), settings.to(),
                        settings.watchdog(), progress);
                // Before any part that migrates: the QEMU probe would land in the first run's time (or overhead).
                say("warm-up move, not counted (a site's libvirtd probes QEMU the first time a guest arrives)");
                bench.warmUp();
                if (parts.contains(Part.MIGRATION)) {
                    List<MigrationBench.EngineVariant> engineVariants = engineVariants(livCloud);
                    variants.add(new BenchResults.Variant(MigrationBench.BASELINE,
                            BaselineMigration.describe(settings.watchdog()), true));
                    engineVariants.forEach(variant -> variants.add(new BenchResults.Variant(variant.name(),
                            "the engine, policy " + variant.policy().describe(), false)));
                    migrations = bench.run(settings.rates(), settings.runs(), engineVariants);
                }
                if (parts.contains(Part.CONTROL_PLANE)) {
                    say("control plane: livcloud --version, plugin loading and livcloud migrate, " + settings.runs()
                            + " times each, in child processes");
                    guest.setDirtyRate(0);
                    controlPlane = Optional.of(new ControlPlaneBench(cli, progress).measure(settings.runs(), guest,
                            settings.from(), settings.to()));
                }
            } finally {
                guest.remove();
            }
        }
        return new BenchResults(conditions, throughput, variants,
                parts.contains(Part.MIGRATION) ? settings.rates() : List.of(), migrations, controlPlane);
    }

    private List<MigrationBench.EngineVariant> engineVariants(LivCloud livCloud) {
        EnginePolicy configured = livCloud.migrationPolicy();
        List<MigrationBench.EngineVariant> variants = new ArrayList<>();
        variants.add(new MigrationBench.EngineVariant(LIVCLOUD, configured));
        for (BenchSettings.Variant variant : settings.variants()) {
            variants.add(new MigrationBench.EngineVariant(variant.name(), variant.policy().over(configured)));
        }
        return variants;
    }

    private TunnelFigures measureTunnel(TunnelInfo tunnel, Site from, Site to) throws IOException {
        say("iperf3 through the tunnel and over the raw link, " + settings.runs() + " x " + settings.seconds()
                + " s each");
        List<Double> raw = new ArrayList<>();
        List<Double> through = new ArrayList<>();
        for (int run = 0; run < settings.runs(); run++) {
            raw.add(Iperf3.measure(from.gateway(), to.gateway(), from.gateway().publicAddress(),
                    to.gateway().publicAddress(), settings.seconds()));
            through.add(Iperf3.measure(from.gateway(), to.gateway(), from.gateway().privateAddress(),
                    to.gateway().privateAddress(), settings.seconds()));
        }
        return new TunnelFigures(tunnel.id(), tunnel.status().dataPath(), settings.seconds(), raw, through);
    }

    private static void requireNamespaces(Site... sites) {
        for (Site site : sites) {
            if (site.gateway().attributes().getOrDefault(Host.NETWORK_NAMESPACE, "").isBlank()
                    || site.gateway().privateAddress().isBlank()) {
                throw new LivCloudException("site " + site.name() + "'s gateway is not a network namespace on this"
                        + " machine with an address inside its subnet, so the bench cannot run there",
                        "the bench measures lab sites (provider = lab)");
            }
        }
    }

    private void print(BenchResults results) throws IOException {
        String markdown = MarkdownReport.render(results);
        String json = Json.write(BenchJson.document(results));
        if (options.output.json()) {
            out.println(json);
        } else {
            out.print(markdown);
        }
        out.flush();
        if (settings.outputDirectory().isPresent()) {
            Path directory = Files.createDirectories(settings.outputDirectory().get());
            Files.writeString(directory.resolve("bench.md"), markdown, StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("bench.json"), json + "\n", StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("bench.svg"), BenchChart.render(results), StandardCharsets.UTF_8);
            say("written: " + directory.resolve("bench.md") + ", bench.json, bench.svg");
        }
    }

    private void takeDown(LivCloud livCloud) {
        say("taking the lab down (the tunnel first)");
        for (String site : List.of(settings.from(), settings.to())) {
            TeardownReport report = livCloud.tearDownSite(site, false);
            report.leftovers().forEach(leftover -> progress.printf("  left behind at %s: %s (%s)%n", site,
                    leftover.resource(), leftover.reason()));
        }
    }

    private void say(String what) {
        progress.println("bench: " + what);
        progress.flush();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The 1-minute load average, or -1 where /proc/loadavg cannot be read. */
    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
