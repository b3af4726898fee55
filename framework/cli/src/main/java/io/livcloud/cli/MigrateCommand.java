package io.livcloud.cli;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.hypervisor.Compatibility;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationProgress;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code livcloud migrate}: one live migration of a running VM between two sites' hypervisor hosts, straight through the
 * hypervisor extension. Partial by design until the migration engine lands: no tunnel, no journal, no resume, no
 * convergence ladder — a compatibility check first, a watchdog, Ctrl-C aborts (the VM keeps running on the source),
 * and the figures at the end.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Live-migrate a running VM from one site's hypervisor host to another's and print the figures.",
                "Direct hypervisor migration: not yet through the tunnel or the journaled engine."})
final class MigrateCommand implements Callable<Integer> {

    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    @ParentCommand
    LivCloudCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VM", description = "The VM's name on the source host.")
    String vmName;

    @Option(names = "--from", required = true, paramLabel = "SITE", description = "The site the VM runs in.")
    String sourceSite;

    @Option(names = "--to", required = true, paramLabel = "SITE", description = "The site to move it to.")
    String destinationSite;

    @Option(names = "--downtime-ms", defaultValue = "300", paramLabel = "MS",
            description = "Pause the hypervisor may take at switch-over (default: ${DEFAULT-VALUE}).")
    long downtimeMillis;

    @Option(names = "--bandwidth-mibps", defaultValue = "0", paramLabel = "MIB/S",
            description = "Cap on the migration stream, 0 for none (default: ${DEFAULT-VALUE}).")
    long bandwidthMiBps;

    @Option(names = "--multifd", defaultValue = "2", paramLabel = "N",
            description = "Parallel streams, 0 for a single classic stream (default: ${DEFAULT-VALUE}).")
    int multifdChannels;

    @Option(names = "--compression", defaultValue = "none", paramLabel = "METHOD",
            description = {"Compress the multifd streams: zstd, zlib or none (default: ${DEFAULT-VALUE}).",
                    "Needs libvirt 9.4 or later on the source (Debian 12 has 9.0); --xbzrle works with 9.0."})
    String compression;

    @Option(names = "--xbzrle", description = "Send only the changed bytes of pages sent before.")
    boolean xbzrle;

    @Option(names = "--auto-converge", description = "Throttle the guest's vCPUs when pre-copy does not converge.")
    boolean autoConverge;

    @Option(names = "--post-copy", description = {"Switch to post-copy after the first full pass.",
            "Risk: if the link fails during post-copy the VM is lost on both sides."})
    boolean postCopy;

    @Option(names = "--timeout", defaultValue = "PT2M", paramLabel = "DURATION",
            description = "Give up after this long and keep the VM on the source, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        try (LivCloud livCloud = cli.open(false)) {
            String hypervisorName = Optional.ofNullable(livCloud.selectedExtensions().get(ExtensionKind.HYPERVISOR))
                    .orElseThrow(() -> new LivCloudException("no hypervisor is selected",
                            "set livcloud.migration.hypervisor, e.g. to kvm"));
            Host source = hypervisorHost(livCloud, sourceSite);
            Host destination = hypervisorHost(livCloud, destinationSite);
            try (Hypervisor hypervisor = livCloud.hypervisor(hypervisorName);
                    HypervisorConnection from = hypervisor.connect(source.hypervisorUri());
                    HypervisorConnection to = hypervisor.connect(destination.hypervisorUri())) {
                VmInfo vm = from.findVm(vmName).orElseThrow(() -> new LivCloudException("no VM named '" + vmName
                        + "' on " + sourceSite + " (" + source.hypervisorUri() + ")",
                        "livcloud lab status lists the VMs of each site"));
                Compatibility compatibility = from.checkCompatibility(vm, to.host());
                if (!compatibility.isCompatible()) {
                    out.printf("%s cannot run on %s; nothing was changed:%n", vmName, destinationSite);
                    compatibility.problems().forEach(problem -> out.printf("  - %s: %s%s%n", problem.check(),
                            problem.reason(), problem.remedy().isEmpty() ? "" : "; fix: " + problem.remedy()));
                    out.flush();
                    return ExitCodes.FAILURE;
                }
                MigrationRequest request = new MigrationRequest(vmName,
                        destination.attributes().getOrDefault(Host.PEER_HYPERVISOR_URI, destination.hypervisorUri()),
                        destination.attributes().getOrDefault(Host.MIGRATION_URI, ""), policy());
                out.printf("migrating %s (%s, %d MiB) from %s to %s%n", vmName, vm.architecture().canonicalName(),
                        vm.memoryBytes() >> 20, sourceSite, destinationSite);
                out.flush();
                return follow(from.migrate(request), out);
            }
        }
    }

    private int follow(MigrationJob job, PrintWriter out) throws InterruptedException {
        Thread abortOnInterrupt = new Thread(job::abort, "livcloud-migrate-abort");
        Runtime.getRuntime().addShutdownHook(abortOnInterrupt);
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            boolean switchedToPostCopy = false;
            while (true) {
                Optional<MigrationOutcome> outcome = job.awaitCompletion(PROGRESS_INTERVAL);
                if (outcome.isPresent()) {
                    return report(outcome.get(), out);
                }
                MigrationProgress progress = job.progress();
                if (isOver(progress.phase())) {
                    continue;
                }
                out.printf("  %-11s pass %d  %d/%d MiB sent  %d MiB left  dirty %d MiB/s  %d MiB/s on the wire%n",
                        progress.phase(), progress.iteration(), progress.memoryTransferredBytes() >> 20,
                        progress.memoryTotalBytes() >> 20, progress.memoryRemainingBytes() >> 20,
                        progress.dirtyRateBytesPerSecond() >> 20, progress.throughputBytesPerSecond() >> 20);
                out.flush();
                if (postCopy && !switchedToPostCopy && progress.phase() == MigrationPhase.PRE_COPY
                        && progress.iteration() >= 2) {
                    job.startPostCopy();
                    switchedToPostCopy = true;
                    out.println("  switched to post-copy");
                }
                if (System.nanoTime() > deadline) {
                    out.printf("  no convergence within %s: aborting; %s keeps running on %s%n", timeout, vmName,
                            sourceSite);
                    out.flush();
                    job.abort();
                    return report(job.awaitCompletion(Duration.ofSeconds(30)).orElseThrow(() ->
                            new LivCloudException("the migration of " + vmName + " did not stop after abort",
                                    "check the source host with virsh domjobinfo " + vmName)), out);
                }
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(abortOnInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is exiting (Ctrl-C); the hook aborts the job.
            }
        }
    }

    private static boolean isOver(MigrationPhase phase) {
        return phase == MigrationPhase.COMPLETED || phase == MigrationPhase.FAILED || phase == MigrationPhase.CANCELLED;
    }

    private int report(MigrationOutcome outcome, PrintWriter out) {
        out.printf("%s: %s in %d ms, downtime %s, %d MiB sent%s%n", vmName, outcome.phase(),
                outcome.totalTime().toMillis(),
                outcome.downtime().map(downtime -> downtime.toMillis() + " ms").orElse("-"),
                outcome.bytesTransferred() >> 20, outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")");
        out.flush();
        return outcome.phase() == MigrationPhase.COMPLETED ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private MigrationPolicy policy() {
        Set<MigrationFeature> features = EnumSet.noneOf(MigrationFeature.class);
        if (multifdChannels > 0) {
            features.add(MigrationFeature.MULTIFD);
            if (!compression.equals("none")) {
                features.add(MigrationFeature.COMPRESSION);
            }
        }
        if (xbzrle) {
            features.add(MigrationFeature.XBZRLE);
        }
        if (autoConverge) {
            features.add(MigrationFeature.AUTO_CONVERGE);
        }
        if (postCopy) {
            features.add(MigrationFeature.POST_COPY);
        }
        return new MigrationPolicy(Duration.ofMillis(downtimeMillis), bandwidthMiBps << 20, features,
                Math.max(1, multifdChannels), compression, timeout);
    }

    private static Host hypervisorHost(LivCloud livCloud, String siteName) {
        Site site = livCloud.describeSite(siteName).orElseThrow(() -> new LivCloudException("site '" + siteName
                + "' does not exist yet", "create it first, e.g. livcloud lab up"));
        return site.hypervisorHosts().get(0);
    }
}
