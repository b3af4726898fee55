package io.livcloud.labtools;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.TunnelInfo;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.migration.MigrateCommand;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.engine.MigrationResult;
import io.livcloud.lab.guest.DomainSpec;
import io.livcloud.lab.guest.GuestImage;
import io.livcloud.lab.guest.GuestNic;
import io.livcloud.lab.guest.HeartbeatLog;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud demo}: the whole product on this machine — two lab sites, the tunnel, the lab guest at the first site
 * with a workload that dirties its memory, a live migration to the second with the engine (the data through the
 * tunnel or under TLS, as the policy chooses; the VM's network stretched through the tunnel), and
 * proof from the guest's own heartbeat that it kept running. Re-running works (an earlier demo guest is replaced).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Bring up two lab sites and the tunnel, boot the lab guest at the first, migrate it live to "
                + "the second (encrypted, its network stretched through the tunnel), and show it kept running"
                + " (as root).",
                "Exit code 0 when the guest runs at the destination with its heartbeat unbroken."})
final class DemoCommand implements Callable<Integer> {

    private static final Duration HEARTBEAT_WAIT = Duration.ofSeconds(90);
    /** A MAC in QEMU's range, fixed so that the demo's guest is recognisable; its address on the segment is .10. */
    private static final String DEMO_MAC = "52:54:00:63:64:0a";
    private static final int DEMO_HOST_NUMBER = 10;

    @ParentCommand
    LivCloudCli cli;

    @Spec
    CommandSpec spec;

    @Option(names = "--from", defaultValue = "a", description = "The lab site the guest starts at (default: "
            + "${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "b", description = "The lab site it moves to (default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--vm", defaultValue = "demo", description = "The guest's name (default: ${DEFAULT-VALUE}).")
    String vm;

    @Option(names = "--dirty-mibps", defaultValue = "10", description = "How fast the guest's workload dirties its"
            + " memory, MiB/s (default: ${DEFAULT-VALUE}).")
    int dirtyRate;

    @Option(names = "--down", description = "Take the lab (and the tunnel) down at the end.")
    boolean down;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (LivCloud livCloud = cli.open(false)) {
            livCloud.subscribe(event -> {
                if (event.type().startsWith("lab.") || event.type().startsWith("tunnel.")) {
                    out.println("  " + event.message());
                    out.flush();
                }
            });
            List<String> labSites = livCloud.siteNames(LabCommand.PROVIDER);
            if (!labSites.contains(from) || !labSites.contains(to)) {
                throw new LivCloudException("the demo needs lab sites " + from + " and " + to + " in livcloud.sites",
                        "declare them: livcloud.sites { " + from + " { provider = lab }, " + to
                                + " { provider = lab } }, and livcloud.migration.tunnel = strongswan");
            }
            try {
                return run(livCloud, out);
            } finally {
                if (down) {
                    say(out, "taking the lab down (the tunnel first)");
                    for (String site : List.of(from, to)) {
                        // The lab reports what it removed as events (printed above); only leftovers need saying.
                        TeardownReport report = livCloud.tearDownSite(site, false);
                        report.leftovers().forEach(leftover -> out.printf("  left behind at %s: %s (%s)%n", site,
                                leftover.resource(), leftover.reason()));
                    }
                }
                out.flush();
            }
        }
    }

    private int run(LivCloud livCloud, PrintWriter out) throws Exception {
        say(out, "bringing up the lab sites " + from + " and " + to + " (installing what the lab needs, if missing)");
        Site source = livCloud.provisionSite(from);
        Site destination = livCloud.provisionSite(to);
        out.printf("  %s at %s, VM subnet %s; %s at %s, VM subnet %s%n", from, source.gateway().publicAddress(),
                source.vmSubnet(), to, destination.gateway().publicAddress(), destination.vmSubnet());

        say(out, "bringing up the IPsec tunnel between them");
        TunnelInfo tunnel = livCloud.tunnelUp(from, to, TunnelAuthentication.PRE_SHARED_KEY, Map.of());
        out.printf("  tunnel %s: %s, %s%n  %s%n", tunnel.id(), tunnel.status().state(), tunnel.status().dataPath(),
                tunnel.status().detail());

        say(out, "booting the lab guest '" + vm + "' at " + from + " (256 MiB, dirtying " + dirtyRate
                + " MiB/s of a 64 MiB working set, a heartbeat every 100 ms)");
        GuestImage image = LabGuest.build(LabGuest.X86_64, LabGuest.defaultCacheDirectory());
        for (Site site : List.of(source, destination)) {
            new Virsh(uri(site)).remove(vm);
            Files.deleteIfExists(serialLog(site));
        }
        DomainSpec domain = DomainSpec.of(vm, image, "/var/log/libvirt/qemu/" + vm + "-serial.log",
                "/run/libvirt/qemu/" + vm + "-control.sock").withDirtyRateMiBps(dirtyRate);
        Optional<GuestNic> nic = SegmentGuests.nic(source, DEMO_MAC, DEMO_HOST_NUMBER);
        if (nic.isPresent()) {
            domain = domain.withNic(nic.get());
            out.printf("  on the VM segment stretched over the tunnel: %s, MAC %s (TCP and UDP echo on port 7)%n",
                    nic.get().address(), nic.get().mac());
        }
        Path xml = Files.createTempFile("livcloud-demo-", ".xml");
        try {
            Files.writeString(xml, LabGuest.domainXml(domain));
            new Virsh(uri(source)).must("define the guest", "define", xml.toString());
            new Virsh(uri(source)).must("start the guest", "start", vm);
        } finally {
            Files.deleteIfExists(xml);
        }
        HeartbeatLog sourceLog = HeartbeatLog.of(serialLog(source));
        sourceLog.waitForSequence(20, HEARTBEAT_WAIT);
        out.printf("  running: heartbeat seq=%d%n", sourceLog.lastSequence());

        say(out, "migrating '" + vm + "' live from " + from + " to " + to + ", encrypted (the policy's path: "
                + livCloud.migrationPolicy().encryptedPath().label() + ")");
        MigrateCommand.EventPrinter printer = new MigrateCommand.EventPrinter(out, false);
        // Its clients enter at the source: VERIFY checks it still answers there, and the watch measures the gap.
        EnginePolicy policy = SegmentGuests.probing(livCloud.migrationPolicy(), nic);
        MigrationResult result = livCloud.migrations().migrate(vm, Optional.of(from), to, policy, printer);
        printer.finish(result);
        if (!result.succeeded()) {
            out.println("demo: the migration did not complete: " + result.detail());
            return ExitCodes.FAILURE;
        }

        say(out, "checking from the guest's own heartbeat that it kept running");
        long lastAtSource = sourceLog.lastSequence();
        HeartbeatLog destinationLog = HeartbeatLog.of(serialLog(destination));
        destinationLog.waitForSequence(lastAtSource + 10, HEARTBEAT_WAIT);
        long firstAtDestination = destinationLog.heartbeats().get(0).sequence();
        boolean unbroken = firstAtDestination == lastAtSource + 1 && !destinationLog.hasReset();
        out.printf("  the last heartbeat at %s was seq=%d, the first at %s seq=%d: %s%n", from, lastAtSource, to,
                firstAtDestination, unbroken ? "no beat lost, no restart" : "NOT consecutive");
        out.printf("  total %.1f s, pause %s, the VM runs at %s%n", result.totalTime().toMillis() / 1000.0,
                result.downtime().map(downtime -> downtime.toMillis() + " ms").orElse("-"), result.runsOn());
        result.clientInterruption().ifPresent(gap -> out.printf("  its clients at %s (pinging every 10 ms) saw a gap"
                + " of %d ms; it answers at the same address %s%n", from, gap.toMillis(), nic.map(GuestNic::ip)
                        .orElse("")));
        result.htmlReport().ifPresent(report -> out.println("  report: " + report));
        return unbroken ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static void say(PrintWriter out, String what) {
        out.printf("%ndemo: %s%n", what);
        out.flush();
    }

    private static String uri(Site site) {
        return site.hypervisorHosts().get(0).hypervisorUri();
    }

    /** Each lab site's /var/log/libvirt is its own folder under the lab directory. */
    private Path serialLog(Site site) {
        String directory = site.attributes().get("directory");
        if (directory == null) {
            throw new LivCloudException("site " + site.name() + " does not say where its files are", "the demo runs"
                    + " on lab sites (provider = lab)");
        }
        return Path.of(directory, "log", "qemu", vm + "-serial.log");
    }
}
