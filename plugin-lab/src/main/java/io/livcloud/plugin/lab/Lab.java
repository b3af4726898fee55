package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.CommandResult;
import io.livcloud.plugin.lab.LabHost.NetworkLink;
import io.livcloud.plugin.lab.LabHost.ProcessInfo;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The lab's sites on this machine: brings a site up (WAN, namespace, link, libvirtd), describes the sites that are up,
 * and tears a site down again, ending only processes it verifies as the site's own.
 *
 * <p>Everything the lab creates carries its directory: the WAN bridge's and each site link's interface alias say
 * {@code livcloud-lab <directory>}, so a lab never adopts or removes another lab's namespaces. One lab directory is
 * used by one call at a time (a lock file), across processes.
 */
final class Lab {

    /** libvirtd 9.0 as Debian builds it refuses to start without this user, even with {@code user = "root"}. */
    static final String QEMU_USER = "libvirt-qemu";
    static final String PROVIDER = "lab";
    /** Not a VM's: libvirt's QEMU driver keeps libvirtd's own pid in {@code /run/libvirt/qemu/driver.pid}. */
    private static final String QEMU_DRIVER_PID_FILE = "driver.pid";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final Duration TERMINATE_GRACE = Duration.ofSeconds(10);
    private static final Duration KILL_GRACE = Duration.ofSeconds(5);
    private static final int LOG_LINES = 20;
    /** Written to libvirtd's log before each start, so that an error shows only what this start wrote. */
    private static final String START_MARKER = "=== the LivCloud lab starts the libvirtd of site ";

    private final LabConfig config;
    private final LabHost host;
    private final LabEvents events;
    private final Supplier<UUID> uuids;
    private final SiteIndexes indexes;
    private final String owner;
    private final MigrationTls migrationTls;
    private boolean prerequisitesInstalled;

    Lab(LabConfig config, LabHost host, LabEvents events, Supplier<UUID> uuids) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.events = requireNonNull(events, "events is null");
        this.uuids = requireNonNull(uuids, "uuids is null");
        this.indexes = new SiteIndexes(config.directory());
        this.owner = "livcloud-lab " + config.directory();
        this.migrationTls = new MigrationTls(config.directory(), Clock.systemUTC());
    }

    // ---------------------------------------------------------------------------------------------------------- up

    /**
     * Creates (or finds healthy and reuses) the WAN and the site: namespace, link, libvirtd answering on its socket.
     *
     * @throws ExtensionException with a {@link LabErrorCode} naming what failed and what to do
     */
    synchronized Site up(SiteSpec spec) {
        String name = LabSite.checkName(spec.name());
        OptionalInt requestedIndex = requestedIndex(spec);
        Instant start = host.now();
        return locked(() -> {
            if (config.installPrerequisites() && !prerequisitesInstalled) {
                Prerequisites.install(host, config.directory(), events);
                prerequisitesInstalled = true;
            }
            Optional<Integer> previousIndex = indexes.of(name);
            if (requestedIndex.isPresent() && previousIndex.isPresent()
                    && requestedIndex.getAsInt() != previousIndex.get()
                    && host.networkNamespaces().contains(LabSite.namespaceOf(name))) {
                throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "site " + name + " is up with index "
                        + previousIndex.get() + " and cannot take index " + requestedIndex.getAsInt() + " while it runs",
                        "tear the site down first, or leave its index as it is");
            }
            LabSite site = new LabSite(name, indexes.assign(name, requestedIndex),
                    config.sitesDirectory().resolve(name));
            if (!spec.vmSubnet().isBlank() && !spec.vmSubnet().equals(site.vmSubnet())) {
                throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "site " + name + " has index "
                        + site.index() + " and so the VM subnet " + site.vmSubnet() + ", not " + spec.vmSubnet(),
                        "leave the VM subnet empty, or give the site the index whose subnet it is: 10.99.<10+index>.0/24");
            }
            createFolders(site);
            ensureQemuUser();
            ensureWan();
            ensureSiteNetwork(site);
            writeConfiguration(site);
            ensureLibvirtd(site);
            checkNoMountLeaked(site);
            Site described = describe(site);
            long millis = Duration.between(start, host.now()).toMillis();
            events.emit("lab.site.up", "site " + name + " is up at " + site.publicAddress() + " (libvirtd "
                    + described.gateway().attributes().get(Attributes.LIBVIRTD_PID) + ", " + millis + " ms)",
                    Map.of("site", name, "address", site.publicAddress(), "milliseconds", Long.toString(millis)));
            return described;
        });
    }

    private static OptionalInt requestedIndex(SiteSpec spec) {
        String index = spec.options().get(LabCloudProviderFactory.INDEX);
        if (index == null || index.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int value = Integer.parseInt(index.trim());
            if (value >= LabSite.FIRST_INDEX && value <= LabSite.LAST_INDEX) {
                return OptionalInt.of(value);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "site " + spec.name() + " has the index '"
                + index + "', not a whole number from " + LabSite.FIRST_INDEX + " to " + LabSite.LAST_INDEX,
                "set the site's index to a number from " + LabSite.FIRST_INDEX + " to " + LabSite.LAST_INDEX
                        + ", or leave it out");
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
        must(List.of("useradd", "--system", "--no-create-home", "--home-dir", "/var/lib/libvirt",
                "--shell", "/usr/sbin/nologin", "--user-group", "--comment", "libvirt QEMU (created by the LivCloud lab)",
                QEMU_USER));
        events.emit("lab.user.created", "created the system user " + QEMU_USER + ": libvirtd 9.0 refuses to start"
                + " without it, even though the lab runs QEMU as root", Map.of("user", QEMU_USER));
    }

    private void ensureWan() {
        String wan = LabSite.WAN_NAMESPACE;
        if (!host.networkNamespaces().contains(wan)) {
            must(List.of("ip", "netns", "add", wan));
            must(ip(wan, "link", "set", "lo", "up"));
        }
        Optional<NetworkLink> bridge = link(wan, LabSite.WAN_BRIDGE);
        if (bridge.isEmpty()) {
            must(ip(wan, "link", "add", LabSite.WAN_BRIDGE, "type", "bridge"));
            must(ip(wan, "link", "set", LabSite.WAN_BRIDGE, "alias", owner));
            must(ip(wan, "link", "set", LabSite.WAN_BRIDGE, "up"));
            ensureUser();
            return;
        }
        checkOwner(wan, bridge.get());
        if (!bridge.get().up()) {
            must(ip(wan, "link", "set", LabSite.WAN_BRIDGE, "up"));
        }
        ensureUser();
    }

    private void ensureSiteNetwork(LabSite site) {
        String namespace = site.namespace();
        if (!host.networkNamespaces().contains(namespace)) {
            must(List.of("ip", "netns", "add", namespace));
            must(ip(namespace, "link", "set", "lo", "up"));
        }
        ensureVmBridge(site);
        ensureSegmentBridge(site);
        Optional<NetworkLink> siteLink = link(namespace, LabSite.SITE_LINK);
        if (siteLink.isPresent()) {
            checkOwner(namespace, siteLink.get());
            List<String> addresses = siteLink.get().addresses();
            if (!addresses.isEmpty() && !addresses.contains(site.publicCidr())) {
                throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "site " + site.name() + " runs at "
                        + String.join(", ", addresses) + " but its index " + site.index() + " gives "
                        + site.publicCidr(), "tear the site down and provision it again");
            }
            if (addresses.isEmpty()) {
                must(ip(namespace, "addr", "add", site.publicCidr(), "dev", LabSite.SITE_LINK));
            }
            if (!siteLink.get().up()) {
                must(ip(namespace, "link", "set", LabSite.SITE_LINK, "up"));
            }
            return;
        }
        String wan = LabSite.WAN_NAMESPACE;
        joinWan(namespace, site.wanLink(), site.publicCidr());
        config.wanRate().ifPresent(rate -> {
            must(tbf(wan, site.wanLink(), rate));
            must(tbf(namespace, LabSite.SITE_LINK, rate));
        });
    }

    /** The VM subnet's bridge with the gateway's inside address: where VMs attach and the tunnel's subnet ends. */
    private void ensureVmBridge(LabSite site) {
        String namespace = site.namespace();
        Optional<NetworkLink> bridge = link(namespace, LabSite.VM_BRIDGE);
        if (bridge.isEmpty()) {
            must(ip(namespace, "link", "add", LabSite.VM_BRIDGE, "type", "bridge"));
        }
        if (bridge.map(existing -> !existing.addresses().contains(site.insideCidr())).orElse(true)) {
            must(ip(namespace, "addr", "replace", site.insideCidr(), "dev", LabSite.VM_BRIDGE));
        }
        if (bridge.map(existing -> !existing.up()).orElse(true)) {
            must(ip(namespace, "link", "set", LabSite.VM_BRIDGE, "up"));
        }
    }

    /** The VM segment's bridge, with the gateway's segment address; the tunnel extension may stretch it. */
    private void ensureSegmentBridge(LabSite site) {
        String namespace = site.namespace();
        Optional<NetworkLink> bridge = link(namespace, LabSite.SEGMENT_BRIDGE);
        if (bridge.isEmpty()) {
            // The gateway routes between the WAN (the lab's user) and the segment; set before the bridge exists, so
            // that a run interrupted in between sets it again.
            must(List.of("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
            must(ip(namespace, "link", "add", LabSite.SEGMENT_BRIDGE, "type", "bridge"));
            must(ip(namespace, "link", "set", LabSite.SEGMENT_BRIDGE, "mtu", Integer.toString(LabSite.SEGMENT_MTU)));
        }
        if (bridge.map(existing -> !existing.addresses().contains(site.segmentCidr())).orElse(true)) {
            must(ip(namespace, "addr", "replace", site.segmentCidr(), "dev", LabSite.SEGMENT_BRIDGE));
        }
        if (bridge.map(existing -> !existing.up()).orElse(true)) {
            must(ip(namespace, "link", "set", LabSite.SEGMENT_BRIDGE, "up"));
        }
    }

    /**
     * The lab's user: a namespace on the WAN whose route to the VM segment goes through the first site's gateway.
     * Made with the WAN and removed with it.
     */
    private void ensureUser() {
        String user = LabSite.USER_NAMESPACE;
        if (host.networkNamespaces().contains(user)) {
            Optional<NetworkLink> link = link(user, LabSite.SITE_LINK);
            if (link.isPresent()) {
                checkOwner(user, link.get());
                return;
            }
            must(List.of("ip", "netns", "delete", user)); // an interrupted run's: made again below
        }
        must(List.of("ip", "netns", "add", user));
        must(ip(user, "link", "set", "lo", "up"));
        joinWan(user, LabSite.USER_WAN_LINK, LabSite.USER_ADDRESS + "/24");
        must(ip(user, "route", "add", LabSite.SEGMENT_SUBNET, "via", "10.99.0." + (LabSite.FIRST_INDEX + 1)));
    }

    /**
     * Joins a namespace to the WAN bridge: a veth pair, {@code wanLink} on the bridge and {@link LabSite#SITE_LINK}
     * inside with the address and this lab's alias. Created in the WAN namespace with its peer straight in the other:
     * nothing appears in the root namespace.
     */
    private void joinWan(String namespace, String wanLink, String cidr) {
        String wan = LabSite.WAN_NAMESPACE;
        if (link(wan, wanLink).isPresent()) {
            must(ip(wan, "link", "del", wanLink)); // half of a pair from an interrupted run
        }
        must(ip(wan, "link", "add", wanLink, "type", "veth", "peer", "name", LabSite.SITE_LINK, "netns", namespace));
        must(ip(wan, "link", "set", wanLink, "master", LabSite.WAN_BRIDGE));
        must(ip(wan, "link", "set", wanLink, "up"));
        must(ip(namespace, "addr", "add", cidr, "dev", LabSite.SITE_LINK));
        must(ip(namespace, "link", "set", LabSite.SITE_LINK, "alias", owner));
        must(ip(namespace, "link", "set", LabSite.SITE_LINK, "up"));
    }

    private static List<String> tbf(String namespace, String device, LabConfig.WanRate rate) {
        return List.of("tc", "-n", namespace, "qdisc", "replace", "dev", device, "root", "tbf",
                "rate", rate.text(), "burst", Long.toString(rate.burstBytes()), "latency", "50ms");
    }

    private void checkOwner(String namespace, NetworkLink link) {
        if (!link.alias().equals(owner)) {
            throw new ExtensionException(LabErrorCode.OWNED_ELSEWHERE, "the network namespace " + namespace
                    + " exists but is not this lab's: its " + link.name() + " says '" + link.alias() + "', this lab is '"
                    + owner + "'", "tear its sites down with the lab that made them (its directory is in that alias),"
                            + " or remove it with ip netns delete " + namespace + " if nothing uses it");
        }
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
            Files.writeString(site.libvirtdConf(), LibvirtdSetup.libvirtdConf(site, hostUuid), StandardCharsets.UTF_8);
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
        Optional<Long> running = verifiedLibvirtd(site, namespaceId);
        if (running.isPresent()) {
            waitUntilAnswering(site, running.get(), false);
            return;
        }
        deleteQuietly(site.pidFile()); // stale: its process is gone or is not this site's libvirtd
        long pid;
        try {
            Files.writeString(site.libvirtdLog(), START_MARKER + site.name() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
                    stop(pid, info -> LibvirtdSetup.isStartingLibvirtdOf(site, info.commandLine()));
                    if (readPid(site.pidFile()).filter(written -> written == pid).isPresent()) {
                        deleteQuietly(site.pidFile()); // a libvirtd stopped early leaves it behind
                    }
                    what += "; stopped it";
                }
                throw new ExtensionException(LabErrorCode.LIBVIRTD_DID_NOT_START, "the libvirtd of site " + site.name()
                        + " (pid " + pid + ") " + what + "; the end of " + site.libvirtdLog() + ":\n" + logTail(site),
                        startedNow ? remedyFor(site) + ", or raise livcloud.extensions.provider.lab.start-timeout"
                                : "tear the site down and provision it again");
            }
            host.pause(POLL_INTERVAL);
        }
    }

    private static String remedyFor(LabSite site) {
        return "read " + site.libvirtdLog() + "; the lab's libvirtd.conf and qemu.conf are in " + site.etc();
    }

    /** The last lines libvirtd wrote since the lab last started it (the log is appended to across starts). */
    private String logTail(LabSite site) {
        try {
            String log = Files.readString(site.libvirtdLog(), StandardCharsets.UTF_8);
            int start = log.lastIndexOf(START_MARKER);
            String sinceStart = start < 0 ? log : log.substring(log.indexOf('\n', start) + 1);
            return sinceStart.isBlank() ? "(nothing yet)" : lastLines(sinceStart);
        } catch (IOException e) {
            return "(cannot read it: " + e + ")";
        }
    }

    static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
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

    private List<String> leakedMounts(LabSite site) {
        String prefix = site.directory().toString();
        return host.mountPoints().stream()
                .filter(point -> point.equals(prefix) || point.startsWith(prefix + "/"))
                .toList();
    }

    // ------------------------------------------------------------------------------------------------------- sites

    /** The sites of this lab that have a namespace or a running libvirtd, by index. */
    synchronized List<Site> sites() {
        if (!Files.isDirectory(config.directory())) {
            return List.of();
        }
        return locked(() -> {
            Set<String> namespaces = host.networkNamespaces();
            List<Site> sites = new ArrayList<>();
            indexes.all().entrySet().stream()
                    .sorted(Map.Entry.comparingByValue())
                    .map(entry -> new LabSite(entry.getKey(), entry.getValue(),
                            config.sitesDirectory().resolve(entry.getKey())))
                    .forEach(site -> {
                        boolean namespace = namespaces.contains(site.namespace());
                        if (namespace && !ours(site)) {
                            return;
                        }
                        if (namespace || verifiedLibvirtd(site, Optional.empty()).isPresent()) {
                            sites.add(describe(site));
                        }
                    });
            return sites;
        });
    }

    /** Whether a site's namespace is this lab's: its link says so, or it has none yet (a run interrupted early). */
    private boolean ours(LabSite site) {
        return link(site.namespace(), LabSite.SITE_LINK).map(link -> link.alias().equals(owner)).orElse(true);
    }

    private Site describe(LabSite site) {
        Optional<Long> libvirtd = verifiedLibvirtd(site, host.networkNamespaceId(site.namespace()));
        Map<String, String> hostAttributes = new LinkedHashMap<>();
        hostAttributes.put(Attributes.NAMESPACE, site.namespace());
        hostAttributes.put(Attributes.PEER_URI, site.peerUri());
        hostAttributes.put(Attributes.MIGRATION_URI, site.migrationUri());
        hostAttributes.put(Attributes.TUNNEL_PEER_URI, site.tunnelPeerUri());
        hostAttributes.put(Attributes.TUNNEL_MIGRATION_URI, site.tunnelMigrationUri());
        hostAttributes.put(Attributes.SEGMENT, LabSite.SEGMENT);
        hostAttributes.put(Attributes.SEGMENT_BRIDGE, LabSite.SEGMENT_BRIDGE);
        hostAttributes.put(Attributes.SEGMENT_MTU, Integer.toString(LabSite.SEGMENT_MTU));
        hostAttributes.put(Attributes.SEGMENT_ADDRESS, site.segmentCidr());
        if (config.migrationTls() && MigrationTls.present(site)) {
            hostAttributes.put(Attributes.MIGRATION_TLS, "true");
        }
        hostAttributes.put(Attributes.STATE, libvirtd.isPresent() ? Attributes.RUNNING : Attributes.STOPPED);
        libvirtd.ifPresent(pid -> hostAttributes.put(Attributes.LIBVIRTD_PID, Long.toString(pid)));
        hostAttributes.put(Attributes.LIBVIRTD_LOG, site.libvirtdLog().toString());
        Host gateway = new Host(site.namespace(), Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR),
                site.publicAddress(), site.insideAddress(), site.hypervisorUri(), hostAttributes);
        Map<String, String> siteAttributes = new LinkedHashMap<>();
        siteAttributes.put(Attributes.INDEX, Integer.toString(site.index()));
        siteAttributes.put(Attributes.WAN_NAMESPACE, LabSite.WAN_NAMESPACE);
        siteAttributes.put(Attributes.WAN_RATE, config.wanRate().map(LabConfig.WanRate::text).orElse(""));
        siteAttributes.put(Attributes.DIRECTORY, site.directory().toString());
        siteAttributes.put(Attributes.SEGMENT_SUBNET, LabSite.SEGMENT_SUBNET);
        siteAttributes.put(Attributes.SEGMENT_ROUTER, LabSite.segmentRouter());
        siteAttributes.put(Attributes.USER_NAMESPACE, LabSite.USER_NAMESPACE);
        return new Site(site.name(), PROVIDER, "", gateway, List.of(gateway), site.vmSubnet(), siteAttributes);
    }

    /**
     * The pid of the site's libvirtd, from its pid file, if that process runs and is this site's libvirtd: its command
     * line names the site's libvirtd.conf and, when the namespace is known, it is in the site's network namespace.
     */
    private Optional<Long> verifiedLibvirtd(LabSite site, Optional<String> namespaceId) {
        return readPid(site.pidFile())
                .filter(pid -> host.process(pid).filter(libvirtdOf(site, namespaceId)).isPresent());
    }

    private static Predicate<ProcessInfo> libvirtdOf(LabSite site, Optional<String> namespaceId) {
        return process -> process.running() && LibvirtdSetup.isLibvirtdOf(site, process.commandLine())
                && namespaceId.map(process.networkNamespaceId()::equals).orElse(true);
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    // -------------------------------------------------------------------------------------------------------- down

    /**
     * Ends the site's QEMUs and libvirtd (each verified by pid file, command line and network namespace), removes its
     * WAN link and namespace, and the WAN when no site is left on it. Never throws for one thing it cannot remove: it
     * is a leftover in the report.
     */
    synchronized TeardownReport down(String name, boolean dryRun) {
        LabSite.checkName(name);
        Instant start = host.now();
        return locked(() -> {
            // A site this lab has no index for may still have a namespace of ours (an index file lost): the index only
            // fixes addresses, which teardown does not need.
            LabSite site = new LabSite(name, indexes.of(name).orElse(LabSite.FIRST_INDEX),
                    config.sitesDirectory().resolve(name));
            Teardown teardown = new Teardown(dryRun);
            tearDown(site, teardown);
            TeardownReport report = new TeardownReport(name, dryRun, teardown.removed, teardown.leftovers);
            if (!dryRun && (!report.removed().isEmpty() || !report.leftovers().isEmpty())) {
                long millis = Duration.between(start, host.now()).toMillis();
                events.emit("lab.site.down", "site " + name + " is down (" + millis + " ms): removed "
                        + String.join(", ", report.removed()) + (report.leftovers().isEmpty() ? ""
                                : "; left: " + report.leftovers()), Map.of("site", name,
                                "complete", Boolean.toString(report.complete()), "milliseconds", Long.toString(millis)));
            }
            return report;
        });
    }

    private void tearDown(LabSite site, Teardown teardown) {
        String namespace = site.namespace();
        boolean namespaceExists = host.networkNamespaces().contains(namespace);
        if (namespaceExists && !ours(site)) {
            teardown.leftover("netns/" + namespace, "not this lab's: its " + LabSite.SITE_LINK + " says '"
                    + link(namespace, LabSite.SITE_LINK).map(NetworkLink::alias).orElse("") + "'; tear it down with the"
                    + " lab that made it");
            return;
        }
        Optional<String> namespaceId = namespaceExists ? host.networkNamespaceId(namespace) : Optional.empty();
        Set<Long> ended = new LinkedHashSet<>();
        stopQemus(site, namespaceId, teardown, ended);
        stopLibvirtd(site, namespaceId, teardown, ended);
        namespaceId.ifPresent(id -> {
            for (long pid : host.processesInNetworkNamespace(id)) {
                if (!ended.contains(pid)) {
                    host.process(pid).filter(ProcessInfo::running).ifPresent(other -> teardown.leftover(
                            "process/" + pid, "runs in " + namespace + " (" + String.join(" ", other.commandLine())
                                    + ") but the lab did not start it, so it was not ended; end it yourself"));
                }
            }
        });
        for (String mount : leakedMounts(site)) {
            teardown.leftover("mount" + mount, "visible in this mount namespace, where the lab never mounts;"
                    + " unmount it with umount " + mount);
        }
        String wan = LabSite.WAN_NAMESPACE;
        if (link(wan, site.wanLink()).isPresent()) {
            teardown.step("veth/" + site.wanLink(), () -> command(ip(wan, "link", "del", site.wanLink())));
        }
        if (namespaceExists) {
            teardown.step("netns/" + namespace, () -> command(List.of("ip", "netns", "delete", namespace)));
        }
        removeWanIfUnused(site, teardown);
    }

    private void stopQemus(LabSite site, Optional<String> namespaceId, Teardown teardown, Set<Long> ended) {
        for (Path pidFile : files(site.qemuPidFolder(), ".pid")) {
            String fileName = pidFile.getFileName().toString();
            if (fileName.equals(QEMU_DRIVER_PID_FILE)) {
                continue;
            }
            String vm = fileName.substring(0, fileName.length() - ".pid".length());
            Optional<ProcessInfo> process = readPid(pidFile).flatMap(host::process).filter(ProcessInfo::running);
            Predicate<ProcessInfo> qemuOfVm = candidate -> candidate.running()
                    && LibvirtdSetup.isQemuOf(vm, candidate.commandLine())
                    && namespaceId.map(candidate.networkNamespaceId()::equals).orElse(false);
            if (process.isPresent() && qemuOfVm.test(process.get())) {
                long pid = process.get().pid();
                ended.add(pid);
                teardown.step("process/qemu/" + vm + "/" + pid, () -> stop(pid, qemuOfVm)
                        .or(() -> deleteQuietly(pidFile)));
            } else if (process.isPresent() && namespaceId.isEmpty()
                    && LibvirtdSetup.isQemuOf(vm, process.get().commandLine())) {
                // The site's namespace is gone, so there is nothing to compare this QEMU's with: not verified.
                teardown.leftover("process/qemu/" + vm + "/" + process.get().pid(), "the site's network namespace is"
                        + " gone, so the lab cannot verify that this QEMU is the site's; it was not ended (its pid file"
                        + " " + pidFile + " is kept)");
            } else {
                teardown.step("file" + pidFile, () -> deleteQuietly(pidFile)); // its QEMU is gone, or not this site's
            }
        }
    }

    private void stopLibvirtd(LabSite site, Optional<String> namespaceId, Teardown teardown, Set<Long> ended) {
        Predicate<ProcessInfo> libvirtd = libvirtdOf(site, namespaceId);
        Set<Long> pids = new LinkedHashSet<>();
        Optional<Long> fromPidFile = readPid(site.pidFile());
        fromPidFile.filter(pid -> host.process(pid).filter(libvirtd).isPresent()).ifPresent(pids::add);
        // Also one whose pid file is gone: in the site's namespace with the site's libvirtd.conf, it is ours.
        namespaceId.ifPresent(id -> host.processesInNetworkNamespace(id).stream()
                .filter(pid -> host.process(pid).filter(libvirtd).isPresent())
                .forEach(pids::add));
        for (long pid : pids) {
            ended.add(pid);
            teardown.step("process/libvirtd/" + pid, () -> stop(pid, libvirtd));
        }
        if (Files.exists(site.pidFile())) {
            if (pids.isEmpty()) {
                teardown.step("file" + site.pidFile(), () -> deleteQuietly(site.pidFile()));
            } else if (!teardown.dryRun) {
                deleteQuietly(site.pidFile()); // left by a libvirtd that needed SIGKILL
            }
        }
    }

    private void removeWanIfUnused(LabSite site, Teardown teardown) {
        String wan = LabSite.WAN_NAMESPACE;
        if (!host.networkNamespaces().contains(wan)) {
            return;
        }
        List<NetworkLink> links = host.links(wan);
        Optional<NetworkLink> bridge = links.stream().filter(link -> link.name().equals(LabSite.WAN_BRIDGE)).findFirst();
        if (bridge.isPresent() && !bridge.get().alias().equals(owner)) {
            return; // another lab's WAN
        }
        // In a dry run the site's link is still there; it counts as gone.
        boolean sitesLeft = links.stream().map(NetworkLink::name)
                .anyMatch(name -> name.startsWith(LabSite.WAN_LINK_PREFIX) && !name.equals(site.wanLink()));
        if (!sitesLeft) {
            String user = LabSite.USER_NAMESPACE;
            if (host.networkNamespaces().contains(user) && link(user, LabSite.SITE_LINK)
                    .map(link -> link.alias().equals(owner)).orElse(true)) {
                teardown.step("netns/" + user, () -> command(List.of("ip", "netns", "delete", user)));
            }
            teardown.step("netns/" + wan, () -> command(List.of("ip", "netns", "delete", wan)));
        }
    }

    /**
     * Ends a verified process: SIGTERM, then SIGKILL after {@link #TERMINATE_GRACE}. Before each signal and while
     * waiting, the process must still pass {@code stillOurs}; one that fails it (ended, a zombie, a pid reused) is gone.
     *
     * @return why it could not be ended, or empty when it is gone
     */
    private Optional<String> stop(long pid, Predicate<ProcessInfo> stillOurs) {
        host.signal(pid, false);
        if (waitUntilGone(pid, stillOurs, TERMINATE_GRACE)) {
            return Optional.empty();
        }
        host.signal(pid, true);
        if (waitUntilGone(pid, stillOurs, KILL_GRACE)) {
            return Optional.empty();
        }
        return Optional.of("still running " + (TERMINATE_GRACE.plus(KILL_GRACE).toSeconds())
                + " s after SIGTERM and SIGKILL");
    }

    private boolean waitUntilGone(long pid, Predicate<ProcessInfo> stillOurs, Duration grace) {
        Instant deadline = host.now().plus(grace);
        while (host.process(pid).filter(stillOurs).isPresent()) {
            if (!host.now().isBefore(deadline)) {
                return false;
            }
            host.pause(POLL_INTERVAL);
        }
        return true;
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

    private static Optional<String> deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot delete it: " + e);
        }
    }

    /** What a teardown removed (or, in a dry run, would) and what it left, in order. */
    private static final class Teardown {
        private final boolean dryRun;
        private final List<String> removed = new ArrayList<>();
        private final List<TeardownReport.Leftover> leftovers = new ArrayList<>();

        Teardown(boolean dryRun) {
            this.dryRun = dryRun;
        }

        /** Runs the action unless this is a dry run; it returns why it failed, or empty. */
        void step(String resource, Supplier<Optional<String>> action) {
            if (dryRun) {
                removed.add(resource);
                return;
            }
            action.get().ifPresentOrElse(reason -> leftover(resource, reason), () -> removed.add(resource));
        }

        void leftover(String resource, String reason) {
            leftovers.add(new TeardownReport.Leftover(resource, reason));
        }
    }

    // ---------------------------------------------------------------------------------------------------- commands

    private static List<String> ip(String namespace, String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(arguments));
        return command;
    }

    private Optional<NetworkLink> link(String namespace, String name) {
        return host.links(namespace).stream().filter(link -> link.name().equals(name)).findFirst();
    }

    /** Runs a command that must succeed. */
    private void must(List<String> command) {
        command(command).ifPresent(failure -> {
            throw new ExtensionException(LabErrorCode.COMMAND_FAILED, failure,
                    "run the command by hand as root to see why; what the lab created so far is torn down by"
                            + " tearing the site down");
        });
    }

    /** Runs a command; why it failed, or empty. */
    private Optional<String> command(List<String> command) {
        CommandResult result = host.run(command, COMMAND_TIMEOUT);
        if (result.succeeded()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", command) + (result.timedOut()
                ? " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s"
                : " failed with exit code " + result.exitCode()) + ": " + result.output().strip());
    }

    /**
     * Runs the action holding the lab directory's lock file, so that other processes using the same lab wait; the lock
     * goes with the channel.
     */
    private <T> T locked(Supplier<T> action) {
        Path lockFile = config.directory().resolve("lock");
        FileChannel channel;
        try {
            Files.createDirectories(config.directory());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw cannotLock(lockFile, e);
        }
        try (channel) {
            channel.lock();
            return action.get();
        } catch (IOException e) {
            throw cannotLock(lockFile, e);
        }
    }

    private static ExtensionException cannotLock(Path lockFile, IOException e) {
        return new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot lock " + lockFile + ": " + e,
                "check the lab directory's permissions", e);
    }
}
