package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloud;
import io.livcloud.TunnelInfo;
import io.livcloud.lab.guest.DomainSpec;
import io.livcloud.lab.guest.GuestImage;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.tunnel.TrafficCounters;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Sites {@code a} and {@code b} of the lab, brought up through LivCloud with the lab, kvm and strongswan plugins loaded
 * from their release zips, plus what the tests do to guests there. Guests are defined with virsh on the site's socket: defining
 * VMs is not LivCloud's job, moving them is.
 */
final class TwoSiteLab implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /** Which of the destination's addresses a migration goes to: which pair of its migration endpoints it uses. */
    enum Route {
        /** The WAN address: plaintext between the sites. */
        WAN(MigrationEndpoints::wanPeerUri, MigrationEndpoints::wanMigrationUri),
        /** The gateway's inside address, which only the site-to-site tunnel reaches. */
        TUNNEL(MigrationEndpoints::tunnelPeerUri, MigrationEndpoints::tunnelMigrationUri);

        private final Function<MigrationEndpoints, String> hypervisorUri;
        private final Function<MigrationEndpoints, String> dataUri;

        Route(Function<MigrationEndpoints, String> hypervisorUri, Function<MigrationEndpoints, String> dataUri) {
            this.hypervisorUri = hypervisorUri;
            this.dataUri = dataUri;
        }
    }

    final LivCloud livCloud;
    final Path directory;
    final Site a;
    final Site b;
    final Hypervisor hypervisor;
    private final Thread tearDownOnExit;
    private boolean closed;

    private TwoSiteLab(LivCloud livCloud, Path directory, Site a, Site b, Hypervisor hypervisor) {
        this.livCloud = livCloud;
        this.directory = directory;
        this.a = a;
        this.b = b;
        this.hypervisor = hypervisor;
        // A test JVM stopped by a timeout or Ctrl-C must not leave namespaces and libvirtds behind.
        this.tearDownOnExit = new Thread(this::close, "lab-teardown");
        Runtime.getRuntime().addShutdownHook(tearDownOnExit);
    }

    static TwoSiteLab start(Path directory, Path state) {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("libvirtd", "libvirt-daemon");
        Prerequisites.requireCommand("virsh", "libvirt-clients");
        Prerequisites.requireCommand("qemu-system-x86_64", "qemu-system-x86 from bookworm-backports");
        LivCloud livCloud = builder(directory, state, pluginsDirectory()).build();
        try {
            Site a = livCloud.provisionSite("a");
            Site b = livCloud.provisionSite("b");
            return new TwoSiteLab(livCloud, directory, a, b, livCloud.hypervisor("kvm"));
        } catch (RuntimeException e) {
            tearDown(livCloud);
            throw e;
        }
    }

    /** The plugins the build copied for these tests. */
    static Path pluginsDirectory() {
        return Path.of(System.getProperty("test.plugins.directory", "target/plugins")).toAbsolutePath();
    }

    /** The lab's LivCloud, as this test process and an orchestrator process of its own both build it. */
    static LivCloud.Builder builder(Path directory, Path state, Path plugins) {
        return LivCloud.builder()
                .pluginsDirectory(plugins)
                .stateDirectory(state)
                .systemProperties(Map.of())
                .configText("""
                        livcloud {
                          migration.hypervisor = kvm
                          migration.tunnel = strongswan
                          sites { a { provider = lab }, b { provider = lab } }
                          extensions.provider.lab.directory = "%s"
                        }
                        """.formatted(directory));
    }

    Site site(String name) {
        return name.equals("a") ? a : b;
    }

    static Host host(Site site) {
        return site.hypervisorHosts().get(0);
    }

    /** The guest's serial console log on a site (each site's /var/log/libvirt is its own folder). */
    Path serialLog(String siteName, String vm) {
        return directory.resolve("sites").resolve(siteName).resolve("log").resolve("qemu").resolve(vm + "-serial.log");
    }

    /** Defines and starts a lab guest on a site and waits for its first heartbeats. */
    void startGuest(String siteName, String vm, String architecture, int dirtyRateMiBps, int workingSetMiB)
            throws Exception {
        startGuest(siteName, vm, architecture, dirtyRateMiBps, workingSetMiB, java.util.Optional.empty());
    }

    /** {@link #startGuest(String, String, String, int, int)} with a network card when given. */
    void startGuest(String siteName, String vm, String architecture, int dirtyRateMiBps, int workingSetMiB,
            java.util.Optional<io.livcloud.lab.guest.GuestNic> nic) throws Exception {
        GuestImage image = LabGuest.build(architecture, LabGuest.defaultCacheDirectory());
        DomainSpec base = DomainSpec.of(vm, image, "/var/log/libvirt/qemu/" + vm + "-serial.log",
                        "/run/libvirt/qemu/" + vm + "-control.sock")
                .withDirtyRateMiBps(dirtyRateMiBps)
                .withWorkingSetMiB(workingSetMiB);
        DomainSpec spec = nic.map(base::withNic).orElse(base);
        Path xml = directory.resolve(vm + ".xml");
        Files.writeString(xml, LabGuest.domainXml(spec));
        Files.deleteIfExists(serialLog(siteName, vm));
        String uri = host(site(siteName)).hypervisorUri();
        virsh(uri, "define", xml.toString());
        virsh(uri, "start", vm);
    }

    /** Destroys and undefines every domain on both sites, so one test's guests do not slow the next one down. */
    void removeAllGuests() throws Exception {
        for (Site site : List.of(a, b)) {
            String uri = host(site).hypervisorUri();
            List<String> names = new ArrayList<>();
            run(List.of("virsh", "-c", uri, "list", "--all", "--name"), names);
            for (String name : names.stream().map(String::strip).filter(name -> !name.isEmpty()).toList()) {
                run(List.of("virsh", "-c", uri, "destroy", name), new ArrayList<>());
                run(List.of("virsh", "-c", uri, "undefine", name), new ArrayList<>());
            }
        }
    }

    /** The domain's state on a site as virsh says it, or {@code absent}. */
    String state(String siteName, String vm) throws Exception {
        List<String> output = new ArrayList<>();
        int exit = run(List.of("virsh", "-c", host(site(siteName)).hypervisorUri(), "domstate", vm), output);
        return exit == 0 ? String.join(" ", output).trim() : "absent";
    }

    /** Starts a live migration of {@code vm} between sites through the kvm extension, over the WAN. */
    MigrationJob startMigration(String vm, String from, String to, MigrationPolicy policy) {
        return startMigration(vm, from, to, policy, Route.WAN);
    }

    /** Starts a live migration of {@code vm} between sites through the kvm extension, to the route's addresses. */
    MigrationJob startMigration(String vm, String from, String to, MigrationPolicy policy, Route route) {
        Host destination = host(site(to));
        String destinationUri = endpoint(destination, route.hypervisorUri);
        String dataUri = endpoint(destination, route.dataUri);
        HypervisorConnection source = hypervisor.connect(host(site(from)).hypervisorUri());
        MigrationRequest request = new MigrationRequest(vm, destinationUri, dataUri, policy);
        return new ClosingJob(source.migrate(request), source);
    }

    private static String endpoint(Host host, Function<MigrationEndpoints, String> which) {
        String value = host.migration().map(which).orElse("");
        assertThat(value).as("migration endpoint of %s (has %s)", host.name(), host.migration()).isNotBlank();
        return value;
    }

    /** Migrates over the WAN and waits, with the policy's completion timeout as the watchdog. */
    MigrationOutcome migrate(String vm, String from, String to, MigrationPolicy policy) {
        return migrate(vm, from, to, policy, Route.WAN);
    }

    /**
     * Migrates to the route's addresses and waits, with the policy's completion timeout as the watchdog (the job is
     * aborted past it).
     */
    MigrationOutcome migrate(String vm, String from, String to, MigrationPolicy policy, Route route) {
        MigrationJob job = startMigration(vm, from, to, policy, route);
        return job.awaitCompletion(policy.completionTimeout()).orElseGet(() -> {
            job.abort();
            return job.awaitCompletion(Duration.ofSeconds(30)).orElseThrow(() ->
                    new AssertionError("the migration of " + vm + " did not end after abort"));
        });
    }

    /** The tunnel a-b's counters now, as a's charon reports them; the tunnel must be up. */
    TrafficCounters tunnelTraffic() {
        TunnelInfo tunnel = livCloud.tunnels(false).stream()
                .filter(info -> info.id().equals(LivCloud.tunnelId("a", "b")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("tunnel a-b is gone"));
        assertThat(tunnel.status().state()).as(tunnel.status().detail()).isEqualTo(TunnelState.UP);
        return tunnel.status().traffic();
    }

    /** The processes running in both sites now: what {@link #assertGone} checks after the teardown. */
    static List<Long> siteProcesses() throws Exception {
        List<Long> processes = new ArrayList<>(processesIn("lc-a"));
        processes.addAll(processesIn("lc-b"));
        return processes;
    }

    /** After the lab's teardown: no lab namespace, and none of the processes the sites ran (charon, libvirtd, QEMU). */
    static void assertGone(List<Long> processes) throws Exception {
        assertThat(namespaces()).as("lab network namespaces after teardown").isEmpty();
        assertThat(processes).as("charon, libvirtd and QEMU ran in the sites").isNotEmpty();
        assertThat(processes).as("processes of the sites still alive after teardown")
                .noneMatch(pid -> Files.exists(Path.of("/proc/" + pid)));
    }

    /** Takes the tunnel down, then the lab (which asserts that its teardown left nothing), even if the first fails. */
    void closeWithTunnel(String tunnelId) {
        try {
            livCloud.tunnelDown(tunnelId);
        } finally {
            close();
        }
    }

    /** The pids of the processes in a network namespace. */
    static List<Long> processesIn(String namespace) throws Exception {
        Process pids = new ProcessBuilder("ip", "netns", "pids", namespace).redirectErrorStream(true).start();
        String output = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pids.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(pids.exitValue()).as("ip netns pids %s: %s", namespace, output).isZero();
        return output.lines().map(String::strip).filter(line -> !line.isEmpty()).map(Long::valueOf).toList();
    }

    /** The lab's network namespaces that exist now. */
    static List<String> namespaces() throws Exception {
        Path named = Path.of("/run/netns");
        if (!Files.isDirectory(named)) {
            return List.of();
        }
        try (var entries = Files.list(named)) {
            return entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.startsWith("lc-") || name.equals("lcwan") || name.equals("lcuser"))
                    .toList();
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (Thread.currentThread() != tearDownOnExit) {
            Runtime.getRuntime().removeShutdownHook(tearDownOnExit);
        }
        try {
            hypervisor.close();
        } finally {
            tearDown(livCloud);
        }
    }

    private static void tearDown(LivCloud livCloud) {
        try {
            for (String site : List.of("a", "b")) {
                assertThat(livCloud.tearDownSite(site, false).leftovers()).as("left behind by site %s", site).isEmpty();
            }
        } finally {
            livCloud.close();
        }
    }

    /** A command's output lines; fails the test if it exits non-zero. */
    static List<String> output(String... command) throws Exception {
        List<String> output = new ArrayList<>();
        int exit = run(List.of(command), output);
        assertThat(exit).as("%s: %s", List.of(command), output).isZero();
        return output;
    }

    static void virsh(String uri, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", uri));
        command.addAll(List.of(arguments));
        List<String> output = new ArrayList<>();
        int exit = run(command, output);
        assertThat(exit).as("%s: %s", command, output).isZero();
    }

    private static int run(List<String> command, List<String> output) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within " + COMMAND_TIMEOUT);
        }
        output.addAll(text.lines().toList());
        return process.exitValue();
    }

    /** A job that closes its source connection once the migration is over. */
    private record ClosingJob(MigrationJob job, HypervisorConnection source) implements MigrationJob {
        @Override
        public String vmName() {
            return job.vmName();
        }

        @Override
        public io.livcloud.spi.hypervisor.MigrationProgress progress() {
            return job.progress();
        }

        @Override
        public void setDowntimeLimit(Duration downtimeLimit) {
            job.setDowntimeLimit(downtimeLimit);
        }

        @Override
        public void setBandwidth(long bytesPerSecond) {
            job.setBandwidth(bytesPerSecond);
        }

        @Override
        public void enableAutoConverge() {
            job.enableAutoConverge();
        }

        @Override
        public void startPostCopy() {
            job.startPostCopy();
        }

        @Override
        public void abort() {
            job.abort();
        }

        @Override
        public java.util.Optional<MigrationOutcome> awaitCompletion(Duration timeout) {
            java.util.Optional<MigrationOutcome> outcome = job.awaitCompletion(timeout);
            if (outcome.isPresent()) {
                source.close();
            }
            return outcome;
        }
    }
}
