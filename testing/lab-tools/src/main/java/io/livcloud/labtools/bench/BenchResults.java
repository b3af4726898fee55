package io.livcloud.labtools.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Everything one bench run measured, raw: every run's figures, not only their summaries, so that the JSON file can be
 * summarized again another way. The parts not run are empty.
 *
 * @param conditions what the machine and the settings were
 * @param tunnel iperf3 through the tunnel against the raw link, when measured
 * @param variants the ways of migrating compared, the baseline first
 * @param rates the guest's dirty rates, MiB/s, in the order run
 * @param migrations every migration run
 * @param controlPlane the control plane's figures, when measured
 */
public record BenchResults(Conditions conditions, Optional<TunnelFigures> tunnel, List<Variant> variants,
        List<Integer> rates, List<MigrationRun> migrations, Optional<ControlPlaneFigures> controlPlane) {

    public BenchResults {
        Objects.requireNonNull(conditions, "conditions is null");
        Objects.requireNonNull(tunnel, "tunnel is null");
        variants = List.copyOf(variants);
        rates = List.copyOf(rates);
        migrations = List.copyOf(migrations);
        Objects.requireNonNull(controlPlane, "controlPlane is null");
    }

    /**
     * The machine and the settings of the run.
     *
     * @param startedAt when the bench started
     * @param host the machine's name
     * @param processors processors the JVM sees
     * @param loadAverageAtStart the 1-minute load average when the bench started: other work skews every figure
     * @param from the site migrations start at
     * @param to the site they go to
     * @param runs runs per rate and variant
     * @param watchdog when a baseline migration is aborted and counted as not converged
     * @param memoryMiB the guest's memory
     * @param workingSetMiB the part of it the workload dirties
     */
    public record Conditions(Instant startedAt, String host, int processors, double loadAverageAtStart, String from,
            String to, int runs, Duration watchdog, int memoryMiB, int workingSetMiB) {
        public Conditions {
            Objects.requireNonNull(startedAt, "startedAt is null");
            Objects.requireNonNull(host, "host is null");
            Objects.requireNonNull(from, "from is null");
            Objects.requireNonNull(to, "to is null");
            Objects.requireNonNull(watchdog, "watchdog is null");
        }
    }

    /**
     * TCP throughput (one iperf3 stream per measurement) between the two gateways.
     *
     * @param tunnelId the tunnel
     * @param dataPath how its ESP runs (kernel or userspace)
     * @param seconds length of each measurement
     * @param rawMbps the raw link, gateway to gateway, Mbit/s, one per measurement
     * @param tunnelMbps through the tunnel, subnet to subnet, Mbit/s, one per measurement
     */
    public record TunnelFigures(String tunnelId, String dataPath, int seconds, List<Double> rawMbps,
            List<Double> tunnelMbps) {
        public TunnelFigures {
            Objects.requireNonNull(tunnelId, "tunnelId is null");
            Objects.requireNonNull(dataPath, "dataPath is null");
            rawMbps = List.copyOf(rawMbps);
            tunnelMbps = List.copyOf(tunnelMbps);
        }

        /** Median tunnel throughput over median raw throughput. */
        public OptionalDouble ratio() {
            return MigrationRow.ratio(Statistics.median(tunnelMbps), Statistics.median(rawMbps));
        }
    }

    /**
     * One way of migrating.
     *
     * @param name short, as in the table's rows, e.g. {@code LivCloud} or {@code libvirt defaults}
     * @param description how exactly, e.g. the virsh command or the policy's settings
     * @param baseline whether it is the baseline the others are compared with
     */
    public record Variant(String name, String description, boolean baseline) {
        public Variant {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(description, "description is null");
        }
    }

    /**
     * One migration.
     *
     * @param variant the variant's name
     * @param dirtyRateMiBps the guest's dirty rate during it
     * @param run 1 for the first run of this variant and rate
     * @param converged whether it completed: the VM runs at the destination
     * @param totalSeconds wall time from the request to its end (the watchdog's limit for one that did not converge)
     * @param hypervisorMillis the hypervisor's own total time for the transfer, when it reported one
     * @param pauseMillis the VM's pause at switch-over as QEMU measured it (downtime); empty when none happened
     * @param clientInterruptionMillis the longest gap a client probing the VM saw; empty when not measured
     * @param bytesTransferred what QEMU sent, as QEMU counted it (before the tunnel's ESP overhead), when known
     * @param guestAlive whether the guest's own heartbeat went on afterwards, wherever it runs
     * @param detail one line: how it ended
     */
    public record MigrationRun(String variant, int dirtyRateMiBps, int run, boolean converged, double totalSeconds,
            OptionalDouble hypervisorMillis, OptionalDouble pauseMillis, OptionalDouble clientInterruptionMillis,
            OptionalDouble bytesTransferred, boolean guestAlive, String detail) {
        public MigrationRun {
            Objects.requireNonNull(variant, "variant is null");
            Objects.requireNonNull(hypervisorMillis, "hypervisorMillis is null");
            Objects.requireNonNull(pauseMillis, "pauseMillis is null");
            Objects.requireNonNull(clientInterruptionMillis, "clientInterruptionMillis is null");
            Objects.requireNonNull(bytesTransferred, "bytesTransferred is null");
            Objects.requireNonNull(detail, "detail is null");
        }
    }

    /**
     * The control plane: what LivCloud itself costs around the hypervisor's work.
     *
     * @param launcher the command line spawned, e.g. {@code /opt/livcloud/bin/livcloud}
     * @param migrateWallMillis wall time of each {@code livcloud migrate}, spawned as a user would run it
     * @param migrateHypervisorMillis the hypervisor's own total time of the same migrations, in the same order
     * @param versionMillis wall time of each {@code livcloud --version}
     * @param jvmStartMillis wall time of each {@code java -version} with the launcher's JVM options: the part of
     *     {@code --version} that is the JVM's, its baseline
     * @param pluginLoadMillis time to start LivCloud with all its plugins, each in a fresh JVM
     * @param coreLoadMillis time to start LivCloud with no plugin, each in a fresh JVM: the baseline of the above
     * @param pluginsStarted how many plugins were started in those
     */
    public record ControlPlaneFigures(String launcher, List<Double> migrateWallMillis,
            List<Double> migrateHypervisorMillis, List<Double> versionMillis, List<Double> jvmStartMillis,
            List<Double> pluginLoadMillis, List<Double> coreLoadMillis, int pluginsStarted) {
        public ControlPlaneFigures {
            Objects.requireNonNull(launcher, "launcher is null");
            migrateWallMillis = List.copyOf(migrateWallMillis);
            migrateHypervisorMillis = List.copyOf(migrateHypervisorMillis);
            versionMillis = List.copyOf(versionMillis);
            jvmStartMillis = List.copyOf(jvmStartMillis);
            pluginLoadMillis = List.copyOf(pluginLoadMillis);
            coreLoadMillis = List.copyOf(coreLoadMillis);
            if (migrateWallMillis.size() != migrateHypervisorMillis.size()) {
                throw new IllegalArgumentException(migrateWallMillis.size() + " wall times but "
                        + migrateHypervisorMillis.size() + " hypervisor times");
            }
        }

        /** Per migration: its wall time minus the hypervisor's own time. */
        public List<Double> overheadMillis() {
            return java.util.stream.IntStream.range(0, migrateWallMillis.size())
                    .mapToObj(index -> migrateWallMillis.get(index) - migrateHypervisorMillis.get(index)).toList();
        }
    }
}
