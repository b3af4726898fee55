package io.livcloud.labtests;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.lab.guest.HeartbeatLog;
import io.livcloud.spi.hypervisor.MigrationOutcome;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A live migration judged from the guest's own heartbeat on the destination (a guest QEMU calls running may be dead),
 * never from the hypervisor's word alone.
 */
final class GuestMoves {

    /** The heartbeat period of the lab guest's workload. */
    static final long HEARTBEAT_MILLIS = 100;
    /**
     * What the host adds to QEMU's downtime before it sees the next heartbeat: the destination's resume, the serial
     * write, the file poll. LAB-FACTS measured 100-250 ms more on the client side.
     */
    private static final long OBSERVATION_SLACK_MILLIS = 400;

    private GuestMoves() {
    }

    /**
     * Moves a running guest and checks, from its heartbeat: it went on at the destination without restarting, with no
     * silence longer than the hypervisor's downtime plus one heartbeat (and the host's observation slack), and the
     * source no longer runs it.
     */
    static MigrationOutcome moveAndCheck(TwoSiteLab lab, String vm, String from, String to, MigrationPolicy policy,
            TwoSiteLab.Route route) throws Exception {
        MigrationOutcome moved = moveAndCheck(lab, vm, from, to, () -> {
            MigrationOutcome outcome = lab.migrate(vm, from, to, policy, route);
            report(vm + " " + from + "->" + to + " (" + route + ")", outcome);
            assertThat(outcome.phase()).as(outcome.detail()).isEqualTo(MigrationPhase.COMPLETED);
            return outcome;
        }, outcome -> outcome.downtime().orElseThrow());
        assertThat(lab.state(from, vm)).as("%s still on %s", vm, from).isEqualTo("absent");
        return moved;
    }

    /**
     * The same checks around any way of moving the guest (the kvm extension, the engine): {@code move} must have
     * completed the migration when it returns, and {@code downtime} says the pause the hypervisor reported.
     */
    static <T> T moveAndCheck(TwoSiteLab lab, String vm, String from, String to, Callable<T> move,
            Function<T, Duration> downtime) throws Exception {
        HeartbeatLog source = HeartbeatLog.of(lab.serialLog(from, vm));
        source.waitForSequence(source.lastSequence() + 10, Duration.ofSeconds(60));
        T moved;
        try (HeartbeatClock clock = new HeartbeatClock(List.of(lab.serialLog(from, vm), lab.serialLog(to, vm)))) {
            moved = move.call();
            long lastOnSource = source.lastSequence();
            HeartbeatLog destination = HeartbeatLog.of(lab.serialLog(to, vm));
            destination.waitForSequence(lastOnSource + 10, Duration.ofSeconds(30));
            Thread.sleep(3 * HEARTBEAT_MILLIS);

            assertThat(destination.hasReset()).as("the guest restarted on %s", to).isFalse();
            List<Long> sequences = clock.sequences();
            assertThat(sequences.get(sequences.size() - 1) - sequences.get(0) + 1)
                    .as("heartbeats lost between %s and %s", sequences.get(0), sequences.get(sequences.size() - 1))
                    .isLessThanOrEqualTo(sequences.size() + 2L);
            long pause = downtime.apply(moved).toMillis();
            System.out.printf("  %s: longest silence seen by the host %d ms (QEMU downtime %d ms)%n", vm,
                    clock.maxGapMillis(), pause);
            assertThat(clock.maxGapMillis()).isLessThanOrEqualTo(pause + HEARTBEAT_MILLIS + OBSERVATION_SLACK_MILLIS);
        }
        assertThat(lab.state(from, vm)).as("%s on %s after the move", vm, from).isIn("absent", "shut off");
        assertThat(lab.state(to, vm)).isEqualTo("running");
        return moved;
    }

    static void report(String what, MigrationOutcome outcome) {
        System.out.printf("%s: %s in %d ms, downtime %s, %d MiB sent%s%n", what, outcome.phase(),
                outcome.totalTime().toMillis(), outcome.downtime().map(d -> d.toMillis() + " ms").orElse("-"),
                outcome.bytesTransferred() >> 20, outcome.detail().isEmpty() ? "" : " (" + outcome.detail() + ")");
    }
}
