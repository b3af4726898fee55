package io.livcloud.engine;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.Architecture;
import io.livcloud.spi.hypervisor.Compatibility;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.Hypervisor;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationProgress;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hosts with VMs, and migrations that follow a script: each attempt reads its progress from a list of passes
 * (remaining MiB per pass) and completes when the remaining memory fits the pause limit, like QEMU's pre-copy. Moves
 * the {@link MovableClock} as jobs are waited for. A completed migration leaves the VM running at the destination
 * and shut off at the source, as libvirt does with the source definition kept.
 */
final class FakeHypervisor implements Hypervisor {

    static final long MIB = 1L << 20;

    /** Per host URI: VM name to state. */
    final Map<String, Map<String, VmState>> hosts = new LinkedHashMap<>();
    /**
     * The host a peer URI reaches, by the URI this fake knows it by: a source's hypervisor reaches the destination at
     * another address (across the WAN, through the tunnel) than LivCloud does.
     */
    final Map<String, String> peerUris = new LinkedHashMap<>();
    final List<MigrationRequest> requests = new ArrayList<>();
    final List<String> operations = new ArrayList<>();
    /** Remaining MiB after each pass, per attempt, in order; an attempt beyond the list repeats the last. */
    final Deque<List<Long>> attempts = new ArrayDeque<>();
    final List<Compatibility.Problem> problems = new ArrayList<>();
    /** The destination host names the compatibility checks were asked about. */
    final List<String> compatibilityAskedFor = new ArrayList<>();
    private final MovableClock clock;
    private FakeJob active;
    /** Whether a job keeps running in the "hypervisor" after its orchestrator died (libvirt p2p does). */
    Optional<FakeJob> left = Optional.empty();

    FakeHypervisor(MovableClock clock) {
        this.clock = clock;
    }

    FakeHypervisor vm(String uri, String name, VmState state) {
        hosts.computeIfAbsent(uri, key -> new LinkedHashMap<>()).put(name, state);
        return this;
    }

    Optional<VmState> state(String uri, String name) {
        return Optional.ofNullable(hosts.getOrDefault(uri, Map.of()).get(name));
    }

    /** Every connection made, as {@code uri} or {@code uri through <host access target>}, in order. */
    final List<String> connections = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public HypervisorConnection connect(String uri) {
        connections.add(uri);
        hosts.computeIfAbsent(uri, key -> new LinkedHashMap<>());
        return new Connection(uri);
    }

    @Override
    public HypervisorConnection connect(String uri, io.livcloud.spi.host.HostAccess host) {
        connections.add(uri + " through " + host.target());
        hosts.computeIfAbsent(uri, key -> new LinkedHashMap<>());
        return new Connection(uri);
    }

    @Override
    public void close() {
    }

    static VmInfo info(String name, VmState state) {
        return new VmInfo(name, "uuid-" + name, state, Architecture.X86_64, "qemu64", 1, 256 * MIB, List.of(),
                Map.of(VmInfo.MAC_ADDRESSES, "52:54:00:63:64:0a"));
    }

    private final class Connection implements HypervisorConnection {
        private final String uri;

        Connection(String uri) {
            this.uri = uri;
        }

        @Override
        public String uri() {
            return uri;
        }

        @Override
        public HostInfo host() {
            return new HostInfo("host-" + uri, uri, Architecture.X86_64, Set.of(Architecture.X86_64, Architecture.I686),
                    Set.of(Accelerator.TCG), "qemu64", 2, 4096 * MIB, 2048 * MIB, Map.of());
        }

        @Override
        public List<VmInfo> listVms() {
            return hosts.get(uri).entrySet().stream().map(vm -> info(vm.getKey(), vm.getValue())).toList();
        }

        @Override
        public Compatibility checkCompatibility(VmInfo vm, HostInfo destination) {
            compatibilityAskedFor.add(destination.hostname());
            return new Compatibility(problems);
        }

        @Override
        public MigrationJob migrate(MigrationRequest request) {
            requests.add(request);
            operations.add("migrate " + request.vmName() + " " + request.policy().features());
            List<Long> passes = attempts.size() > 1 ? attempts.removeFirst() : attempts.getFirst();
            active = new FakeJob(uri, request, passes);
            return active;
        }

        @Override
        public Optional<MigrationJob> activeMigration(String vmName) {
            return left.filter(job -> job.outcome == null).map(job -> (MigrationJob) job);
        }

        @Override
        public void resume(String vmName) {
            operations.add("resume " + vmName + " at " + uri);
            hosts.get(uri).put(vmName, VmState.RUNNING);
        }

        @Override
        public void stop(String vmName) {
            operations.add("stop " + vmName + " at " + uri);
            hosts.get(uri).computeIfPresent(vmName, (name, state) -> VmState.SHUT_OFF);
        }

        @Override
        public void undefine(String vmName) {
            if (hosts.get(uri).get(vmName) == VmState.RUNNING) {
                throw new IllegalStateException("undefine of a running VM");
            }
            operations.add("undefine " + vmName + " at " + uri);
            hosts.get(uri).remove(vmName);
        }

        @Override
        public void close() {
        }
    }

    /** A scripted migration job. */
    final class FakeJob implements MigrationJob {
        private final String sourceUri;
        private final MigrationRequest request;
        private final List<Long> passes;
        private int pass;
        private Duration downtimeLimit;
        private MigrationOutcome outcome;
        private boolean postCopy;

        FakeJob(String sourceUri, MigrationRequest request, List<Long> passes) {
            this.sourceUri = sourceUri;
            this.request = request;
            this.passes = passes;
            this.downtimeLimit = request.policy().downtimeTarget();
        }

        @Override
        public String vmName() {
            return request.vmName();
        }

        private long remainingMiB() {
            return passes.get(Math.min(pass, passes.size() - 1));
        }

        @Override
        public MigrationProgress progress() {
            return new MigrationProgress(MigrationPhase.PRE_COPY, Duration.ofSeconds(pass), pass + 1, 256 * MIB,
                    (pass + 1) * 100 * MIB, remainingMiB() * MIB, 50 * MIB, 100 * MIB);
        }

        @Override
        public void setDowntimeLimit(Duration limit) {
            operations.add("downtime " + limit.toMillis());
            downtimeLimit = limit;
        }

        @Override
        public void setBandwidth(long bytesPerSecond) {
        }

        @Override
        public void enableAutoConverge() {
        }

        @Override
        public void startPostCopy() {
            operations.add("post-copy");
            postCopy = true;
        }

        @Override
        public void abort() {
            operations.add("abort");
            if (outcome == null) {
                outcome = new MigrationOutcome(MigrationPhase.CANCELLED, Duration.ofSeconds(pass), Optional.empty(),
                        (pass + 1) * 100 * MIB, "cancelled");
            }
        }

        /** One poll is one pass: the pause limit's worth of memory (100 MiB/s) fits, or not. */
        @Override
        public Optional<MigrationOutcome> awaitCompletion(Duration timeout) {
            if (outcome != null) {
                return Optional.of(outcome);
            }
            clock.advance(timeout);
            long fitsInPause = downtimeLimit.toMillis() * 100 / 1000;
            if (postCopy || remainingMiB() <= fitsInPause) {
                String destination = peerUris.getOrDefault(request.destinationUri(), request.destinationUri());
                hosts.computeIfAbsent(destination, key -> new LinkedHashMap<>()).put(request.vmName(), VmState.RUNNING);
                hosts.get(sourceUri).put(request.vmName(), VmState.SHUT_OFF);
                outcome = new MigrationOutcome(MigrationPhase.COMPLETED, Duration.ofSeconds(pass + 1),
                        Optional.of(Duration.ofMillis(40)), (pass + 1) * 100 * MIB, "completed in " + (pass + 1)
                                + " passes");
                return Optional.of(outcome);
            }
            pass++;
            return Optional.empty();
        }
    }
}
