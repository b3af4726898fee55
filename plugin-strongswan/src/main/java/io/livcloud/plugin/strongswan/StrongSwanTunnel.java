package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ChildSa;
import io.livcloud.plugin.strongswan.vici.IkeSa;
import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciException;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.tunnel.TrafficCounters;
import io.livcloud.spi.tunnel.Tunnel;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.spi.tunnel.TunnelStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * One tunnel as both gateways' charons see it. The initiating end's SAs give state and counters; the peer's charon is
 * asked too, because a peer that died is only noticed by the initiator at the next liveness check.
 */
final class StrongSwanTunnel implements Tunnel {

    private static final int CHECK_PINGS = 3;
    /**
     * 20 ms between the check's pings: the check runs in every migration's CHANNEL, and ping's default 1 s (or the
     * 200 ms unprivileged minimum) would be most of the control plane's time. The lab runs as root, which may go lower.
     */
    private static final String CHECK_INTERVAL_SECONDS = "0.02";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final TunnelSpec spec;
    private final ConnectionDefinition definition;
    private final CharonGateway local;
    private final CharonGateway remote;
    private final Clock clock;
    private final Runnable tearDown;

    StrongSwanTunnel(TunnelSpec spec, ConnectionDefinition definition, CharonGateway local, CharonGateway remote,
            Clock clock, Runnable tearDown) {
        this.spec = spec;
        this.definition = definition;
        this.local = local;
        this.remote = remote;
        this.clock = clock;
        this.tearDown = tearDown;
    }

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public TunnelSpec spec() {
        return spec;
    }

    @Override
    public TunnelStatus status() {
        String dataPath = definition.dataPath().label();
        Optional<String> remoteDown = notAnswering(remote);
        try (ViciClient client = local.connect()) {
            dataPath = DataPath.ofLoadedPlugins(client.stats().plugins()).label();
            List<IkeSa> sas = client.listSas(definition.ikeName());
            Optional<IkeSa> established = sas.stream().filter(IkeSa::established).findFirst();
            if (established.isEmpty()) {
                boolean connecting = sas.stream().anyMatch(sa -> sa.state().equals("CONNECTING"));
                return new TunnelStatus(connecting ? TunnelState.CONNECTING : TunnelState.DOWN, Optional.empty(),
                        TrafficCounters.ZERO, dataPath, connecting ? "negotiating with " + spec.remote().siteName()
                                : "no IKE SA between " + spec.local().siteName() + " and " + spec.remote().siteName()
                                        + " (not established, or torn down)");
            }
            IkeSa sa = established.get();
            List<ChildSa> installed = sa.children().stream().filter(ChildSa::installed).toList();
            if (installed.isEmpty()) {
                return new TunnelStatus(TunnelState.CONNECTING, Optional.empty(), TrafficCounters.ZERO, dataPath,
                        "IKE SA up, no installed CHILD SA yet");
            }
            if (remoteDown.isPresent()) {
                return new TunnelStatus(TunnelState.DOWN, Optional.empty(), counters(installed), dataPath,
                        remoteDown.get() + "; " + spec.local().siteName() + " still holds an SA until its liveness"
                                + " check notices");
            }
            // charon counts whole seconds: a sub-second instant would only pretend to a precision it lacks.
            Instant since = clock.instant().truncatedTo(ChronoUnit.SECONDS).minusSeconds(Math.max(0,
                    sa.establishedSeconds()));
            return new TunnelStatus(TunnelState.UP, Optional.of(since), counters(installed), dataPath,
                    describe(sa, installed.get(0)));
        } catch (ViciException e) {
            if (e.reason() == ViciException.Reason.CANNOT_CONNECT) {
                return new TunnelStatus(TunnelState.DOWN, Optional.empty(), TrafficCounters.ZERO, dataPath,
                        "the charon of site " + spec.local().siteName() + "'s gateway is not running, or not"
                                + " reachable (" + e.getMessage() + ")");
            }
            throw new ExtensionException(StrongSwanErrorCode.CONTROL_FAILED, "cannot read the state of tunnel "
                    + spec.id() + " from the charon of site " + local.siteName() + "'s gateway: " + e.getMessage(),
                    "check the gateway's charon log");
        }
    }

    private static Optional<String> notAnswering(CharonGateway gateway) {
        try (ViciClient client = gateway.connect()) {
            client.version();
            return Optional.empty();
        } catch (ViciException e) {
            return Optional.of("the charon of site " + gateway.siteName() + "'s gateway is not running, or not"
                    + " reachable (" + e.getMessage() + ")");
        }
    }

    private static TrafficCounters counters(List<ChildSa> children) {
        long bytesIn = 0;
        long bytesOut = 0;
        long packetsIn = 0;
        long packetsOut = 0;
        for (ChildSa child : children) {
            bytesIn += child.bytesIn();
            bytesOut += child.bytesOut();
            packetsIn += child.packetsIn();
            packetsOut += child.packetsOut();
        }
        return new TrafficCounters(bytesIn, bytesOut, packetsIn, packetsOut);
    }

    private static String describe(IkeSa sa, ChildSa child) {
        return "IKEv2 " + sa.encryption() + "/" + sa.keyExchange() + ", " + child.protocol() + " " + child.encryption()
                + (child.udpEncapsulated() ? " in UDP" : "") + ", " + String.join(",", child.localTrafficSelectors())
                + " <-> " + String.join(",", child.remoteTrafficSelectors());
    }

    /**
     * Sends pings at the local gateway, through its host access, from its inside address to the remote's, through the
     * tunnel, and sees them come back and the SA's counters grow. Without an inside address at both ends the status
     * says traffic was not verified.
     */
    @Override
    public TunnelStatus check() {
        TunnelStatus before = status();
        if (before.state() != TunnelState.UP) {
            return before;
        }
        if (spec.local().insideAddress().isEmpty() || spec.remote().insideAddress().isEmpty()) {
            return new TunnelStatus(before.state(), before.establishedSince(), before.traffic(), before.dataPath(),
                    before.detail() + "; traffic not verified: a gateway has no address inside its subnet to send"
                            + " from or to");
        }
        boolean answered;
        String unanswered;
        try {
            CommandResult ping = local.host().run(HostCommand.of(CHECK_TIMEOUT, "ping", "-n", "-q", "-c",
                    Integer.toString(CHECK_PINGS), "-i", CHECK_INTERVAL_SECONDS, "-W", "2", "-I",
                    spec.local().insideAddress(), spec.remote().insideAddress()));
            answered = ping.succeeded();
            unanswered = ping.timedOut() ? "(killed after " + CHECK_TIMEOUT.toSeconds() + " s)"
                    : lastLine(ping.output());
        } catch (ExtensionException e) {
            // The gateway unreachable, or no ping there: the traffic is not verified, as any unanswered check.
            answered = false;
            unanswered = e.getMessage();
        }
        TunnelStatus after = status();
        boolean grew = after.traffic().packetsOut() > before.traffic().packetsOut()
                && after.traffic().packetsIn() > before.traffic().packetsIn();
        if (answered && grew && after.state() == TunnelState.UP) {
            return new TunnelStatus(TunnelState.UP, after.establishedSince(), after.traffic(), after.dataPath(),
                    after.detail() + "; traffic check: " + spec.local().insideAddress() + " -> "
                            + spec.remote().insideAddress() + " answered through the tunnel");
        }
        return new TunnelStatus(TunnelState.FAILED, after.establishedSince(), after.traffic(), after.dataPath(),
                "the SAs are up but traffic did not cross: ping " + spec.remote().insideAddress() + " from "
                        + spec.local().insideAddress() + " " + (answered ? "answered outside the tunnel"
                                : "got no answer (" + unanswered + ")"));
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    @Override
    public void tearDown() {
        // The stretches first: once the SAs are gone, a VXLAN device left behind would send into nothing.
        stretches().forEach(io.livcloud.spi.tunnel.Stretch::remove);
        tearDown.run();
    }

    @Override
    public io.livcloud.spi.tunnel.Stretch stretch(io.livcloud.spi.tunnel.StretchSpec stretchSpec) {
        return SegmentStretch.between(stretchSpec, local, remote).join();
    }

    @Override
    public List<io.livcloud.spi.tunnel.Stretch> stretches() {
        return List.copyOf(SegmentStretch.found(local, remote));
    }
}
