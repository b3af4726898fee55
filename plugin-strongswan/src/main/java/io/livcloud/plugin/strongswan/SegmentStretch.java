package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.VmSegment;
import io.livcloud.spi.tunnel.Stretch;
import io.livcloud.spi.tunnel.StretchSpec;
import io.livcloud.spi.tunnel.StretchStatus;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM segment stretched over a strongSwan tunnel with VXLAN: at each gateway a VXLAN device whose outer packets go
 * from the gateway's inside address to the peer's, which the tunnel's traffic selectors cover, so every frame between
 * the two bridges crosses the tunnel encrypted. Learning bridges and VXLAN's own forwarding table follow a VM's MAC
 * as its frames arrive; the destination's announcement after a migration moves them at once.
 *
 * <p>The devices are made and read with {@code ip} and {@code bridge} at each gateway through its host access; the
 * gateways' kernels hold the state (devices carry an alias naming the segment), so a restarted orchestrator finds
 * stretches again.
 */
final class SegmentStretch implements Stretch {

    /** The IANA VXLAN port. */
    static final int VXLAN_PORT = 4789;
    private static final String DEVICE_PREFIX = "lcvx";
    private static final String ALIAS_PREFIX = "livcloud-stretch ";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** The exit code a shell gives a program it cannot run; here, one the host access could not run. */
    private static final int NOT_STARTED = 127;
    private static final Pattern VXLAN_ID = Pattern.compile("vxlan id (\\d+)");
    private static final Pattern MTU = Pattern.compile(" mtu (\\d+)");

    private final StretchSpec spec;
    private final End local;
    private final End remote;

    /** One gateway: how it is reached, its address inside the tunnel, the segment's bridge. */
    record End(String siteName, HostAccess host, String insideAddress, String bridge) {
    }

    private SegmentStretch(StretchSpec spec, End local, End remote) {
        this.spec = spec;
        this.local = local;
        this.remote = remote;
    }

    /** The ends of a stretch between these gateways. @throws ExtensionException if an end cannot take one */
    static SegmentStretch between(StretchSpec spec, CharonGateway local, CharonGateway remote) {
        return new SegmentStretch(spec, end(local, spec), end(remote, spec));
    }

    private static End end(CharonGateway gateway, StretchSpec spec) {
        TunnelEndpoint endpoint = gateway.end();
        String bridge = endpoint.segment().map(VmSegment::bridge).orElse("");
        String segment = endpoint.segment().map(VmSegment::name).orElse("");
        if (bridge.isBlank() || !segment.equals(spec.segment())) {
            throw new ExtensionException(StrongSwanErrorCode.STRETCH_FAILED, "site " + endpoint.siteName()
                    + "'s gateway has no bridge of segment " + spec.segment() + (segment.isBlank() ? ""
                            : " (its segment is " + segment + ")"), "give both sites the same VM segment");
        }
        if (endpoint.insideAddress().isBlank()) {
            throw new ExtensionException(StrongSwanErrorCode.STRETCH_FAILED, "site " + endpoint.siteName()
                    + "'s gateway has no address inside its subnet for the stretch's packets to come from",
                    "give the gateway an address inside the site's subnet");
        }
        HostAccess host;
        try {
            host = gateway.host();
        } catch (ExtensionException e) {
            throw new ExtensionException(StrongSwanErrorCode.STRETCH_FAILED, "cannot stretch segment "
                    + spec.segment() + " to site " + endpoint.siteName() + ": LivCloud cannot reach its gateway ("
                    + e.getMessage() + ")", e.remedy(), e);
        }
        return new End(endpoint.siteName(), host, endpoint.insideAddress(), bridge);
    }

    /** The device of this segment at every end. */
    String device() {
        return DEVICE_PREFIX + spec.networkId();
    }

    /** Creates (or finds, or repairs) the devices at both ends; a failure removes what was made. */
    SegmentStretch join() {
        try {
            join(local, remote);
            join(remote, local);
        } catch (RuntimeException e) {
            remove();
            throw e;
        }
        return this;
    }

    private void join(End end, End peer) {
        if (!run(end, "link", "show", end.bridge()).succeeded()) {
            throw new ExtensionException(StrongSwanErrorCode.STRETCH_FAILED, "site " + end.siteName()
                    + " has no bridge " + end.bridge() + " for segment " + spec.segment(),
                    "bring the site up again so that its provider makes the bridge");
        }
        CommandResult shown = run(end, "-d", "link", "show", device());
        if (shown.succeeded() && !(shown.stdout().contains("vxlan id " + spec.networkId() + " remote "
                + peer.insideAddress() + " local " + end.insideAddress())
                && shown.stdout().contains("master " + end.bridge()))) {
            must(end, "link", "del", device()); // made for another peer or segment: made again
            shown = new CommandResult(1, "", "");
        }
        if (!shown.succeeded()) {
            must(end, "link", "add", device(), "type", "vxlan", "id", Integer.toString(spec.networkId()),
                    "local", end.insideAddress(), "remote", peer.insideAddress(), "dstport",
                    Integer.toString(VXLAN_PORT));
        }
        must(end, "link", "set", device(), "alias", ALIAS_PREFIX + spec.segment());
        must(end, "link", "set", device(), "mtu", Integer.toString(spec.mtu()), "master", end.bridge(), "up");
    }

    /** The stretches found at the local end: devices with this plugin's alias. */
    static List<SegmentStretch> found(CharonGateway local, CharonGateway remote) {
        HostAccess host;
        try {
            host = local.host();
        } catch (ExtensionException e) {
            return List.of(); // a gateway LivCloud cannot reach has no stretch it could show or remove
        }
        CommandResult links = run(host, List.of("ip", "-d", "-o", "link", "show", "type", "vxlan"));
        List<SegmentStretch> found = new ArrayList<>();
        if (!links.succeeded()) {
            return found;
        }
        for (String line : links.stdout().split("\n")) {
            int alias = line.indexOf("alias " + ALIAS_PREFIX);
            Matcher id = VXLAN_ID.matcher(line);
            String remoteAddress = remote.end().insideAddress();
            if (alias < 0 || !id.find() || remoteAddress.isBlank() || !line.contains("remote " + remoteAddress + " ")) {
                continue;
            }
            String segment = line.substring(alias + ("alias " + ALIAS_PREFIX).length()).split("\\s")[0];
            Matcher mtu = MTU.matcher(line);
            StretchSpec spec = new StretchSpec(segment, Integer.parseInt(id.group(1)),
                    mtu.find() ? Integer.parseInt(mtu.group(1)) : 1350);
            try {
                found.add(between(spec, local, remote));
            } catch (ExtensionException e) {
                // An end that no longer describes the segment: not this tunnel's stretch.
            }
        }
        return found;
    }

    @Override
    public StretchSpec spec() {
        return spec;
    }

    @Override
    public StretchStatus status() {
        List<String> missing = new ArrayList<>();
        for (End end : List.of(local, remote)) {
            CommandResult shown = run(end, "-d", "link", "show", device());
            if (!shown.succeeded()) {
                missing.add("no " + device() + " at " + end.siteName());
            } else if (!shown.stdout().contains("master " + end.bridge()) || !shown.stdout().contains(",UP")) {
                missing.add(device() + " at " + end.siteName() + " is not up on " + end.bridge());
            }
        }
        String joins = "vxlan " + spec.networkId() + " " + local.insideAddress() + " <-> " + remote.insideAddress()
                + " through the tunnel, bridges " + local.siteName() + "/" + local.bridge() + " and "
                + remote.siteName() + "/" + remote.bridge() + ", mtu " + spec.mtu();
        return missing.isEmpty() ? new StretchStatus(true, "segment " + spec.segment() + ": " + joins)
                : new StretchStatus(false, "segment " + spec.segment() + " not joined: " + String.join("; ", missing));
    }

    @Override
    public Optional<String> siteOf(String mac) {
        String wanted = mac.toLowerCase(Locale.ROOT);
        for (End end : List.of(local, remote)) {
            CommandResult table = run(end.host(), List.of("bridge", "fdb", "show", "br", end.bridge()));
            for (String line : table.stdout().split("\n")) {
                String[] words = line.trim().split("\\s+");
                // "<mac> dev <port> master <bridge>": learned on a VM's port, not on the stretch's, not permanent.
                if (words.length >= 3 && words[0].equals(wanted) && words[1].equals("dev")
                        && !words[2].equals(device()) && !line.contains("permanent")) {
                    return Optional.of(end.siteName());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void remove() {
        for (End end : List.of(local, remote)) {
            if (run(end, "link", "show", device()).succeeded()) {
                run(end, "link", "del", device());
            }
        }
    }

    /** Runs {@code ip} with these arguments at the end's gateway. */
    private static CommandResult run(End end, String... arguments) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(arguments));
        return run(end.host(), command);
    }

    /**
     * Runs a command at a gateway; one that cannot run (no ip or bridge there, the gateway unreachable) reads as one
     * that failed, with why: to a stretch, a gateway without the program is a gateway without the device.
     */
    private static CommandResult run(HostAccess host, List<String> command) {
        try {
            return host.run(HostCommand.of(COMMAND_TIMEOUT, command));
        } catch (ExtensionException e) {
            return new CommandResult(NOT_STARTED, "", e.getMessage());
        }
    }

    private void must(End end, String... arguments) {
        CommandResult result = run(end, arguments);
        if (!result.succeeded()) {
            throw new ExtensionException(StrongSwanErrorCode.STRETCH_FAILED, "cannot stretch segment "
                    + spec.segment() + " at site " + end.siteName() + ": ip " + String.join(" ", arguments)
                    + " failed: " + result.output() + (result.timedOut() ? " (killed after "
                            + COMMAND_TIMEOUT.toSeconds() + " s)" : ""), "check the gateway's devices (ip -d link"
                    + " show, at " + end.host().target() + ")");
        }
    }
}
