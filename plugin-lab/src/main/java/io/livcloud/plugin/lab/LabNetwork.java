package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.NetworkLink;
import io.livcloud.spi.ExtensionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's network, all of it in network namespaces: the WAN bridge, each site's namespace with its veth link to the
 * WAN (rate-limited when the lab has a WAN rate), its VM bridge and VM segment bridge, and the lab's user namespace;
 * in ssh mode also this machine's leg on the WAN, the one thing the lab makes in this network namespace.
 * Each {@code ensure} step finds what an earlier or interrupted run made and completes it, so provisioning again is
 * safe.
 *
 * <p>What this lab makes carries its directory as the interface alias ({@code livcloud-lab <directory>}) on the WAN
 * bridge and on each namespace's WAN link; a namespace whose link names another directory is refused and never
 * removed.
 */
final class LabNetwork {

    private final LabConfig config;
    private final LabHost host;
    private final LabCommands commands;
    private final String owner;

    LabNetwork(LabConfig config, LabHost host, LabCommands commands) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.owner = "livcloud-lab " + config.directory();
    }

    // ---------------------------------------------------------------------------------------------------------- up

    /**
     * The WAN namespace with its bridge, the lab's user on it and, when {@code hostLeg}, this machine's leg on it.
     *
     * @throws ExtensionException {@link LabErrorCode#OWNED_ELSEWHERE} when the WAN is another lab's, or
     *         {@link LabErrorCode#COMMAND_FAILED}
     */
    void ensureWan(boolean hostLeg) {
        ensureWanBridge();
        if (hostLeg) {
            ensureHostLeg();
        }
    }

    private void ensureWanBridge() {
        String wan = LabSite.WAN_NAMESPACE;
        if (!host.networkNamespaces().contains(wan)) {
            commands.must(List.of("ip", "netns", "add", wan));
            commands.must(ip(wan, "link", "set", "lo", "up"));
        }
        Optional<NetworkLink> bridge = link(wan, LabSite.WAN_BRIDGE);
        if (bridge.isEmpty()) {
            commands.must(ip(wan, "link", "add", LabSite.WAN_BRIDGE, "type", "bridge"));
            commands.must(ip(wan, "link", "set", LabSite.WAN_BRIDGE, "alias", owner));
            commands.must(ip(wan, "link", "set", LabSite.WAN_BRIDGE, "up"));
            ensureUser();
            return;
        }
        checkOwner(wan, bridge.get());
        if (!bridge.get().up()) {
            commands.must(ip(wan, "link", "set", LabSite.WAN_BRIDGE, "up"));
        }
        ensureUser();
    }

    /**
     * The site's namespace, its VM and segment bridges, and its link to the WAN (after {@link #ensureWan}).
     *
     * @throws ExtensionException {@link LabErrorCode#OWNED_ELSEWHERE} when the namespace is another lab's,
     *         {@link LabErrorCode#INVALID_SITE_SPEC} when it runs at another index's address, or
     *         {@link LabErrorCode#COMMAND_FAILED}
     */
    void ensureSite(LabSite site) {
        String namespace = site.namespace();
        if (!host.networkNamespaces().contains(namespace)) {
            commands.must(List.of("ip", "netns", "add", namespace));
            commands.must(ip(namespace, "link", "set", "lo", "up"));
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
                commands.must(ip(namespace, "addr", "add", site.publicCidr(), "dev", LabSite.SITE_LINK));
            }
            if (!siteLink.get().up()) {
                commands.must(ip(namespace, "link", "set", LabSite.SITE_LINK, "up"));
            }
            return;
        }
        String wan = LabSite.WAN_NAMESPACE;
        joinWan(namespace, site.wanLink(), site.publicCidr());
        config.wanRate().ifPresent(rate -> {
            commands.must(tbf(wan, site.wanLink(), rate));
            commands.must(tbf(namespace, LabSite.SITE_LINK, rate));
        });
    }

    /** The VM subnet's bridge with the gateway's inside address: where VMs attach and the tunnel's subnet ends. */
    private void ensureVmBridge(LabSite site) {
        String namespace = site.namespace();
        Optional<NetworkLink> bridge = link(namespace, LabSite.VM_BRIDGE);
        if (bridge.isEmpty()) {
            commands.must(ip(namespace, "link", "add", LabSite.VM_BRIDGE, "type", "bridge"));
        }
        if (bridge.map(existing -> !existing.addresses().contains(site.insideCidr())).orElse(true)) {
            commands.must(ip(namespace, "addr", "replace", site.insideCidr(), "dev", LabSite.VM_BRIDGE));
        }
        if (bridge.map(existing -> !existing.up()).orElse(true)) {
            commands.must(ip(namespace, "link", "set", LabSite.VM_BRIDGE, "up"));
        }
    }

    /** The VM segment's bridge, with the gateway's segment address; the tunnel extension may stretch it. */
    private void ensureSegmentBridge(LabSite site) {
        String namespace = site.namespace();
        Optional<NetworkLink> bridge = link(namespace, LabSite.SEGMENT_BRIDGE);
        if (bridge.isEmpty()) {
            // The gateway routes between the WAN (the lab's user) and the segment; set before the bridge exists, so
            // that a run interrupted in between sets it again.
            commands.must(List.of("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.ip_forward=1"));
            commands.must(ip(namespace, "link", "add", LabSite.SEGMENT_BRIDGE, "type", "bridge"));
            commands.must(ip(namespace, "link", "set", LabSite.SEGMENT_BRIDGE, "mtu",
                    Integer.toString(LabSite.SEGMENT_MTU)));
        }
        if (bridge.map(existing -> !existing.addresses().contains(site.segmentCidr())).orElse(true)) {
            commands.must(ip(namespace, "addr", "replace", site.segmentCidr(), "dev", LabSite.SEGMENT_BRIDGE));
        }
        if (bridge.map(existing -> !existing.up()).orElse(true)) {
            commands.must(ip(namespace, "link", "set", LabSite.SEGMENT_BRIDGE, "up"));
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
            commands.must(List.of("ip", "netns", "delete", user)); // an interrupted run's: made again below
        }
        commands.must(List.of("ip", "netns", "add", user));
        commands.must(ip(user, "link", "set", "lo", "up"));
        joinWan(user, LabSite.USER_WAN_LINK, LabSite.USER_ADDRESS + "/24");
        commands.must(ip(user, "route", "add", LabSite.SEGMENT_SUBNET, "via", "10.99.0." + (LabSite.FIRST_INDEX + 1)));
    }

    /**
     * This machine's leg on the WAN (ssh mode): a veth pair from this network namespace, {@link LabSite#HOST_LINK}
     * with {@link LabSite#HOST_ADDRESS}/24 and this lab's alias, to {@link LabSite#HOST_WAN_LINK} on the bridge.
     * LivCloud runs here and reaches the sites' sshds at their WAN addresses, as it reaches a cloud host's public
     * address; the address routes the WAN's /24 and nothing else. The only thing the lab makes in this namespace.
     */
    private void ensureHostLeg() {
        String wan = LabSite.WAN_NAMESPACE;
        Optional<NetworkLink> leg = link(LabHost.OWN_NAMESPACE, LabSite.HOST_LINK);
        if (leg.isPresent()) {
            if (!leg.get().alias().equals(owner)) {
                throw new ExtensionException(LabErrorCode.OWNED_ELSEWHERE, "this machine's interface "
                        + LabSite.HOST_LINK + " is not this lab's: it says '" + leg.get().alias() + "', this lab is '"
                        + owner + "'", "tear that lab's sites down with it, or remove the interface with ip link del "
                                + LabSite.HOST_LINK + " if nothing uses it");
            }
            if (link(wan, LabSite.HOST_WAN_LINK).isPresent()) {
                if (!leg.get().addresses().contains(LabSite.HOST_ADDRESS + "/24")) {
                    commands.must(List.of("ip", "addr", "add", LabSite.HOST_ADDRESS + "/24", "dev", LabSite.HOST_LINK));
                }
                if (!leg.get().up()) {
                    commands.must(List.of("ip", "link", "set", LabSite.HOST_LINK, "up"));
                }
                return;
            }
            commands.must(List.of("ip", "link", "del", LabSite.HOST_LINK)); // its other end is not on the WAN
        } else if (link(wan, LabSite.HOST_WAN_LINK).isPresent()) {
            commands.must(ip(wan, "link", "del", LabSite.HOST_WAN_LINK)); // half of an interrupted run's pair
        }
        commands.must(List.of("ip", "link", "add", LabSite.HOST_LINK, "type", "veth", "peer", "name",
                LabSite.HOST_WAN_LINK, "netns", wan));
        commands.must(ip(wan, "link", "set", LabSite.HOST_WAN_LINK, "master", LabSite.WAN_BRIDGE));
        commands.must(ip(wan, "link", "set", LabSite.HOST_WAN_LINK, "up"));
        commands.must(List.of("ip", "addr", "add", LabSite.HOST_ADDRESS + "/24", "dev", LabSite.HOST_LINK));
        commands.must(List.of("ip", "link", "set", LabSite.HOST_LINK, "alias", owner));
        commands.must(List.of("ip", "link", "set", LabSite.HOST_LINK, "up"));
    }

    /**
     * Joins a namespace to the WAN bridge: a veth pair, {@code wanLink} on the bridge and {@link LabSite#SITE_LINK}
     * inside with the address and this lab's alias. Created in the WAN namespace with its peer straight in the other:
     * nothing appears in the root namespace.
     */
    private void joinWan(String namespace, String wanLink, String cidr) {
        String wan = LabSite.WAN_NAMESPACE;
        if (link(wan, wanLink).isPresent()) {
            commands.must(ip(wan, "link", "del", wanLink)); // half of a pair from an interrupted run
        }
        commands.must(ip(wan, "link", "add", wanLink, "type", "veth", "peer", "name", LabSite.SITE_LINK, "netns",
                namespace));
        commands.must(ip(wan, "link", "set", wanLink, "master", LabSite.WAN_BRIDGE));
        commands.must(ip(wan, "link", "set", wanLink, "up"));
        commands.must(ip(namespace, "addr", "add", cidr, "dev", LabSite.SITE_LINK));
        commands.must(ip(namespace, "link", "set", LabSite.SITE_LINK, "alias", owner));
        commands.must(ip(namespace, "link", "set", LabSite.SITE_LINK, "up"));
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

    // ------------------------------------------------------------------------------------------------- ownership

    /**
     * Who made the site's namespace when it is not this lab: its WAN link's alias. Empty when the namespace is this
     * lab's, or has no WAN link yet (a run interrupted early), or does not exist.
     */
    Optional<String> otherOwner(LabSite site) {
        return link(site.namespace(), LabSite.SITE_LINK).map(NetworkLink::alias).filter(alias -> !alias.equals(owner));
    }

    // -------------------------------------------------------------------------------------------------------- down

    /**
     * Removes the site's WAN link and, when it existed as the teardown began, its namespace; then the WAN and the
     * lab's user when no other site is left on the WAN. Run after the site's processes are ended.
     */
    void removeSite(LabSite site, boolean namespaceExisted, TeardownSteps teardown) {
        String wan = LabSite.WAN_NAMESPACE;
        if (link(wan, site.wanLink()).isPresent()) {
            teardown.step("veth/" + site.wanLink(), () -> commands.run(ip(wan, "link", "del", site.wanLink())));
        }
        if (namespaceExisted) {
            String namespace = site.namespace();
            teardown.step("netns/" + namespace, () -> commands.run(List.of("ip", "netns", "delete", namespace)));
        }
        removeWanIfUnused(site, teardown);
    }

    private void removeWanIfUnused(LabSite site, TeardownSteps teardown) {
        String wan = LabSite.WAN_NAMESPACE;
        if (!host.networkNamespaces().contains(wan)) {
            removeHostLeg(teardown); // an interrupted run's, whose WAN someone removed
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
                teardown.step("netns/" + user, () -> commands.run(List.of("ip", "netns", "delete", user)));
            }
            removeHostLeg(teardown);
            teardown.step("netns/" + wan, () -> commands.run(List.of("ip", "netns", "delete", wan)));
        }
    }

    /** This machine's leg, when it is this lab's; removed with the WAN (its end there would take it along anyway). */
    private void removeHostLeg(TeardownSteps teardown) {
        if (link(LabHost.OWN_NAMESPACE, LabSite.HOST_LINK).filter(leg -> leg.alias().equals(owner)).isPresent()) {
            teardown.step("veth/" + LabSite.HOST_LINK, () -> commands.run(List.of("ip", "link", "del",
                    LabSite.HOST_LINK)));
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
}
