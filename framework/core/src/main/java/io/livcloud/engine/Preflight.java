package io.livcloud.engine;

import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy.EncryptedPath;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.spi.hypervisor.Compatibility;
import io.livcloud.spi.hypervisor.DiskInfo;
import io.livcloud.spi.hypervisor.HostInfo;
import io.livcloud.spi.hypervisor.HypervisorConnection;
import io.livcloud.spi.hypervisor.VmInfo;
import io.livcloud.spi.hypervisor.VmState;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.MigrationEndpoints;
import io.livcloud.spi.provider.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Works out a migration's route and runs the preflight checks. Reads only: nothing anywhere changes, so {@code plan}
 * runs exactly this, and a migration whose checks fail ends before anything is touched.
 */
final class Preflight {

    /**
     * The route, if it could be worked out, and every check.
     *
     * @param route where and how; empty when the VM or a host could not be found
     * @param vm the VM as its source reports it
     * @param checks all checks, failed ones with their remedy
     */
    record Result(Optional<Route> route, Optional<VmInfo> vm, List<MigrationReport.Check> checks) {
        boolean passed() {
            return route.isPresent() && checks.stream().allMatch(MigrationReport.Check::passed);
        }

        String failures() {
            return String.join("; ", checks.stream().filter(check -> !check.passed())
                    .map(check -> check.name() + ": " + check.detail()).toList());
        }
    }

    private final SiteDirectory sites;
    private final SiteHypervisors hypervisor;
    private final TunnelService tunnels;

    Preflight(SiteDirectory sites, SiteHypervisors hypervisor, TunnelService tunnels) {
        this.sites = sites;
        this.hypervisor = hypervisor;
        this.tunnels = tunnels;
    }

    /** The site whose hypervisor hosts run the VM. @throws LivCloudException if none or several do */
    String locate(String vmName) {
        List<String> found = new ArrayList<>();
        for (String name : sites.names()) {
            try {
                Site site = sites.site(name);
                for (Host host : site.hypervisorHosts()) {
                    try (HypervisorConnection connection = hypervisor.connect(name, host.hypervisorUri())) {
                        if (connection.findVm(vmName).filter(vm -> vm.state() == VmState.RUNNING).isPresent()) {
                            found.add(name);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // A site that is not created, or whose hypervisor does not answer, does not run the VM.
            }
        }
        if (found.size() != 1) {
            throw new LivCloudException(found.isEmpty() ? "no site runs a VM named '" + vmName + "'"
                    : "several sites run a VM named '" + vmName + "': " + String.join(", ", found),
                    "name the source site with --from");
        }
        return found.get(0);
    }

    Result run(String vmName, String fromSite, String toSite, EnginePolicy policy) {
        List<MigrationReport.Check> checks = new ArrayList<>();
        if (fromSite.equals(toSite)) {
            checks.add(fail("sites", "the VM would move from site " + fromSite + " to itself",
                    "name another destination site"));
            return new Result(Optional.empty(), Optional.empty(), checks);
        }
        Site from = sites.site(fromSite);
        Site to = sites.site(toSite);
        Optional<Host> sourceHost = Optional.empty();
        Optional<VmInfo> vm = Optional.empty();
        for (Host host : from.hypervisorHosts()) {
            try (HypervisorConnection connection = hypervisor.connect(fromSite, host.hypervisorUri())) {
                Optional<VmInfo> candidate = connection.findVm(vmName);
                if (candidate.isPresent()) {
                    sourceHost = Optional.of(host);
                    vm = candidate;
                    break;
                }
            }
        }
        if (vm.isEmpty()) {
            checks.add(fail("vm", "site " + fromSite + " has no VM named '" + vmName + "'",
                    "check the name (livcloud lab status lists the VMs), or name the site it runs at with --from"));
            return new Result(Optional.empty(), Optional.empty(), checks);
        }
        checks.add(vm.get().state() == VmState.RUNNING
                ? pass("vm", vmName + " runs at " + fromSite + " on " + sourceHost.get().name() + " ("
                        + vm.get().architecture().canonicalName() + ", " + vm.get().cpuModel() + ", "
                        + (vm.get().memoryBytes() >> 20) + " MiB)")
                : fail("vm", vmName + " is " + vm.get().state() + " at " + fromSite + ", not running",
                        "a live migration moves a running VM; start it, or move its definition offline"));

        Host destinationHost = to.hypervisorHosts().get(0);
        try (HypervisorConnection source = hypervisor.connect(fromSite, sourceHost.get().hypervisorUri());
                HypervisorConnection destination = hypervisor.connect(toSite, destinationHost.hypervisorUri())) {
            HostInfo destinationInfo = underConfiguredName(destination.host(), destinationHost);
            Compatibility compatibility = source.checkCompatibility(vm.get(), destinationInfo);
            if (compatibility.isCompatible()) {
                checks.add(pass("compatibility", "architecture, CPU model and memory fit " + destinationHost.name()
                        + " (" + destinationInfo.cpuModel() + ", " + (destinationInfo.freeMemoryBytes() >> 20)
                        + " MiB free)"));
            }
            for (Compatibility.Problem problem : compatibility.problems()) {
                checks.add(fail(problem.check(), problem.reason(), problem.remedy()));
            }
            checks.add(accelerator(to, destinationHost, destinationInfo));
            checks.add(storage(vm.get()));
            checks.add(destinationFree(destination.findVm(vmName), vm.get(), destinationHost));
        }
        Route route = route(from, to, sourceHost.get(), destinationHost, policy, checks);
        VmReachability reachability = new VmReachability(policy.reachability(), fromSite, sites);
        if (reachability.asked()) {
            checks.add(reachability.preflight());
        }
        return new Result(Optional.of(route), vm, checks);
    }

    /**
     * The destination must not have another VM of this name. A shut-off definition of this very VM (same UUID) is
     * what an earlier migration's rollback window left there: the migration takes its place.
     */
    static MigrationReport.Check destinationFree(Optional<VmInfo> there, VmInfo vm, Host destinationHost) {
        if (there.isEmpty()) {
            return pass("destination-free", destinationHost.name() + " has no VM named '" + vm.name() + "'");
        }
        if (there.get().uuid().equals(vm.uuid()) && there.get().state() == VmState.SHUT_OFF) {
            return pass("destination-free", destinationHost.name() + " keeps a stopped definition of " + vm.name()
                    + " from an earlier migration; the migration takes its place");
        }
        return fail("destination-free", destinationHost.name() + " already has a VM named '" + vm.name() + "' ("
                + there.get().state() + (there.get().uuid().equals(vm.uuid()) ? ", the same VM" : ", another VM")
                + ")", "remove or rename it there first (virsh undefine); LivCloud never replaces a VM");
    }

    /**
     * The destination's facts under the host's name as its provider gives it, so that the hypervisor's compatibility
     * problems name the host the user knows: a hypervisor reports its machine's hostname, which in the lab is this
     * machine's for every site.
     */
    private static HostInfo underConfiguredName(HostInfo reported, Host host) {
        return new HostInfo(host.name(), reported.uri(), reported.architecture(), reported.guestArchitectures(),
                reported.accelerators(), reported.cpuModel(), reported.cpus(), reported.memoryBytes(),
                reported.freeMemoryBytes(), reported.attributes());
    }

    private static MigrationReport.Check accelerator(Site site, Host host, HostInfo destination) {
        if (destination.accelerators().isEmpty()) {
            return fail("accelerator", Places.of(site, host) + " has no accelerator to run VMs with",
                    "livcloud probe --site shows why; install QEMU on the destination");
        }
        boolean hardware = destination.accelerators().contains(Accelerator.KVM);
        return pass("accelerator", Places.of(site, host) + " runs VMs with " + destination.accelerators()
                + (hardware ? " (hardware speed)" : " (emulated: much slower than hardware; livcloud probe says why)"));
    }

    private static MigrationReport.Check storage(VmInfo vm) {
        List<String> local = vm.disks().stream().filter(disk -> !disk.shared() && !disk.readOnly())
                .map(DiskInfo::target).toList();
        if (!local.isEmpty()) {
            return fail("storage", vm.name() + "'s disks " + local + " are on storage the destination does not see",
                    "put them on storage both sites share; copying disks during the migration is not in LivCloud"
                            + " 0.1.0");
        }
        return pass("storage", vm.disks().isEmpty() ? "no disk to move" : "every writable disk is on shared storage");
    }

    /**
     * The path of the migration data, from the policy's {@link EnginePolicy.EncryptedPath} and what the hosts offer.
     * The hypervisors' control connection (libvirt's peer-to-peer connection: the VM's definition and the migration's
     * handshake, not its memory) takes the tunnel whenever there is one, also when the data goes under TLS: the lab's
     * libvirtds listen without TLS or authentication, so across the WAN it would be plaintext, which needs
     * allow-plaintext like any other.
     */
    private Route route(Site from, Site to, Host sourceHost, Host destinationHost, EnginePolicy policy,
            List<MigrationReport.Check> checks) {
        Optional<MigrationEndpoints> destination = destinationHost.migration();
        String tunnelPeer = destination.map(MigrationEndpoints::tunnelPeerUri).orElse("");
        String tunnelData = destination.map(MigrationEndpoints::tunnelMigrationUri).orElse("");
        String wanPeer = destination.map(MigrationEndpoints::wanPeerUri).filter(uri -> !uri.isEmpty())
                .orElse(destinationHost.hypervisorUri());
        String wanData = destination.map(MigrationEndpoints::wanMigrationUri).orElse("");
        String tunnelId = io.livcloud.LivCloud.tunnelId(from.name(), to.name());
        boolean tunnel = tunnels.selected() && !tunnelPeer.isEmpty() && !tunnelData.isEmpty();
        String noTunnel = !tunnels.selected() ? "no tunnel extension is selected (livcloud.migration.tunnel)"
                : "site " + to.name() + "'s host " + destinationHost.name() + " does not say how to reach it through"
                        + " the tunnel (its provider publishes no tunnel migration endpoints)";
        Optional<String> noTls = whyNoTls(from, to, sourceHost, destinationHost, wanData);
        EncryptedPath choice = policy.encryptedPath();

        if ((choice != EncryptedPath.TUNNEL && noTls.isEmpty()) || choice == EncryptedPath.TLS) {
            String why = choice == EncryptedPath.TLS ? "encrypted-path = tls"
                    : "encrypted-path = auto and both hosts offer it (migration TLS): faster than the"
                            + " tunnel, whose IPsec may run in userspace";
            noTls.ifPresentOrElse(missing -> checks.add(fail("encrypted-path", "encrypted-path = tls, but "
                    + missing, "give both hosts TLS migration material (the lab does it with migration-tls = true),"
                            + " or choose encrypted-path = auto or tunnel")),
                    () -> checks.add(pass("encrypted-path", "under the hypervisor's TLS across the WAN to " + wanData
                            + " (" + why + ")")));
            if (tunnel) {
                checks.add(pass("control-path", "the hypervisors' control connection through the tunnel " + tunnelId
                        + " to " + tunnelPeer));
                checks.add(tunnelReady(from, to));
            } else {
                checks.add(policy.allowPlaintext()
                        ? pass("control-path", "PLAINTEXT: the hypervisors' control connection (the VM's definition,"
                                + " not its memory) crosses the WAN to " + wanPeer + ", allowed by --allow-plaintext: "
                                + noTunnel)
                        : fail("control-path", "the hypervisors' control connection (the VM's definition and the"
                                + " migration's handshake, not its memory) would cross the WAN in plaintext to "
                                + wanPeer + ": " + noTunnel, "select the strongswan tunnel (livcloud.migration.tunnel"
                                        + " = strongswan) to carry it, or accept it with --allow-plaintext"));
            }
            return new Route(from, to, sourceHost, destinationHost, tunnel ? tunnelPeer : wanPeer, wanData,
                    Route.DataPath.TLS, tunnel ? tunnelId : "", noTls.map(missing -> "asked for, but " + missing)
                            .orElse(why));
        }
        if (tunnel) {
            String why = choice == EncryptedPath.TUNNEL ? "encrypted-path = tunnel" : "encrypted-path = auto and "
                    + noTls.orElseThrow();
            checks.add(pass("encrypted-path", "through the tunnel " + tunnelId + " to " + tunnelData + " (" + why
                    + ")"));
            checks.add(tunnelReady(from, to));
            return new Route(from, to, sourceHost, destinationHost, tunnelPeer, tunnelData, Route.DataPath.TUNNEL,
                    tunnelId, why);
        }
        String why = noTunnel + noTls.map(missing -> "; and " + missing).orElse("");
        checks.add(policy.allowPlaintext()
                ? pass("encrypted-path", "PLAINTEXT across the WAN, allowed by --allow-plaintext: " + why)
                : fail("encrypted-path", "the migration would cross sites in plaintext: " + why,
                        "select the strongswan tunnel (livcloud.migration.tunnel = strongswan), give both hosts TLS"
                                + " migration material (migration-tls), or accept an unencrypted path with"
                                + " --allow-plaintext"));
        return new Route(from, to, sourceHost, destinationHost, wanPeer, wanData, Route.DataPath.PLAINTEXT, "", why);
    }

    /** Why the TLS path is not possible between these hosts, or empty when it is. */
    private static Optional<String> whyNoTls(Site from, Site to, Host sourceHost, Host destinationHost,
            String wanData) {
        List<String> missing = new ArrayList<>();
        for (Site site : List.of(from, to)) {
            Host host = site == from ? sourceHost : destinationHost;
            if (!host.migration().map(MigrationEndpoints::tls).orElse(false)) {
                missing.add("site " + site.name() + "'s host " + host.name() + " does not offer TLS migration");
            }
        }
        if (wanData.isEmpty()) {
            missing.add("site " + to.name() + "'s host " + destinationHost.name() + " has no migration address across"
                    + " the WAN to send a TLS stream to");
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing));
    }

    private static MigrationReport.Check tunnelReady(Site from, Site to) {
        return from.gateway().publicAddress().isBlank() || to.gateway().publicAddress().isBlank()
                ? fail("tunnel", "a gateway has no public address for the tunnel", "wait until both sites are"
                        + " created (livcloud site list)")
                : pass("tunnel", "gateways " + from.gateway().publicAddress() + " and "
                        + to.gateway().publicAddress() + " (brought up in CHANNEL)");
    }

    static MigrationReport.Check pass(String name, String detail) {
        return new MigrationReport.Check(name, true, detail, "");
    }

    static MigrationReport.Check fail(String name, String detail, String remedy) {
        return new MigrationReport.Check(name, false, detail, remedy);
    }
}
