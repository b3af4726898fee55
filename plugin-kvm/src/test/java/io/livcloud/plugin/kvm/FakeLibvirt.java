package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.CpuComparison;
import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.libvirt.LibvirtFacade;
import io.livcloud.plugin.kvm.libvirt.MigrationFlag;
import io.livcloud.plugin.kvm.libvirt.MigrationParameter;
import io.livcloud.plugin.kvm.libvirt.NodeInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written libvirt for the plugin's logic: hosts by URI, each with its capabilities and domains, and
 * migrations a test scripts step by step. Records every call that changes something.
 */
final class FakeLibvirt implements LibvirtFacade {

    /** {@code VIR_DOMAIN_RUNNING_UNPAUSED}. */
    static final int RUNNING_UNPAUSED = 3;
    /** {@code VIR_DOMAIN_SHUTOFF_DESTROYED}. */
    static final int SHUTOFF_DESTROYED = 2;

    /** What {@link #unavailableReason()} answers; empty: libvirt is "installed". */
    volatile Optional<String> unavailable = Optional.empty();

    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final List<String> connectedUris = new CopyOnWriteArrayList<>();
    private volatile Host behindSocket;

    /** A host reachable at {@code uri}, x86_64 without VMX/SVM by default (the captured capabilities). */
    Host host(String uri, String hostname) {
        Host host = new Host(uri, hostname);
        hosts.put(uri, host);
        return host;
    }

    /**
     * A host reached at whatever Unix socket a {@code qemu:///system?socket=} URI names that no other host has (a
     * relay's, made as the test runs). Each connection first sends a line through that socket and must get it back,
     * as from an echoing socket at the far end; so a test sees that the socket leads where it should.
     */
    Host hostBehindAnySocket(String hostname) {
        Host host = new Host("any socket", hostname);
        behindSocket = host;
        return host;
    }

    /** Every URI a connection was asked for, in order. */
    List<String> connectedUris() {
        return List.copyOf(connectedUris);
    }

    /** Connections opened and not closed yet. */
    int openConnections() {
        return openConnections.get();
    }

    @Override
    public Optional<String> unavailableReason() {
        return unavailable;
    }

    @Override
    public LibvirtConnection connect(String uri) {
        connectedUris.add(uri);
        Host host = hosts.get(uri);
        if (host == null && behindSocket != null && uri.startsWith(SOCKET_URI)) {
            echoThrough(Path.of(uri.substring(SOCKET_URI.length())));
            host = behindSocket;
        }
        if (host == null) {
            throw new LibvirtError(LibvirtError.SYSTEM_ERROR,
                    "Failed to connect socket to '/run/libvirt/libvirt-sock': No such file or directory");
        }
        openConnections.incrementAndGet();
        return new Connection(host, uri);
    }

    private static final String SOCKET_URI = "qemu:///system?socket=";

    private static void echoThrough(Path socket) {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap("hello libvirtd\n".getBytes(StandardCharsets.UTF_8)));
            channel.shutdownOutput();
            ByteBuffer answer = ByteBuffer.allocate(64);
            while (channel.read(answer) >= 0) {
                if (!answer.hasRemaining()) {
                    break;
                }
            }
            String echoed = new String(answer.array(), 0, answer.position(), StandardCharsets.UTF_8);
            if (!echoed.equals("hello libvirtd\n")) {
                throw new LibvirtError(LibvirtError.SYSTEM_ERROR, "End of file while reading data: got '" + echoed
                        + "' through " + socket);
            }
        } catch (IOException e) {
            throw new LibvirtError(LibvirtError.SYSTEM_ERROR, "Failed to connect socket to '" + socket + "': "
                    + e.getMessage());
        }
    }

    /** A test resource as text. */
    static String resource(String name) {
        try (InputStream in = FakeLibvirt.class.getResourceAsStream("/libvirt/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /libvirt/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One libvirtd. Fields are the test's to set. */
    static final class Host {
        final String uri;
        final String hostname;
        volatile String capabilitiesXml = resource("capabilities-x86_64-tcg-only.xml");
        volatile NodeInfo node = new NodeInfo("x86_64", 2, 24L << 30, 2596);
        volatile long freeMemoryBytes = 20L << 30;
        volatile long libvirtVersion = 9_000_000;
        volatile long hypervisorVersion = 10_000_002;
        /** Answers {@code compareCpu} for a CPU XML. */
        volatile CpuAnswer hostCpu = xml -> CpuComparison.SUPERSET;
        /** Answers {@code compareHypervisorCpu} for a CPU XML (the virttype goes to {@link #comparedVirtTypes}). */
        volatile CpuAnswer hypervisorCpu = xml -> CpuComparison.SUPERSET;
        volatile String baselineCpuXml = "<cpu mode='custom' match='exact'><model fallback='forbid'>Westmere</model>"
                + "</cpu>";
        final List<String> comparedVirtTypes = new CopyOnWriteArrayList<>();
        final Map<String, Domain> domains = new ConcurrentHashMap<>();
        /** "call domain argument", e.g. "setMaxSpeed tiny 5". */
        final List<String> calls = new CopyOnWriteArrayList<>();

        private Host(String uri, String hostname) {
            this.uri = uri;
            this.hostname = hostname;
        }

        /** A domain from a test resource, in the given state. */
        Domain domain(String name, String resource, int state) {
            Domain domain = new Domain(name, resource(resource), new DomainState(state, 1));
            domains.put(name, domain);
            return domain;
        }

        /** This host's capabilities with a CPU feature added, e.g. {@code vmx}. */
        Host withCpuFeature(String feature) {
            capabilitiesXml = capabilitiesXml.replace("<feature name='vme'/>",
                    "<feature name='vme'/>\n      <feature name='" + feature + "'/>");
            return this;
        }

        private Domain domain(String name) {
            Domain domain = domains.get(name);
            if (domain == null) {
                throw new LibvirtError(LibvirtError.NO_DOMAIN,
                        "Domain not found: no domain with matching name '" + name + "'");
            }
            return domain;
        }
    }

    /** Answers a CPU comparison, or throws a {@link LibvirtError}. */
    @FunctionalInterface
    interface CpuAnswer {
        CpuComparison compare(String cpuXml);
    }

    /** One domain. Fields are the test's to set; {@link #migration} decides what a migration does. */
    static final class Domain {
        final String name;
        volatile String xml;
        volatile DomainState state;
        volatile boolean persistent = true;
        final Map<String, Long> diskCapacity = new HashMap<>();
        volatile JobStatistics activeJob = JobStatistics.none();
        volatile JobStatistics completedJob = JobStatistics.none();
        volatile Migration migration = Migration.succeeds();
        volatile LibvirtError undefineError;
        volatile boolean abortRequested;
        /** The arguments of the last {@code migrate} call. */
        volatile MigrationCall lastMigration;

        private Domain(String name, String xml, DomainState state) {
            this.name = name;
            this.xml = xml;
            this.state = state;
        }

        /** Ends a migration as libvirt does on success: shut off ("migrated"), completed statistics kept. */
        void completeMigration(long elapsedMillis, long downtimeMillis, long bytes) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put(JobStatistics.OPERATION, JobStatistics.OPERATION_MIGRATION_OUT);
            values.put(JobStatistics.TIME_ELAPSED, elapsedMillis);
            values.put(JobStatistics.DOWNTIME, downtimeMillis);
            values.put(JobStatistics.DATA_PROCESSED, bytes);
            values.put(JobStatistics.MEMORY_ITERATION, 3L);
            values.put(JobStatistics.MEMORY_TOTAL, 67_000_000L);
            completedJob = new JobStatistics(JobStatistics.COMPLETED, values);
            activeJob = JobStatistics.none();
            state = new DomainState(DomainState.SHUTOFF, 3); // VIR_DOMAIN_SHUTOFF_MIGRATED
        }
    }

    /** What {@code migrate} does: it may block, change the domain and throw. */
    @FunctionalInterface
    interface Migration {
        void run(Domain domain, MigrationCall call) throws InterruptedException;

        /** Completes at once: the source is left shut off with completed statistics. */
        static Migration succeeds() {
            return (domain, call) -> domain.completeMigration(1200, 15, 70_000_000);
        }

        /** Runs with these statistics until {@code release} opens, then completes. */
        static Migration until(CountDownLatch release, JobStatistics running) {
            return (domain, call) -> {
                domain.activeJob = running;
                release.await();
                domain.completeMigration(1200, 15, 70_000_000);
            };
        }

        /** Runs with these statistics until {@code abortJob}, then fails as libvirt does for a cancelled job. */
        static Migration untilAborted(JobStatistics running) {
            return untilAborted(running, new CountDownLatch(0));
        }

        /** Like {@link #untilAborted(JobStatistics)}, but stays cancelling until {@code cancelled} opens. */
        static Migration untilAborted(JobStatistics running, CountDownLatch cancelled) {
            return (domain, call) -> {
                domain.activeJob = running;
                while (!domain.abortRequested) {
                    Thread.sleep(5);
                }
                // As libvirt 9.0 does: until the call returns, the current job is "cancelled", without figures;
                // then there is no job and no completed statistics either.
                domain.activeJob = new JobStatistics(JobStatistics.CANCELLED, Map.of());
                cancelled.await();
                domain.activeJob = JobStatistics.none();
                domain.completedJob = JobStatistics.none();
                throw new LibvirtError(LibvirtError.OPERATION_ABORTED,
                        "operation aborted: migration out job: canceled by client");
            };
        }

        /** Fails at once, before any data moved, with this libvirt error. */
        static Migration failsToStart(LibvirtError error) {
            return (domain, call) -> {
                throw error;
            };
        }
    }

    /**
     * The arguments of one {@code migrate} call.
     *
     * @param destinationUri the destination given to libvirt
     * @param parameters the typed parameters
     * @param flags the flags
     */
    record MigrationCall(String destinationUri, List<MigrationParameter> parameters, Set<MigrationFlag> flags) {
    }

    /** Running statistics of an outgoing migration in pass {@code iteration}. */
    static JobStatistics migrating(long iteration, long total, long processed, long remaining) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(JobStatistics.OPERATION, JobStatistics.OPERATION_MIGRATION_OUT);
        values.put(JobStatistics.TIME_ELAPSED, 700L);
        values.put(JobStatistics.MEMORY_TOTAL, total);
        values.put(JobStatistics.MEMORY_PROCESSED, processed);
        values.put(JobStatistics.MEMORY_REMAINING, remaining);
        values.put(JobStatistics.MEMORY_ITERATION, iteration);
        values.put(JobStatistics.MEMORY_DIRTY_RATE, 2560L);
        values.put(JobStatistics.MEMORY_PAGE_SIZE, 4096L);
        values.put(JobStatistics.MEMORY_BPS, 41_000_000L);
        return new JobStatistics(JobStatistics.UNBOUNDED, values);
    }

    private final class Connection implements LibvirtConnection {
        private final Host host;
        private final String uri;
        private volatile boolean closed;

        Connection(Host host, String uri) {
            this.host = host;
            this.uri = uri;
        }

        @Override
        public String uri() {
            return uri;
        }

        @Override
        public String hostname() {
            return open().hostname;
        }

        @Override
        public String capabilitiesXml() {
            return open().capabilitiesXml;
        }

        @Override
        public NodeInfo nodeInfo() {
            return open().node;
        }

        @Override
        public long freeMemoryBytes() {
            return open().freeMemoryBytes;
        }

        @Override
        public long libvirtVersion() {
            return open().libvirtVersion;
        }

        @Override
        public long hypervisorVersion() {
            return open().hypervisorVersion;
        }

        @Override
        public List<String> domainNames() {
            return new ArrayList<>(open().domains.keySet());
        }

        @Override
        public String domainXml(String domain) {
            return open().domain(domain).xml;
        }

        @Override
        public DomainState domainState(String domain) {
            return open().domain(domain).state;
        }

        @Override
        public boolean isPersistent(String domain) {
            return open().domain(domain).persistent;
        }

        @Override
        public long diskCapacityBytes(String domain, String diskTarget) {
            Long capacity = open().domain(domain).diskCapacity.get(diskTarget);
            if (capacity == null) {
                throw new LibvirtError(LibvirtError.INTERNAL_ERROR, "cannot access storage file for " + diskTarget);
            }
            return capacity;
        }

        @Override
        public CpuComparison compareCpu(String cpuXml) {
            return open().hostCpu.compare(cpuXml);
        }

        @Override
        public CpuComparison compareHypervisorCpu(String architecture, String virtualizationType, String cpuXml) {
            open().comparedVirtTypes.add(architecture + "/" + virtualizationType);
            return host.hypervisorCpu.compare(cpuXml);
        }

        @Override
        public String baselineCpu(List<String> cpuXmls) {
            return open().baselineCpuXml;
        }

        @Override
        public void migrate(String domain, String destinationUri, List<MigrationParameter> parameters,
                Set<MigrationFlag> flags) {
            Domain target = open().domain(domain);
            host.calls.add("migrate " + domain + " " + destinationUri);
            MigrationCall call = new MigrationCall(destinationUri, List.copyOf(parameters), Set.copyOf(flags));
            target.lastMigration = call;
            try {
                target.migration.run(target, call);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LibvirtError(LibvirtError.INTERNAL_ERROR, "interrupted");
            }
        }

        @Override
        public JobStatistics jobStatistics(String domain, boolean completed) {
            Domain target = open().domain(domain);
            if (!completed && !target.state.active()) {
                throw notRunning();
            }
            return completed ? target.completedJob : target.activeJob;
        }

        @Override
        public void abortJob(String domain) {
            Domain target = open().domain(domain);
            host.calls.add("abortJob " + domain);
            if (!target.activeJob.active()) {
                throw new LibvirtError(LibvirtError.OPERATION_INVALID, "Requested operation is not valid: "
                        + "no job is active on the domain");
            }
            target.abortRequested = true;
        }

        @Override
        public void setMaxDowntime(String domain, Duration downtime) {
            open().domain(domain);
            host.calls.add("setMaxDowntime " + domain + " " + downtime.toMillis());
        }

        @Override
        public void setMaxSpeed(String domain, long mebibytesPerSecond) {
            open().domain(domain);
            host.calls.add("setMaxSpeed " + domain + " " + mebibytesPerSecond);
        }

        @Override
        public void startPostCopy(String domain) {
            Domain target = open().domain(domain);
            host.calls.add("startPostCopy " + domain);
            target.state = new DomainState(DomainState.PAUSED, DomainState.PAUSED_POSTCOPY);
        }

        /** As libvirt's QEMU driver: a running domain stays as it is; a shut-off one cannot be resumed. */
        @Override
        public void resume(String domain) {
            Domain target = open().domain(domain);
            host.calls.add("resume " + domain);
            if (!target.state.active()) {
                throw notRunning();
            }
            if (target.state.state() == DomainState.PAUSED) {
                target.state = new DomainState(DomainState.RUNNING, RUNNING_UNPAUSED);
            }
        }

        /** As libvirt: a shut-off domain is refused; a transient one disappears, a persistent one stays defined. */
        @Override
        public void destroy(String domain) {
            Domain target = open().domain(domain);
            host.calls.add("destroy " + domain);
            if (!target.state.active()) {
                throw notRunning();
            }
            target.state = new DomainState(DomainState.SHUTOFF, SHUTOFF_DESTROYED);
            if (!target.persistent) {
                host.domains.remove(domain);
            }
        }

        /** As libvirt: a running domain is not refused but becomes transient; a transient one is refused. */
        @Override
        public void undefine(String domain) {
            Domain target = open().domain(domain);
            if (target.undefineError != null) {
                throw target.undefineError;
            }
            host.calls.add("undefine " + domain);
            if (!target.persistent) {
                throw new LibvirtError(LibvirtError.OPERATION_INVALID,
                        "Requested operation is not valid: cannot undefine transient domain");
            }
            if (target.state.active()) {
                target.persistent = false;
            } else {
                host.domains.remove(domain);
            }
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                openConnections.decrementAndGet();
            }
        }

        private static LibvirtError notRunning() {
            return new LibvirtError(LibvirtError.OPERATION_INVALID,
                    "Requested operation is not valid: domain is not running");
        }

        private Host open() {
            if (closed) {
                throw new LibvirtError(LibvirtError.INTERNAL_ERROR, "invalid connection pointer in " + uri);
            }
            return host;
        }
    }
}
