package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.TunnelInfo;
import io.livcloud.lab.guest.LabGuest;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Not a test: how fast each encrypted path moves an idle 256 MiB lab guest between the lab's sites, against plaintext
 * across the WAN and against the raw link (iperf3, one TCP stream, 3 s). Each path moves the guest
 * {@code livcloud.measure.repeats} (3) times, back and forth, through the kvm extension (the engine adds nothing to the
 * data path); each move is still checked from the guest's heartbeat. Throughput is what QEMU sent divided by the time
 * libvirt's job took (its {@code time_elapsed}: it includes starting the destination's QEMU, so short moves are
 * understated). The figures go to stdout and {@code target/encrypted-paths.md}.
 *
 * <p>Runs only with {@code mvn -B -ntp -pl testing/lab-tests -am verify -Pmeasure-encrypted-paths} (about 2 minutes); on this
 * 2-core machine the figures are indicative, and more so when anything else runs.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class EncryptedPathMeasurementIT {

    private static final String VM = "measured";
    private static final int REPEATS = Integer.getInteger("livcloud.measure.repeats", 3);
    private static final Duration WATCHDOG = Duration.ofSeconds(120);
    /** The kvm extension's outcome says how long libvirt's job took, e.g. "(QEMU's part 612 ms)" or "4.4 s". */
    private static final Pattern QEMU_TIME = Pattern.compile("QEMU's part ([0-9.]+) (ms|s)\\)");

    /** One way across. */
    private record Crossing(String name, TwoSiteLab.Route route, Set<MigrationFeature> features, int channels) {
        MigrationPolicy policy() {
            return new MigrationPolicy(Duration.ofMillis(300), 0, features, channels, "zstd", WATCHDOG);
        }
    }

    private static final List<Crossing> PATHS = List.of(
            new Crossing("plaintext, WAN", TwoSiteLab.Route.WAN, EnumSet.noneOf(MigrationFeature.class), 1),
            new Crossing("plaintext + multifd 2, WAN", TwoSiteLab.Route.WAN, EnumSet.of(MigrationFeature.MULTIFD), 2),
            new Crossing("TLS, WAN", TwoSiteLab.Route.WAN, EnumSet.of(MigrationFeature.TLS), 1),
            new Crossing("TLS + multifd 2, WAN", TwoSiteLab.Route.WAN,
                    EnumSet.of(MigrationFeature.TLS, MigrationFeature.MULTIFD), 2),
            new Crossing("IPsec tunnel (userspace ESP)", TwoSiteLab.Route.TUNNEL, EnumSet.noneOf(MigrationFeature.class),
                    1),
            new Crossing("IPsec tunnel + multifd 2", TwoSiteLab.Route.TUNNEL, EnumSet.of(MigrationFeature.MULTIFD), 2));

    @Test
    void measureEachEncryptedPath() throws Exception {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "lcpaths");
        Path state = Files.createTempDirectory("livcloud-state");
        List<String> table = new ArrayList<>();
        try (TwoSiteLab lab = TwoSiteLab.start(directory, state)) {
            TunnelInfo tunnel = lab.livCloud.tunnelUp("a", "b", TunnelAuthentication.PRE_SHARED_KEY, Map.of());
            assertThat(tunnel.status().state()).as(tunnel.status().detail()).isEqualTo(TunnelState.UP);
            try {
                double rawGbps = iperf3("lc-a", "lc-b", "10.99.0.2", "10.99.0.3");
                double tunnelGbps = iperf3("lc-a", "lc-b", "10.99.11.1", "10.99.12.1");
                lab.startGuest("a", VM, LabGuest.X86_64, 0, 64);
                String at = "a";
                // Warm-up, not counted: each libvirtd probes QEMU's capabilities on its first migration.
                at = move(lab, at, PATHS.get(0)).at();
                at = move(lab, at, PATHS.get(0)).at();

                table.add("raw link (iperf3, 1 TCP stream): %.1f Gbit/s; through the tunnel: %.2f Gbit/s (%.0f %%)"
                        .formatted(rawGbps, tunnelGbps, 100 * tunnelGbps / rawGbps));
                table.add("");
                table.add("| path | moves | MiB sent | QEMU time s (median) | Gbit/s (median) | of the raw link"
                        + " | downtime ms (median) |");
                table.add("| --- | --- | --- | --- | --- | --- | --- |");
                for (Crossing path : PATHS) {
                    List<Moved> moves = new ArrayList<>();
                    for (int i = 0; i < REPEATS; i++) {
                        Moved moved = move(lab, at, path);
                        moves.add(moved);
                        at = moved.at();
                    }
                    double gbps = median(moves.stream().map(Moved::gbps).toList());
                    table.add("| %s | %d | %d | %.2f | %.2f | %.0f %% | %.0f |".formatted(path.name(), moves.size(),
                            Math.round(median(moves.stream().map(m -> m.bytes() / 1048576.0).toList())),
                            median(moves.stream().map(Moved::seconds).toList()), gbps, 100 * gbps / rawGbps,
                            median(moves.stream().map(Moved::downtimeMillis).toList())));
                    System.out.println(table.get(table.size() - 1));
                }
            } finally {
                lab.livCloud.tunnelDown(tunnel.id());
            }
        }
        String markdown = String.join("\n", table) + "\n";
        System.out.println("\n" + markdown);
        Files.writeString(Path.of("target", "encrypted-paths.md"), markdown);
    }

    private record Moved(String at, long bytes, double seconds, double downtimeMillis) {
        double gbps() {
            return bytes * 8 / seconds / 1e9;
        }
    }

    private static Moved move(TwoSiteLab lab, String from, Crossing path) throws Exception {
        String to = from.equals("a") ? "b" : "a";
        MigrationOutcome outcome = GuestMoves.moveAndCheck(lab, VM, from, to, path.policy(), path.route());
        Matcher time = QEMU_TIME.matcher(outcome.detail());
        assertThat(time.find()).as("libvirt's job time in '%s'", outcome.detail()).isTrue();
        double seconds = Double.parseDouble(time.group(1)) / (time.group(2).equals("ms") ? 1000 : 1);
        System.out.printf("  %s %s->%s: %d MiB in %.2f s%n", path.name(), from, to, outcome.bytesTransferred() >> 20,
                seconds);
        return new Moved(to, outcome.bytesTransferred(), seconds, outcome.downtime().orElseThrow().toMillis());
    }

    /** One TCP stream for 3 s from one namespace's address to another's, in Gbit/s as the receiver counted. */
    private static double iperf3(String senderNamespace, String receiverNamespace, String from, String to)
            throws Exception {
        Process server = new ProcessBuilder("ip", "netns", "exec", receiverNamespace, "iperf3", "-s", "-1", "-B", to)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500); // iperf3 -s listens at once; half a second covers this machine on a busy day
            Process client = new ProcessBuilder("ip", "netns", "exec", senderNamespace, "iperf3", "-c", to, "-B", from,
                    "-t", "3", "-J").redirectErrorStream(true).start();
            String json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as("iperf3 %s -> %s: %s", from, to, json).isZero();
            return new ObjectMapper().readTree(json).path("end").path("sum_received").path("bits_per_second")
                    .asDouble() / 1e9;
        } finally {
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
