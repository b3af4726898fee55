package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabConfig.AccessMode;
import io.livcloud.plugin.lab.LabHost.ProcessInfo;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.provider.VmSegment;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The lab's sites on this machine: brings a site up (WAN, namespace, link, libvirtd, charon), describes the sites that
 * are up, and tears a site down again, ending only processes it verifies as the site's own. The network is
 * {@link LabNetwork}'s, each site's libvirtd {@link LabLibvirtd}'s, its charon {@link LabCharon}'s; this class decides
 * the order and what a site is.
 *
 * <p>Everything the lab creates carries its directory: the WAN bridge's and each site link's interface alias say
 * {@code livcloud-lab <directory>}, so a lab never adopts or removes another lab's namespaces. One lab directory is
 * used by one call at a time (a lock file), across processes.
 */
final class Lab {

    static final String PROVIDER = "lab";

    private final LabConfig config;
    private final LabHost host;
    private final LabEvents events;
    private final SiteIndexes indexes;
    private final LabNetwork network;
    private final LabLibvirtd libvirtd;
    private final LabCharon charon;
    private final LabSshd sshd;
    private boolean prerequisitesInstalled;

    Lab(LabConfig config, LabHost host, LabEvents events, Supplier<UUID> uuids) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.events = requireNonNull(events, "events is null");
        requireNonNull(uuids, "uuids is null");
        this.indexes = new SiteIndexes(config.directory());
        LabCommands commands = new LabCommands(host);
        this.network = new LabNetwork(config, host, commands);
        this.libvirtd = new LabLibvirtd(config, host, commands, events, uuids);
        this.charon = new LabCharon(config, host, events);
        this.sshd = new LabSshd(config, host, commands);
    }

    // ---------------------------------------------------------------------------------------------------------- up

    /**
     * Creates (or finds healthy and reuses) the WAN and the site: namespace, link, libvirtd answering on its socket,
     * the gateway's charon answering on its VICI socket.
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
            recordAccessMode(site);
            libvirtd.prepare(site);
            boolean ssh = config.accessMode() == AccessMode.SSH;
            network.ensureWan(ssh);
            network.ensureSite(site);
            libvirtd.ensureRunning(site);
            charon.ensureRunning(site);
            if (ssh) {
                sshd.ensureRunning(site);
            }
            Site described = describe(site);
            long millis = Duration.between(start, host.now()).toMillis();
            events.emit("lab.site.up", "site " + name + " is up at " + site.publicAddress() + " (libvirtd "
                    + described.gateway().attributes().get(Attributes.LIBVIRTD_PID) + ", charon "
                    + described.gateway().attributes().get(Attributes.CHARON_PID) + (ssh ? ", sshd "
                            + described.gateway().attributes().get(Attributes.SSHD_PID) : "") + ", " + millis + " ms)",
                    Map.of("site", name, "address", site.publicAddress(), "milliseconds", Long.toString(millis)));
            return described;
        });
    }

    /**
     * Keeps the mode the site is brought up in: it decides how the site's daemons listen, so a site running in the
     * other mode must go down first.
     */
    private void recordAccessMode(LabSite site) {
        AccessMode wanted = config.accessMode();
        AccessMode current = accessModeOf(site);
        if (current != wanted && host.networkNamespaces().contains(site.namespace())) {
            throw new ExtensionException(LabErrorCode.INVALID_SITE_SPEC, "site " + site.name() + " runs with"
                    + " host-access = " + current.text() + " and cannot switch to " + wanted.text() + " while it runs",
                    "tear the site down first, or set livcloud.extensions.provider.lab.host-access = "
                            + current.text() + " until then");
        }
        try {
            Files.createDirectories(site.directory());
            Files.writeString(site.accessModeFile(), wanted.text() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write " + site.accessModeFile() + ": "
                    + e, "check the lab directory's permissions", e);
        }
    }

    /** The mode the site was last brought up in; namespace for a site from before the setting existed. */
    static AccessMode accessModeOf(LabSite site) {
        try {
            return AccessMode.of(Files.readString(site.accessModeFile(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | IllegalArgumentException e) {
            return AccessMode.NAMESPACE;
        }
    }

    /**
     * The site of this name if its namespace exists: what host access reaches.
     *
     * @throws ExtensionException {@link LabErrorCode#SITE_NOT_FOUND} when it is not up
     */
    LabSite upSite(String name) {
        LabSite.checkName(name);
        Optional<Integer> index = indexes.of(name);
        if (index.isEmpty() || !host.networkNamespaces().contains(LabSite.namespaceOf(name))) {
            throw new ExtensionException(LabErrorCode.SITE_NOT_FOUND, "the lab has no site " + name + " up on this"
                    + " machine", "bring it up: livcloud lab up");
        }
        return new LabSite(name, index.get(), config.sitesDirectory().resolve(name));
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
                        if (namespace && network.otherOwner(site).isPresent()) {
                            return;
                        }
                        if (namespace || libvirtd.verifiedPid(site, Optional.empty()).isPresent()) {
                            sites.add(describe(site));
                        }
                    });
            return sites;
        });
    }

    private Site describe(LabSite site) {
        Optional<String> namespaceId = host.networkNamespaceId(site.namespace());
        Optional<Long> libvirtdPid = libvirtd.verifiedPid(site, namespaceId);
        boolean ssh = accessModeOf(site) == AccessMode.SSH;
        Map<String, String> hostAttributes = new LinkedHashMap<>();
        if (!ssh) {
            hostAttributes.put(Attributes.NAMESPACE, site.namespace());
        }
        hostAttributes.put(Attributes.SEGMENT_ADDRESS, site.segmentCidr());
        hostAttributes.put(Attributes.STATE, libvirtdPid.isPresent() ? Attributes.RUNNING : Attributes.STOPPED);
        libvirtdPid.ifPresent(pid -> hostAttributes.put(Attributes.LIBVIRTD_PID, Long.toString(pid)));
        hostAttributes.put(Attributes.LIBVIRTD_LOG, site.libvirtdLog().toString());
        charon.verifiedPid(site, namespaceId).ifPresent(pid -> hostAttributes.put(Attributes.CHARON_PID,
                Long.toString(pid)));
        hostAttributes.put(Attributes.CHARON_LOG, site.charonLog().toString());
        if (ssh) {
            sshd.verifiedPid(site, namespaceId).ifPresent(pid -> hostAttributes.put(Attributes.SSHD_PID,
                    Long.toString(pid)));
            hostAttributes.put(Attributes.SSHD_LOG, site.sshdLog().toString());
            hostAttributes.put(Attributes.SSH, "root@" + site.publicAddress() + ":" + LabSite.SSH_PORT);
            if (Files.exists(site.hostKeyPublic())) { // made at the site's first up in ssh mode
                hostAttributes.put(Attributes.SSH_HOST_KEY, LabSshd.hostKeyFingerprint(site));
            }
        }
        boolean tls = config.migrationTls() && MigrationTls.present(site);
        Host gateway = new Host(site.namespace(), Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR),
                site.publicAddress(), site.insideAddress(), site.hypervisorUri(), hostAttributes)
                // In ssh mode libvirtd listens only inside the site, so no control address is offered on the WAN;
                // migration data may still cross it under QEMU's TLS.
                .withMigration(new MigrationEndpoints(site.tunnelPeerUri(), site.tunnelMigrationUri(),
                        ssh ? "" : site.peerUri(), site.migrationUri(), tls))
                .withSegment(new VmSegment(LabSite.SEGMENT, LabSite.SEGMENT_BRIDGE, LabSite.SEGMENT_MTU,
                        LabSite.SEGMENT_SUBNET, LabSite.segmentRouter()))
                // The site's WAN address is its own (no NAT in the lab): charon sends from it and is known by it.
                .withTunnelControl(new TunnelControl(site.viciSocket().toString(), site.publicAddress(),
                        site.publicAddress(), ""));
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

    // -------------------------------------------------------------------------------------------------------- down

    /**
     * Ends the site's sshd, charon, QEMUs and libvirtd (each verified by pid file, command line and network namespace),
     * removes its WAN link and namespace, and the WAN when no site is left on it. Never throws for one thing it cannot
     * remove: it is a leftover in the report.
     */
    synchronized TeardownReport down(String name, boolean dryRun) {
        LabSite.checkName(name);
        Instant start = host.now();
        return locked(() -> {
            // A site this lab has no index for may still have a namespace of ours (an index file lost): the index only
            // fixes addresses, which teardown does not need.
            LabSite site = new LabSite(name, indexes.of(name).orElse(LabSite.FIRST_INDEX),
                    config.sitesDirectory().resolve(name));
            TeardownSteps teardown = new TeardownSteps(dryRun);
            tearDown(site, teardown);
            TeardownReport report = teardown.report(name);
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

    private void tearDown(LabSite site, TeardownSteps teardown) {
        String namespace = site.namespace();
        boolean namespaceExists = host.networkNamespaces().contains(namespace);
        Optional<String> otherOwner = namespaceExists ? network.otherOwner(site) : Optional.empty();
        if (otherOwner.isPresent()) {
            teardown.leftover("netns/" + namespace, "not this lab's: its " + LabSite.SITE_LINK + " says '"
                    + otherOwner.get() + "'; tear it down with the lab that made it");
            return;
        }
        Optional<String> namespaceId = namespaceExists ? host.networkNamespaceId(namespace) : Optional.empty();
        Set<Long> ended = new LinkedHashSet<>(sshd.stop(site, namespaceId, teardown));
        charon.stop(site, namespaceId, teardown).ifPresent(ended::add);
        ended.addAll(libvirtd.stop(site, namespaceId, teardown));
        namespaceId.ifPresent(id -> {
            for (long pid : host.processesInNetworkNamespace(id)) {
                if (!ended.contains(pid)) {
                    host.process(pid).filter(ProcessInfo::running).ifPresent(other -> teardown.leftover(
                            "process/" + pid, "runs in " + namespace + " (" + String.join(" ", other.commandLine())
                                    + ") but the lab did not start it, so it was not ended; end it yourself"));
                }
            }
        });
        for (String mount : libvirtd.leakedMounts(site)) {
            teardown.leftover("mount" + mount, "visible in this mount namespace, where the lab never mounts;"
                    + " unmount it with umount " + mount);
        }
        network.removeSite(site, namespaceExists, teardown);
    }

    // ------------------------------------------------------------------------------------------------------ locking

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
