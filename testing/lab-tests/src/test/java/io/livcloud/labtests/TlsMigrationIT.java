package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.LivCloud;
import io.livcloud.TunnelInfo;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.engine.MigrationPlan;
import io.livcloud.engine.MigrationReport;
import io.livcloud.engine.MigrationResult;
import io.livcloud.lab.guest.HeartbeatLog;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.provider.Host;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TLS path in the lab. Both sites' libvirtds have the lab's migration TLS material and say so
 * ({@code migration-tls}), so the engine's default policy (encrypted-path = auto) moves a running guest a -> b -> a
 * under QEMU's TLS on two multifd channels straight across the WAN, with libvirt's control connection in the tunnel.
 * The guest's own heartbeat goes on at each destination.
 *
 * <p>Proof of the path, from a's WAN link: a TLS ClientHello opens each of the three migration connections (the main
 * one and two multifd channels), QEMU's stream magic {@code QEVM} never appears on the migration port, the migration
 * port carries at least the bytes QEMU sent, and the tunnel carries a small fraction of them (the control connection).
 * A plaintext move on the same link is the control that the QEVM filter finds an unencrypted stream.
 *
 * <p>Then the refusal: with a's material gone, the lab no longer advertises TLS for a (the engine's plan falls back
 * to the tunnel and says why), and the kvm extension asked for TLS anyway refuses with
 * {@code KVM_MIGRATION_TLS_UNAVAILABLE} while the guest keeps beating at b.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class TlsMigrationIT {

    private static final String VM = "sealed";
    private static final int DIRTY_RATE_MIBPS = 10;
    private static final int WORKING_SET_MIB = 64;
    private static final String MIGRATION_PORT = "tcp dst port 49152";
    /** Where a packet's TCP payload starts. */
    private static final String PAYLOAD = "((tcp[12:1] & 0xf0) >> 2)";
    /** A TLS handshake record (0x16, version 3.x) whose first message is a ClientHello (type 1). */
    private static final String CLIENT_HELLO = MIGRATION_PORT + " and tcp[" + PAYLOAD + ":2] = 0x1603 and tcp["
            + PAYLOAD + " + 5:1] = 0x01";
    /** QEMU_VM_FILE_MAGIC, the first four bytes of an unencrypted migration stream. */
    private static final String QEMU_MAGIC = MIGRATION_PORT + " and tcp[" + PAYLOAD + ":4] = 0x5145564d";
    /** The main connection and the default policy's two multifd channels. */
    private static final int CONNECTIONS = 1 + EnginePolicy.defaults().multifdChannels();

    @Test
    void theEngineMovesAGuestThereAndBackUnderTlsAcrossTheWanAndRefusesTlsWithoutMaterial() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "lctls");
        Path state = Files.createTempDirectory("livcloud-state");
        TwoSiteLab lab = TwoSiteLab.start(directory, state);
        String tunnelId = LivCloud.tunnelId("a", "b");
        List<Long> processes = new ArrayList<>();
        try {
            assertThat(TwoSiteLab.host(lab.a).migration().orElseThrow().tls()).isTrue();
            assertThat(TwoSiteLab.host(lab.b).migration().orElseThrow().tls()).isTrue();
            // Up before the first move, so that its counters can be read before and after.
            TunnelInfo tunnel = lab.livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of());
            assertThat(tunnel.status().state()).as(tunnel.status().detail()).isEqualTo(TunnelState.UP);
            lab.startGuest("a", VM, LabGuest.X86_64, DIRTY_RATE_MIBPS, WORKING_SET_MIB);

            moveUnderTls(lab, directory, "a", "b", TrafficCounters::bytesOut);
            moveUnderTls(lab, directory, "b", "a", TrafficCounters::bytesIn);
            theQemuMagicFilterSeesAPlaintextStream(lab, directory);
            withoutMaterialTlsIsNotOfferedAndTheKvmExtensionRefusesIt(lab);

            processes.addAll(TwoSiteLab.siteProcesses());
        } finally {
            lab.closeWithTunnel(tunnelId);
        }
        TwoSiteLab.assertGone(processes);
    }

    private static void moveUnderTls(TwoSiteLab lab, Path directory, String from, String to,
            ToLongFunction<TrafficCounters> towardsDestination) throws Exception {
        long carriedBefore = towardsDestination.applyAsLong(lab.tunnelTraffic());
        WanCapture wan = WanCapture.start("lc-a", "wan0", directory);
        MigrationResult result;
        try (wan) {
            result = GuestMoves.moveAndCheck(lab, VM, from, to, () -> {
                MigrationResult moved = lab.livCloud.migrations().migrate(VM, Optional.of(from), to,
                        EnginePolicy.defaults(), event -> { });
                System.out.println("engine " + from + "->" + to + ": " + moved.finalPhase() + " " + moved.detail());
                assertThat(moved.succeeded()).as(moved.detail()).isTrue();
                return moved;
            }, moved -> moved.downtime().orElseThrow());
        }
        Map<String, String> context = lab.livCloud.journal().find(result.migrationId()).orElseThrow().context();
        String destinationAddress = to.equals("a") ? "10.99.0.2" : "10.99.0.3";
        assertThat(context).containsEntry("path", "tls")
                .containsEntry("data-uri", "tcp://" + destinationAddress + ":49152")
                .containsEntry("peer-uri", TwoSiteLab.host(lab.site(to)).migration().orElseThrow().tunnelPeerUri());
        assertThat(lab.livCloud.journal().checks(result.migrationId()))
                .filteredOn(check -> check.name().equals("encrypted-path")).singleElement()
                .extracting(MigrationReport.Check::detail).asString()
                .startsWith("under the hypervisor's TLS across the WAN").contains("both hosts offer it");

        long sent = Long.parseLong(context.get("bytes"));
        long carried = towardsDestination.applyAsLong(lab.tunnelTraffic()) - carriedBefore;
        String towards = "dst host " + destinationAddress + " and ";
        List<String> hellos = wan.packets(towards + CLIENT_HELLO);
        List<String> magic = wan.packets(towards + QEMU_MAGIC);
        long onMigrationPort = wan.payloadBytes(towards + MIGRATION_PORT);
        System.out.printf("  %s->%s under TLS: QEMU sent %d MiB; the migration port on the WAN carried %d MiB, the"
                + " tunnel %d KiB (control connection); %d ClientHellos, %d QEVM%n", from, to, sent >> 20,
                onMigrationPort >> 20, carried >> 10, hellos.size(), magic.size());

        assertThat(sent).as("QEMU's count of what it sent").isGreaterThanOrEqualTo((long) WORKING_SET_MIB << 20);
        assertThat(hellos).as("a TLS ClientHello opening each migration connection").hasSize(CONNECTIONS);
        assertThat(magic).as("QEMU's plaintext stream magic on the WAN").isEmpty();
        assertThat(onMigrationPort).as("bytes on the migration port across the WAN").isGreaterThanOrEqualTo(sent);
        assertThat(carried).as("the tunnel carried the control connection").isPositive();
        assertThat(carried).as("but not the memory").isLessThan(sent / 20);
    }

    /** The control: the same filters on an unencrypted move find QEMU's magic and no ClientHello. */
    private static void theQemuMagicFilterSeesAPlaintextStream(TwoSiteLab lab, Path directory) throws Exception {
        MigrationPolicy plaintext = new MigrationPolicy(Duration.ofMillis(300), 0,
                EnumSet.noneOf(MigrationFeature.class), 1, "zstd", Duration.ofSeconds(60));
        WanCapture wan = WanCapture.start("lc-a", "wan0", directory);
        try (wan) {
            GuestMoves.moveAndCheck(lab, VM, "a", "b", plaintext, TwoSiteLab.Route.WAN);
        }
        assertThat(wan.packets(QEMU_MAGIC)).as("QEVM on the WAN during a plaintext move").hasSize(1);
        assertThat(wan.packets(CLIENT_HELLO)).isEmpty();
    }

    /** The guest is at b. Without a's material, nothing may move it to a under TLS, and it keeps running at b. */
    private static void withoutMaterialTlsIsNotOfferedAndTheKvmExtensionRefusesIt(TwoSiteLab lab) throws Exception {
        Path material = lab.directory.resolve("sites/a/migration-tls");
        Path away = lab.directory.resolve("sites/a/migration-tls.away");
        Files.move(material, away);
        try {
            MigrationPlan plan = lab.livCloud.migrations().plan(VM, Optional.of("b"), "a", EnginePolicy.defaults());
            assertThat(plan.path()).startsWith("through tunnel ");
            assertThat(plan.checks()).filteredOn(check -> check.name().equals("encrypted-path")).singleElement()
                    .extracting(MigrationReport.Check::detail).asString()
                    .contains("site a's host lc-a does not offer TLS migration");

            MigrationPolicy tls = new MigrationPolicy(Duration.ofMillis(300), 0,
                    EnumSet.of(MigrationFeature.TLS, MigrationFeature.MULTIFD), 2, "zstd", Duration.ofSeconds(60));
            HeartbeatLog atB = HeartbeatLog.of(lab.serialLog("b", VM));
            long before = atB.lastSequence();
            assertThatThrownBy(() -> lab.migrate(VM, "b", "a", tls, TwoSiteLab.Route.WAN))
                    .isInstanceOfSatisfying(ExtensionException.class, refusal -> {
                        System.out.println("  refused: " + refusal.getMessage());
                        assertThat(refusal.errorCode().code()).isEqualTo("KVM_MIGRATION_TLS_UNAVAILABLE");
                        assertThat(refusal.getMessage()).contains("lacks its TLS material", material.toString());
                    });
            atB.waitForSequence(before + 10, Duration.ofSeconds(30));
            assertThat(atB.hasReset()).isFalse();
            assertThat(lab.state("b", VM)).isEqualTo("running");
            assertThat(lab.state("a", VM)).as("no copy left at a").isIn("absent", "shut off");
        } finally {
            Files.move(away, material);
        }
    }
}
