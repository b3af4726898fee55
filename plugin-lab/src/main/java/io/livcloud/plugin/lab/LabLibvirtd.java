package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.CommandResult;
import io.livcloud.plugin.lab.LabHost.ProcessInfo;
import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Each site's libvirtd on this machine: its folders and configuration, starting it (or finding it running), waiting
 * until it answers on its socket, and at teardown ending it and the QEMUs it ran. {@link LibvirtdSetup} renders the
 * files and the start command; this class runs them.
 *
 * <p>A process is ended only when it is verified as the site's own, by pid file, command line and network namespace:
 * the pid in a stale pid file may belong to anything by now.
 */
final class LabLibvirtd {

    /** libvirtd 9.0 as Debian builds it refuses to start without this user, even with {@code user = "root"}. */
    static final String QEMU_USER = "libvirt-qemu";
    /** Not a VM's: libvirt's QEMU driver keeps libvirtd's own pid in {@code /run/libvirt/qemu/driver.pid}. */
    private static final String QEMU_DRIVER_PID_FILE = "driver.pid";

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    /** Written to libvirtd's log before each start, so that an error shows only what this start wrote. */
    private static final String START_MARKER = "=== the LivCloud lab starts the libvirtd of site ";

    private final LabConfig config;
    private final LabHost host;
    private final LabCommands commands;
    private final LabEvents events;
    private final Supplier<UUID> uuids;
    private final MigrationTls migrationTls;
    private final LabProcesses processes;

    LabLibvirtd(LabConfig config, LabHost host, LabCommands commands, LabEvents events, Supplier<UUID> uuids) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.events = requireNonNull(events, "events is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
        this.migrationTls = new MigrationTls(config.directory(), Clock.systemUTC());
        this.processes = new LabProcesses(host);
    }

    // ---------------------------------------------------------------------------------------------------------- up

    /**
     * The site's folders and the system user libvirtd needs.
     *
     * @throws ExtensionException {@link LabErrorCode#STATE_UNREADABLE} or {@link LabErrorCode#COMMAND_FAILED}
     */
    void prepare(LabSite site) {
        createFolders(site);
        ensureQemuUser();
    }

    private void createFolders(LabSite site) {
        try {
            for (Path folder : List.of(site.etc(), site.run(), site.lib(), site.log().resolve("qemu"), site.cache())) {
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot create the folders of site "
                    + site.name() + " under " + site.directory() + ": " + e, "check the lab directory's permissions",
                    e);
        }
    }

    private void ensureQemuUser() {
        if (host.userExists(QEMU_USER)) {
            return;
        }
        commands.must(List.of("useradd", "--system", "--no-create-home", "--home-dir", "/var/lib/libvirt",
                "--shell", "/usr/sbin/nologin", "--user-group", "--comment", "libvirt QEMU (created by the LivCloud lab)",
                QEMU_USER));
        events.emit("lab.user.created", "created the system user " + QEMU_USER + ": libvirtd 9.0 refuses to start"
                + " without it, even though the lab runs QEMU as root", Map.of("user", QEMU_USER));
    }

    /**
     * Writes the site's configuration, then reuses its running libvirtd or starts one (in the site's namespace, which
     * must exist), and returns once it answers on its socket; its bind mounts must not be visible here.
     *
     * @throws ExtensionException {@link LabErrorCode#LIBVIRTD_DID_NOT_START} with the end of its log,
     *         {@link LabErrorCode#MOUNT_LEAKED} or {@link LabErrorCode#STATE_UNREADABLE}
     */
    void ensureRunning(LabSite site) {
        writeConfiguration(site);
        ensureLibvirtd(site);
        checkNoMountLeaked(site);
    }

    private void writeConfiguration(LabSite site) {
        try {
            UUID hostUuid;
            if (Files.exists(site.hostUuidFile())) {
                hostUuid = UUID.fromString(Files.readString(site.hostUuidFile(), StandardCharsets.UTF_8).trim());
            } else {
                hostUuid = uuids.get();
                Files.writeString(site.hostUuidFile(), hostUuid + "\n", StandardCharsets.UTF_8);
            }
            Files.writeString(site.libvirtdConf(), LibvirtdSetup.libvirtdConf(site, hostUuid, config.accessMode()),
                    StandardCharsets.UTF_8);
            // Issued before qemu.conf names the folder, so that libvirtd never reads a folder without its files.
            if (config.migrationTls() && migrationTls.ensure(site)) {
                events.emit("lab.migration-tls.issued", "site " + site.name() + ": certificates for QEMU's TLS on"
                        + " migration streams, for " + site.publicAddress() + ", in " + site.migrationTlsDirectory(),
                        Map.of("site", site.name(), "directory", site.migrationTlsDirectory().toString()));
            }
            Files.writeString(site.qemuConf(), LibvirtdSetup.qemuConf(site, config.migrationTls()),
                    StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write the libvirt configuration of site "
                    + site.name() + " in " + site.etc() + ": " + e,
                    "check the lab directory's permissions; a damaged " + site.hostUuidFile() + " may be removed", e);
        }
    }

    private void ensureLibvirtd(LabSite site) {
        Optional<String> namespaceId = host.networkNamespaceId(site.namespace());
        Optional<Long> running = verifiedPid(site, namespaceId);
        if (running.isPresent()) {
            waitUntilAnswering(site, running.get(), false);
            return;
        }
        LabProcesses.deleteQuietly(site.pidFile()); // stale: its process is gone or is not this site's libvirtd
        long pid;
        try {
            LabProcesses.markStart(site.libvirtdLog(), START_MARKER + site.name());
            pid = host.startDetached(LibvirtdSetup.startCommand(site), site.libvirtdLog());
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write " + site.libvirtdLog() + ": " + e,
                    "check the lab directory's permissions", e);
        } catch (RuntimeException e) {
            throw new ExtensionException(LabErrorCode.LIBVIRTD_DID_NOT_START, "cannot start the libvirtd of site "
                    + site.name() + ": " + e.getMessage(), "check that libvirtd and util-linux are installed", e);
        }
        waitUntilAnswering(site, pid, true);
    }

    /**
     * Waits until the site's libvirtd answers an RPC on its unix socket ({@code virsh uri}: a real connection, without
     * the seconds a first {@code version} spends probing QEMU).
     */
    private void waitUntilAnswering(LabSite site, long pid, boolean startedNow) {
        Instant deadline = host.now().plus(config.startTimeout());
        List<String> probe = List.of("virsh", "-c", site.hypervisorUri(), "uri");
        while (true) {
            CommandResult answer = host.run(probe, PROBE_TIMEOUT);
            if (answer.succeeded()) {
                return;
            }
            Optional<ProcessInfo> process = host.process(pid);
            if (process.isEmpty() || !process.get().running()) {
                throw new ExtensionException(LabErrorCode.LIBVIRTD_DID_NOT_START, "the libvirtd of site " + site.name()
                        + " (pid " + pid + ") exited before it answered on " + site.socket() + "; the end of "
                        + site.libvirtdLog() + ":\n" + logTail(site), remedyFor(site));
            }
            if (!host.now().isBefore(deadline)) {
                String what = "did not answer on " + site.socket() + " within " + config.startTimeout().toMillis()
                        + " ms (" + String.join(" ", probe) + ": " + answer.output().strip() + ")";
                if (startedNow && LibvirtdSetup.isStartingLibvirtdOf(site, process.get().commandLine())) {
                    processes.stop(pid, info -> LibvirtdSetup.isStartingLibvirtdOf(site, info.commandLine()));
                    if (LabProcesses.readPid(site.pidFile()).filter(written -> written == pid).isPresent()) {
                        LabProcesses.deleteQuietly(site.pidFile()); // a libvirtd stopped early leaves it behind
                    }
                    what += "; stopped it";
                }
                throw new ExtensionException(LabErrorCode.LIBVIRTD_DID_NOT_START, "the libvirtd of site " + site.name()
                        + " (pid " + pid + ") " + what + "; the end of " + site.libvirtdLog() + ":\n" + logTail(site),
                        startedNow ? remedyFor(site) + ", or raise livcloud.extensions.provider.lab.start-timeout"
                                : "tear the site down and provision it again");
            }
            host.pause(LabProcesses.POLL_INTERVAL);
        }
    }

    private static String remedyFor(LabSite site) {
        return "read " + site.libvirtdLog() + "; the lab's libvirtd.conf and qemu.conf are in " + site.etc();
    }

    /** The last lines libvirtd wrote since the lab last started it (the log is appended to across starts). */
    private static String logTail(LabSite site) {
        return LabProcesses.logSince(site.libvirtdLog(), START_MARKER);
    }

    /** The bind mounts live in libvirtd's private mount namespace; one visible here would be a leak. */
    private void checkNoMountLeaked(LabSite site) {
        List<String> leaked = leakedMounts(site);
        if (!leaked.isEmpty()) {
            throw new ExtensionException(LabErrorCode.MOUNT_LEAKED, "mounts of site " + site.name()
                    + " are visible in this mount namespace: " + String.join(", ", leaked),
                    "tear the site down, then unmount them with umount; report this as a LivCloud bug");
        }
    }

    /** The site's folders mounted in this mount namespace, where the lab never mounts: a leak, whoever made it. */
    List<String> leakedMounts(LabSite site) {
        String prefix = site.directory().toString();
        return host.mountPoints().stream()
                .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                .toList();
    }

    // ---------------------------------------------------------------------------------------------------- running

    /**
     * The pid of the site's libvirtd, from its pid file, if that process runs and is this site's libvirtd: its command
     * line names the site's libvirtd.conf and, when the namespace is known, it is in the site's network namespace.
     */
    Optional<Long> verifiedPid(LabSite site, Optional<String> namespaceId) {
        return LabProcesses.readPid(site.pidFile())
                .filter(pid -> host.process(pid).filter(libvirtdOf(site, namespaceId)).isPresent());
    }

    private static Predicate<ProcessInfo> libvirtdOf(LabSite site, Optional<String> namespaceId) {
        return process -> process.running() && LibvirtdSetup.isLibvirtdOf(site, process.commandLine())
                && namespaceId.map(process.networkNamespaceId()::equals).orElse(true);
    }

    // -------------------------------------------------------------------------------------------------------- down

    /**
     * Ends the site's QEMUs, then its libvirtd, each verified first; removes their stale pid files.
     *
     * @param namespaceId the site's network namespace; empty when it is gone, and then no QEMU can be verified
     * @return the pids it ended or tried to end, so that the caller can tell the site's processes from others
     */
    Set<Long> stop(LabSite site, Optional<String> namespaceId, TeardownSteps teardown) {
        Set<Long> ended = new LinkedHashSet<>();
        stopQemus(site, namespaceId, teardown, ended);
        stopLibvirtd(site, namespaceId, teardown, ended);
        return ended;
    }

    private void stopQemus(LabSite site, Optional<String> namespaceId, TeardownSteps teardown, Set<Long> ended) {
        for (Path pidFile : files(site.qemuPidFolder(), ".pid")) {
            String fileName = pidFile.getFileName().toString();
            if (fileName.equals(QEMU_DRIVER_PID_FILE)) {
                continue;
            }
            String vm = fileName.substring(0, fileName.length() - ".pid".length());
            processes.stopDaemon("qemu/" + vm, "QEMU", pidFile, namespaceId,
                    candidate -> LibvirtdSetup.isQemuOf(vm, candidate.commandLine()), teardown).ifPresent(ended::add);
        }
    }

    private void stopLibvirtd(LabSite site, Optional<String> namespaceId, TeardownSteps teardown, Set<Long> ended) {
        Predicate<ProcessInfo> libvirtd = libvirtdOf(site, namespaceId);
        Set<Long> pids = new LinkedHashSet<>();
        Optional<Long> fromPidFile = LabProcesses.readPid(site.pidFile());
        fromPidFile.filter(pid -> host.process(pid).filter(libvirtd).isPresent()).ifPresent(pids::add);
        // Also one whose pid file is gone: in the site's namespace with the site's libvirtd.conf, it is ours.
        namespaceId.ifPresent(id -> host.processesInNetworkNamespace(id).stream()
                .filter(pid -> host.process(pid).filter(libvirtd).isPresent())
                .forEach(pids::add));
        for (long pid : pids) {
            ended.add(pid);
            teardown.step("process/libvirtd/" + pid, () -> processes.stop(pid, libvirtd));
        }
        if (Files.exists(site.pidFile())) {
            if (pids.isEmpty()) {
                teardown.step("file" + site.pidFile(), () -> LabProcesses.deleteQuietly(site.pidFile()));
            } else if (!teardown.dryRun()) {
                LabProcesses.deleteQuietly(site.pidFile()); // left by a libvirtd that needed SIGKILL
            }
        }
    }

    private static List<Path> files(Path folder, String suffix) {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*" + suffix)) {
            entries.forEach(entry -> {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            });
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot list " + folder + ": " + e,
                    "check the lab directory's permissions", e);
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }
}
