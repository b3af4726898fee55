package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.DomainState;
import io.livcloud.plugin.kvm.libvirt.JobStatistics;
import io.livcloud.plugin.kvm.libvirt.LibvirtConnection;
import io.livcloud.plugin.kvm.libvirt.LibvirtError;
import io.livcloud.plugin.kvm.libvirt.LibvirtFacade;
import io.livcloud.plugin.kvm.libvirt.MigrationFlag;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.Architecture;
import io.livcloud.spi.hypervisor.Compatibility;
import io.livcloud.spi.hypervisor.Compatibility.Problem;
import io.livcloud.spi.hypervisor.DiskInfo;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.MigrationJob;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationRequest;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An open connection to one host's libvirtd: inventory, compatibility and outgoing migrations.
 *
 * <p>One class although it is long: it is the plugin's {@link HypervisorConnection}, one method for each of the SPI's
 * calls, each translating it into libvirt calls and libvirt's errors into messages that name the host and the VM.
 * What divides off already lives apart: parsing ({@link DomainDefinition}, {@link HostCapabilities}), the rules of
 * compatibility ({@link CompatibilityRules}), the migrate call ({@link LibvirtMigrationCall}) and the running job
 * ({@link KvmMigrationJob}).
 */
final class KvmConnection implements HypervisorConnection {

    /** How long {@link #migrate} waits for the destination to accept the stream before returning the job anyway. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What QEMU and libvirt say when a TLS migration cannot load its credentials (a missing folder or file, a key that
     * does not match, a certificate QEMU's checks refuse): QEMU's {@code tls-creds-x509} errors all name the
     * credentials or a certificate. Not a handshake that fails later: that ends the running job instead.
     */
    private static final Pattern TLS_MATERIAL_PROBLEM = Pattern.compile(
            "credentials|certificate|x509", Pattern.CASE_INSENSITIVE);

    private final LibvirtFacade facade;
    private final LibvirtConnection libvirt;
    private final LibvirtEndpoint endpoint;
    private final KvmConfig settings;
    private final ExtensionContext context;
    private final ConcurrentMap<String, KvmMigrationJob> jobs;

    /**
     * @param endpoint where the daemon is; released when this connection closes
     * @param jobs the migrations started or adopted through any connection of the same hypervisor, by
     *     {@code <endpoint> <vm>}
     */
    KvmConnection(LibvirtFacade facade, LibvirtConnection libvirt, LibvirtEndpoint endpoint, KvmConfig settings,
            ExtensionContext context, ConcurrentMap<String, KvmMigrationJob> jobs) {
        this.facade = facade;
        this.libvirt = libvirt;
        this.endpoint = endpoint;
        this.settings = settings;
        this.context = context;
        this.jobs = jobs;
    }

    /** The URI as the caller gave it; for a host reached through host access, as seen on that host. */
    @Override
    public String uri() {
        return endpoint.uri();
    }

    /**
     * The host's facts. Their {@code uri} is the one libvirt reaches the host at from here: for a host reached through
     * host access, the relay's, which another connection's {@link #checkCompatibility} can reach while this one is
     * open.
     */
    @Override
    public HostInfo host() {
        HostCapabilities capabilities = capabilities();
        HardwareVirtualization hardware = HardwareVirtualization.of(capabilities, endpoint.hostFacts());
        var node = call("read the node information", libvirt::nodeInfo);
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("host-uuid", capabilities.hostUuid());
        attributes.put("libvirt-version", Formats.version(call("read the libvirt version", libvirt::libvirtVersion)));
        attributes.put("hypervisor-version", Formats.version(call("read the QEMU version", libvirt::hypervisorVersion)));
        attributes.put("cpu-vendor", capabilities.cpuVendor());
        attributes.put("hardware-virtualization", hardware.name().toLowerCase(Locale.ROOT));
        attributes.put("accelerator-setting", settings.accelerator().settingValue());
        return new HostInfo(
                call("read the hostname", libvirt::hostname),
                endpoint.reach().value(),
                architecture(capabilities.architecture(), "host"),
                capabilities.guestDomainTypes().keySet().stream()
                        .map(Architecture::fromName).flatMap(Optional::stream).collect(Collectors.toSet()),
                settings.accelerator().usable(capabilities, hardware),
                capabilities.cpuModel().isEmpty() ? "unknown" : capabilities.cpuModel(),
                node.cpus(),
                node.memoryBytes(),
                call("read the free memory", libvirt::freeMemoryBytes),
                attributes);
    }

    @Override
    public List<VmInfo> listVms() {
        List<VmInfo> vms = new ArrayList<>();
        for (String name : call("list the domains", libvirt::domainNames)) {
            try {
                vms.add(vmInfo(name));
            } catch (ExtensionException e) {
                if (e.errorCode() != KvmErrorCode.VM_NOT_FOUND) {
                    context.logger(KvmConnection.class.getName()).log(Level.WARNING,
                            "VM {0} on {1} is left out: {2}", name, endpoint, e.getMessage());
                }
                // VM_NOT_FOUND: undefined between listing and reading; it is simply gone.
            }
        }
        return vms;
    }

    @Override
    public Optional<VmInfo> findVm(String vmName) {
        try {
            return Optional.of(vmInfo(vmName));
        } catch (ExtensionException e) {
            if (e.errorCode() == KvmErrorCode.VM_NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Compatibility checkCompatibility(VmInfo vm, HostInfo destination) {
        DomainDefinition domain = domain(vm.name());
        List<Problem> problems = new ArrayList<>();
        CompatibilityRules.architecture(vm, destination).ifPresent(problems::add);
        CompatibilityRules.accelerator(vm, domain.type(), destination).ifPresent(problems::add);
        boolean sameHost = LibvirtUri.of(destination.uri()).value().equals(endpoint.reach().value());
        List<LibvirtConnection> opened = new ArrayList<>(1);
        try {
            CompatibilityRules.cpu(domain, capabilities(), libvirt, destination.hostname(), () -> {
                if (sameHost) {
                    return libvirt;
                }
                LibvirtConnection connection = facade.connect(LibvirtUri.of(destination.uri()).value());
                opened.add(connection);
                return connection;
            }).ifPresent(problems::add);
        } finally {
            opened.forEach(LibvirtConnection::close);
        }
        CompatibilityRules.memory(vm, destination).ifPresent(problems::add);
        return new Compatibility(problems);
    }

    @Override
    public MigrationJob migrate(MigrationRequest request) {
        String vmName = request.vmName();
        VmInfo vm = findVm(vmName).orElseThrow(() -> notFound(vmName));
        if (vm.state() != VmState.RUNNING && vm.state() != VmState.PAUSED) {
            throw new ExtensionException(KvmErrorCode.VM_NOT_RUNNING,
                    "VM '" + vmName + "' on " + endpoint + " is " + vm.state()
                            + "; a live migration needs it running",
                    "start it (virsh start " + vmName + ") and migrate again");
        }
        if (activeMigration(vmName).isPresent()) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_IN_PROGRESS,
                    "VM '" + vmName + "' on " + endpoint + " is already being migrated",
                    "wait for that migration (activeMigration) or abort it first");
        }
        LibvirtMigrationCall libvirtCall = LibvirtMigrationCall.of(request, vm.disks(),
                call("read the libvirt version", libvirt::libvirtVersion));
        String key = key(vmName);
        String sourceName = call("read the hostname", libvirt::hostname);
        // The job's connections go through this host's relay, if it has one, until the job ends.
        Runnable release = endpoint.hold();
        LibvirtConnection control;
        try {
            control = openForJob(vmName);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        LibvirtConnection stream;
        try {
            control.setMaxDowntime(vmName, request.policy().downtimeTarget());
            stream = openForJob(vmName);
        } catch (LibvirtError | ExtensionException e) {
            control.close();
            release.run();
            if (e instanceof ExtensionException failure) {
                throw failure;
            }
            throw new ExtensionException(KvmErrorCode.MIGRATION_START_FAILED,
                    "cannot set the downtime target of '" + vmName + "' to " + request.policy().downtimeTarget()
                            + ": " + e.getMessage(),
                    "check the policy's downtime target", e);
        }
        KvmMigrationJob job = KvmMigrationJob.start(vmName, sourceName, request.destinationUri(), control, stream,
                libvirtCall, context, settings.progressInterval(), ended -> {
                    jobs.remove(key, ended);
                    release.run();
                });
        jobs.put(key, job); // an entry for a job that ended meanwhile is harmless: ended jobs are ignored
        Optional<MigrationOutcome> early = job.awaitStart(START_TIMEOUT);
        if (early.isPresent() && early.get().phase() != MigrationPhase.COMPLETED) {
            if (libvirtCall.flags().contains(MigrationFlag.TLS)
                    && TLS_MATERIAL_PROBLEM.matcher(early.get().detail()).find()) {
                throw new ExtensionException(KvmErrorCode.MIGRATION_TLS_UNAVAILABLE,
                        "the migration of '" + vmName + "' from " + sourceName + " to " + request.destinationUri()
                                + " with TLS did not start, because a host lacks its TLS material: "
                                + early.get().detail(),
                        "give both hosts' libvirtd the material (qemu.conf migrate_tls_x509_cert_dir with ca-cert.pem,"
                                + " server-cert.pem and server-key.pem for the address of the data URI, client-cert.pem"
                                + " and client-key.pem, from one authority; the lab does it with migration-tls = true),"
                                + " or migrate without TLS through the tunnel");
            }
            throw new ExtensionException(KvmErrorCode.MIGRATION_START_FAILED,
                    "the migration of '" + vmName + "' from " + sourceName + " to " + request.destinationUri()
                            + " did not start: " + early.get().detail(),
                    startRemedy(request));
        }
        return job;
    }

    @Override
    public Optional<MigrationJob> activeMigration(String vmName) {
        KvmMigrationJob known = jobs.get(key(vmName));
        if (known != null && !known.ended()) {
            return Optional.of(known);
        }
        if (!migrationRuns(vmName)) {
            return Optional.empty();
        }
        String key = key(vmName);
        String sourceName = call("read the hostname", libvirt::hostname);
        return Optional.of(jobs.compute(key, (ignored, existing) -> existing != null && !existing.ended()
                ? existing
                : adopt(vmName, sourceName, key)));
    }

    /** Watches a migration found running, over a connection of its own that holds this host's relay until it ends. */
    private KvmMigrationJob adopt(String vmName, String sourceName, String key) {
        Runnable release = endpoint.hold();
        try {
            return KvmMigrationJob.adopt(vmName, sourceName, openForJob(vmName), context, settings.progressInterval(),
                    ended -> {
                        jobs.remove(key, ended);
                        release.run();
                    });
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /**
     * A running VM is left as it is, as libvirt does, so that a reconciliation may ask again after a crash. Refused: a
     * shut-off VM (it is started, not resumed), the paused source of a post-copy migration (part of its memory is
     * only on the destination: this copy must never run again) and a VM paused for the switch-over of a migration
     * that still runs (the destination may be starting it).
     */
    @Override
    public void resume(String vmName) {
        DomainState state = stateIfDefined(vmName).orElseThrow(() -> notFound(vmName));
        if (state.state() == DomainState.RUNNING || state.state() == DomainState.BLOCKED) {
            return;
        }
        if (state.state() != DomainState.PAUSED) {
            throw new ExtensionException(KvmErrorCode.VM_NOT_RUNNING,
                    "VM '" + vmName + "' on " + endpoint + " is " + vmState(state)
                            + "; only a paused VM can be resumed",
                    "if this is the copy that must run, start it: virsh -c '" + endpoint.uri() + "' start "
                            + vmName);
        }
        if (state.reason() == DomainState.PAUSED_POSTCOPY || state.reason() == DomainState.PAUSED_POSTCOPY_FAILED) {
            throw new ExtensionException(KvmErrorCode.VM_IN_POST_COPY,
                    "VM '" + vmName + "' on " + endpoint + " is the paused source of a post-copy migration: part of "
                            + "its memory is only on the destination, so this copy must not run again",
                    "let the post-copy migration finish; if it failed, recover it (virsh migrate --postcopy "
                            + "--postcopy-resume) instead of resuming the source");
        }
        if (state.reason() == DomainState.PAUSED_MIGRATION && migrationRuns(vmName)) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_IN_PROGRESS,
                    "VM '" + vmName + "' on " + endpoint + " is paused for the switch-over of a migration that "
                            + "still runs",
                    "wait for the migration to end (activeMigration): if it fails, libvirt resumes the VM here itself");
        }
        try {
            libvirt.resume(vmName);
        } catch (LibvirtError e) {
            if (e.code() == LibvirtError.NO_DOMAIN) {
                throw notFound(vmName);
            }
            throw failed("resume '" + vmName + "'", e, "check its state (virsh -c '" + endpoint.uri() + "' domstate "
                    + vmName + " --reason) and libvirtd's log");
        }
    }

    /** {@code virDomainDestroy}: a transient VM disappears with it, a persistent one stays defined, shut off. */
    @Override
    public void stop(String vmName) {
        DomainState state = stateIfDefined(vmName).orElseThrow(() -> notFound(vmName));
        if (state.state() == DomainState.SHUTOFF) {
            return;
        }
        try {
            libvirt.destroy(vmName);
        } catch (LibvirtError e) {
            // "domain is not running" or gone (transient): it stopped between the check and the call.
            boolean stoppedMeanwhile = (e.code() == LibvirtError.NO_DOMAIN
                    || e.code() == LibvirtError.OPERATION_INVALID)
                    && stateIfDefined(vmName).map(now -> now.state() == DomainState.SHUTOFF).orElse(true);
            if (stoppedMeanwhile) {
                return;
            }
            throw failed("stop '" + vmName + "'", e, "check libvirtd's log; as a last resort kill its QEMU process");
        }
    }

    /**
     * The state is checked first because libvirt does not refuse to undefine a running VM: it would leave it
     * running without a definition. A VM started between the check and the call is that one race, of milliseconds.
     */
    @Override
    public void undefine(String vmName) {
        Optional<DomainState> state = stateIfDefined(vmName);
        if (state.isEmpty()) {
            return;
        }
        if (state.get().state() != DomainState.SHUTOFF) {
            throw new ExtensionException(KvmErrorCode.VM_RUNNING,
                    "VM '" + vmName + "' on " + endpoint + " is " + vmState(state.get())
                            + "; only the definition of a VM that does not run is removed",
                    "if this copy must not run, stop it first (stop, or virsh -c '" + endpoint.uri() + "' destroy "
                            + vmName + "), then remove its definition");
        }
        try {
            libvirt.undefine(vmName);
        } catch (LibvirtError e) {
            if (e.code() == LibvirtError.NO_DOMAIN) {
                return;
            }
            throw failed("remove the definition of '" + vmName + "'", e, "snapshots, a managed save image or NVRAM "
                    + "keep libvirt from removing a definition: see virsh -c '" + endpoint.uri() + "' snapshot-list "
                    + vmName + " and managedsave-remove " + vmName + ", then virsh undefine " + vmName);
        }
    }

    /** Closes this connection; a host's relay stays open for the migration jobs it started until they end. */
    @Override
    public void close() {
        try {
            libvirt.close();
        } catch (LibvirtError e) {
            context.logger(KvmConnection.class.getName()).log(Level.DEBUG, "closing {0}: {1}", endpoint,
                    e.getMessage());
        } finally {
            endpoint.release();
        }
    }

    private VmInfo vmInfo(String name) {
        DomainDefinition domain = domain(name);
        DomainState state = call("read the state of '" + name + "'", () -> libvirt.domainState(name));
        List<DiskInfo> disks = new ArrayList<>();
        for (DomainDefinition.Disk disk : domain.disks()) {
            disks.add(new DiskInfo(disk.target(), disk.source(), capacity(name, disk), shared(disk),
                    disk.readOnly()));
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("domain-type", domain.type());
        attributes.put("machine", domain.machine());
        attributes.put("cpu-mode", domain.cpu().mode());
        if (!domain.macAddresses().isEmpty()) {
            attributes.put(VmInfo.MAC_ADDRESSES, String.join(",", domain.macAddresses()));
        }
        return new VmInfo(domain.name(), domain.uuid(), vmState(state),
                architecture(domain.architecture(), "VM '" + name + "'"), domain.cpu().displayName(domain.architecture()),
                domain.vcpus(), domain.memoryBytes(), disks, attributes);
    }

    /**
     * The shared-storage rule: a disk is shared (both hosts use the same storage, nothing is copied) when it is
     * declared {@code <shareable/>}, when it is network storage ({@code type='network'}: rbd, iscsi, nbd, gluster…),
     * or when its path lies under one of the {@code shared-storage-paths}. Local files and block devices are not.
     */
    boolean shared(DomainDefinition.Disk disk) {
        if (disk.shareable() || disk.sourceType().equals("network")) {
            return true;
        }
        return settings.sharedStoragePaths().stream().anyMatch(prefix -> {
            String directory = prefix.endsWith("/") ? prefix : prefix + "/";
            return disk.source().startsWith(directory);
        });
    }

    private long capacity(String domain, DomainDefinition.Disk disk) {
        if (disk.source().isEmpty() || disk.sourceType().equals("network")) {
            return 0;
        }
        try {
            return libvirt.diskCapacityBytes(domain, disk.target());
        } catch (LibvirtError e) {
            return 0; // e.g. the image of a shut-off VM is missing; the size is then unknown
        }
    }

    private DomainDefinition domain(String name) {
        String xml;
        try {
            xml = libvirt.domainXml(name);
        } catch (LibvirtError e) {
            if (e.code() == LibvirtError.NO_DOMAIN) {
                throw notFound(name);
            }
            throw failed("read the definition of '" + name + "'", e);
        }
        try {
            return DomainDefinition.parse(xml);
        } catch (IllegalArgumentException e) {
            throw new ExtensionException(KvmErrorCode.UNREADABLE_DESCRIPTION,
                    "cannot read the definition of '" + name + "' on " + endpoint + ": " + e.getMessage(),
                    "check it with virsh dumpxml " + name, e);
        }
    }

    private HostCapabilities capabilities() {
        String xml = call("read the capabilities", libvirt::capabilitiesXml);
        try {
            return HostCapabilities.parse(xml);
        } catch (IllegalArgumentException e) {
            throw new ExtensionException(KvmErrorCode.UNREADABLE_DESCRIPTION,
                    "cannot read the capabilities of " + endpoint + ": " + e.getMessage(),
                    "check them with virsh capabilities", e);
        }
    }

    private LibvirtConnection openForJob(String vmName) {
        try {
            return facade.connect(endpoint.reach().value());
        } catch (LibvirtError e) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_START_FAILED,
                    "cannot open a connection to " + endpoint + " for the migration of '" + vmName + "': "
                            + endpoint.explain(e.getMessage()),
                    endpoint.connectRemedy(), e);
        }
    }

    private String startRemedy(MigrationRequest request) {
        return "check that the source's libvirtd reaches " + request.destinationUri() + " itself (peer-to-peer: "
                + "from the source host, not from here), that the destination accepts the stream at "
                + (request.dataUri().isBlank() ? "the address it advertises" : request.dataUri())
                + ", and that it runs the VM's architecture, CPU model and accelerator (checkCompatibility)";
    }

    private Architecture architecture(String name, String whose) {
        return Architecture.fromName(name).orElseThrow(() -> new ExtensionException(
                KvmErrorCode.UNREADABLE_DESCRIPTION,
                whose + " on " + endpoint + " has the architecture '" + name + "', which LivCloud does not know",
                "LivCloud moves x86_64, i686 and aarch64 guests"));
    }

    private static VmState vmState(DomainState state) {
        return switch (state.state()) {
            case DomainState.RUNNING, DomainState.BLOCKED -> VmState.RUNNING;
            case DomainState.PAUSED -> VmState.PAUSED;
            case DomainState.SHUTOFF -> VmState.SHUT_OFF;
            case DomainState.CRASHED -> VmState.CRASHED;
            default -> VmState.OTHER;
        };
    }

    private String key(String vmName) {
        return endpoint + " " + vmName;
    }

    private ExtensionException notFound(String vmName) {
        return new ExtensionException(KvmErrorCode.VM_NOT_FOUND,
                "host " + endpoint + " has no VM named '" + vmName + "'",
                "list the VMs there (virsh -c '" + endpoint.uri() + "' list --all) and check the name");
    }

    private ExtensionException failed(String what, LibvirtError e) {
        return failed(what, e, "check that libvirtd still runs there");
    }

    private ExtensionException failed(String what, LibvirtError e, String remedy) {
        return new ExtensionException(KvmErrorCode.LIBVIRT_CALL_FAILED,
                "cannot " + what + " on " + endpoint + ": " + endpoint.explain(e.getMessage()), remedy, e);
    }

    /** The VM's state; empty if the host has no such VM. */
    private Optional<DomainState> stateIfDefined(String vmName) {
        try {
            return Optional.of(libvirt.domainState(vmName));
        } catch (LibvirtError e) {
            if (e.code() == LibvirtError.NO_DOMAIN) {
                return Optional.empty();
            }
            throw failed("read the state of '" + vmName + "'", e);
        }
    }

    /** Whether libvirt runs an outgoing migration of the VM, whoever started it. */
    private boolean migrationRuns(String vmName) {
        JobStatistics statistics;
        try {
            statistics = libvirt.jobStatistics(vmName, false);
        } catch (LibvirtError e) {
            if (e.code() == LibvirtError.NO_DOMAIN || e.code() == LibvirtError.OPERATION_INVALID) {
                return false; // no such VM, or it is not running: no job
            }
            throw failed("read the job of '" + vmName + "'", e);
        }
        return statistics.active()
                && statistics.number(JobStatistics.OPERATION).orElse(-1) == JobStatistics.OPERATION_MIGRATION_OUT;
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (LibvirtError e) {
            throw failed(what, e);
        }
    }
}
