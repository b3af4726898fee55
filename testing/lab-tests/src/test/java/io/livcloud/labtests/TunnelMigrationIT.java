package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.LivCloud;
import io.livcloud.TunnelInfo;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.tunnel.TrafficCounters;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running guest moves from site a to site b and back through the strongSwan tunnel between the sites: the kvm
 * extension is given the destination's {@code tunnel-peer-uri} and {@code tunnel-migration-uri} (its gateway's inside
 * address, which only the tunnel reaches). Proof that the move really took the tunnel, not the WAN: the tunnel's SA
 * counters grew by at least what QEMU says it sent, and tcpdump on a's WAN link saw ESP and not one TCP packet.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TunnelMigrationIT {

    private static final String VM = "tunneled";
    /** The lab guest's workload keeps writing its working set, so the move has to send pages more than once. */
    private static final int DIRTY_RATE_MIBPS = 10;
    private static final int WORKING_SET_MIB = 64;
    /** QEMU's defaults on one stream: the ladder's first rung, and converges at this rate through the tunnel. */
    private static final MigrationPolicy SINGLE_STREAM = new MigrationPolicy(Duration.ofMillis(300), 0,
            EnumSet.noneOf(MigrationFeature.class), 1, "zstd", Duration.ofSeconds(60));
    /** The smallest packet count that could carry the bytes QEMU sent: one full 1500-byte frame each. */
    private static final int LARGEST_PAYLOAD_BYTES = 1500;

    @Test
    void aGuestMovesThroughTheTunnelAndBackAndOnlyEspCrossesTheWan() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "lctun");
        Path state = Files.createTempDirectory("livcloud-state");
        TwoSiteLab lab = TwoSiteLab.start(directory, state);
        String tunnelId = LivCloud.tunnelId("a", "b");
        List<Long> processes = new ArrayList<>();
        try {
            TunnelInfo tunnel = lab.livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of());
            assertThat(tunnel.status().state()).as(tunnel.status().detail()).isEqualTo(TunnelState.UP);
            System.out.println("tunnel " + tunnelId + ": " + tunnel.status().detail() + " ("
                    + tunnel.status().dataPath() + ")");

            lab.startGuest("a", VM, LabGuest.X86_64, DIRTY_RATE_MIBPS, WORKING_SET_MIB);
            // a's SA counts what a sends as out and what it receives as in.
            moveThroughTheTunnel(lab, directory, "a", "b", TrafficCounters::bytesOut);
            moveThroughTheTunnel(lab, directory, "b", "a", TrafficCounters::bytesIn);

            processes.addAll(TwoSiteLab.siteProcesses());
        } finally {
            lab.closeWithTunnel(tunnelId);
        }
        assertThat(lab.livCloud.tunnels(false)).isEmpty();
        TwoSiteLab.assertGone(processes);
    }

    private static void moveThroughTheTunnel(TwoSiteLab lab, Path directory, String from, String to,
            ToLongFunction<TrafficCounters> towardsDestination) throws Exception {
        long before = towardsDestination.applyAsLong(lab.tunnelTraffic());
        MigrationOutcome outcome;
        WanCapture wan = WanCapture.start("lc-a", "wan0", directory);
        try (wan) {
            outcome = GuestMoves.moveAndCheck(lab, VM, from, to, SINGLE_STREAM, TwoSiteLab.Route.TUNNEL);
        }
        long carried = towardsDestination.applyAsLong(lab.tunnelTraffic()) - before;
        List<String> tcp = wan.packets("tcp");
        List<String> esp = wan.packets("udp port 4500");
        System.out.printf("  %s->%s: QEMU sent %d MiB; the tunnel carried %d MiB towards %s; on a's WAN link %d"
                + " ESP-in-UDP packets, %d TCP%n", from, to, outcome.bytesTransferred() >> 20, carried >> 20, to,
                esp.size(), tcp.size());

        assertThat(outcome.bytesTransferred()).as("QEMU's count of what it sent")
                .isGreaterThanOrEqualTo((long) WORKING_SET_MIB << 20);
        assertThat(carried).as("bytes the tunnel carried towards %s during the move", to)
                .isGreaterThanOrEqualTo(outcome.bytesTransferred());
        assertThat(tcp).as("plain TCP on the WAN: libvirt's or QEMU's stream outside the tunnel").isEmpty();
        assertThat((long) esp.size()).as("ESP packets on the WAN")
                .isGreaterThanOrEqualTo(outcome.bytesTransferred() / LARGEST_PAYLOAD_BYTES);
    }
}
