package io.livcloud.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.engine.ConvergenceLadder.Decision;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationPhase;
import io.livcloud.spi.hypervisor.MigrationProgress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConvergenceLadderTest {

    private static final long MIB = 1L << 20;

    @Test
    void aConvergingTransferIsLeftAlone() {
        ConvergenceLadder ladder = new ConvergenceLadder(EnginePolicy.defaults());

        assertThat(ladder.attempt().features()).containsExactly(MigrationFeature.MULTIFD);
        assertThat(ladder.attempt().channels()).isEqualTo(2);
        for (long pass = 1; pass <= 6; pass++) {
            assertThat(ladder.observe(pass(pass, 256 - pass * 30))).isInstanceOf(Decision.Continue.class);
        }
    }

    @Test
    void aStallRaisesTheDowntimeUpToItsMaximumThenRestartsWithXbzrleThenAutoConverge() {
        ConvergenceLadder ladder = new ConvergenceLadder(EnginePolicy.defaults());
        long pass = 1;
        ladder.observe(pass(pass++, 100));

        List<Duration> raised = new java.util.ArrayList<>();
        Decision decision;
        do {
            decision = stall(ladder, pass);
            pass += 3;
            if (decision instanceof Decision.RaiseDowntime raise) {
                raised.add(raise.limit());
                assertThat(raise.reason()).contains("3 passes without less memory left (100 MiB at best");
            }
        } while (decision instanceof Decision.RaiseDowntime);

        assertThat(raised).containsExactly(Duration.ofMillis(600), Duration.ofMillis(1200), Duration.ofSeconds(2));
        Decision.Restart xbzrle = (Decision.Restart) decision;
        assertThat(xbzrle.next().features()).containsExactly(MigrationFeature.XBZRLE);
        assertThat(xbzrle.next().channels()).as("multifd excludes xbzrle").isEqualTo(1);
        assertThat(xbzrle.next().downtimeLimit()).isEqualTo(Duration.ofSeconds(2));

        ladder.observe(pass(1, 100));
        Decision.Restart autoConverge = (Decision.Restart) stall(ladder, 2);
        assertThat(autoConverge.next().features())
                .containsExactlyInAnyOrder(MigrationFeature.XBZRLE, MigrationFeature.AUTO_CONVERGE);
        assertThat(autoConverge.next().number()).isEqualTo(3);

        ladder.observe(pass(1, 100));
        Decision last = stall(ladder, 2);
        assertThat(last).as("post-copy is not allowed by default").isInstanceOf(Decision.GiveUp.class);
        assertThat(((Decision.GiveUp) last).reason()).contains("every step of the ladder was taken");
    }

    @Test
    void postCopyWhenAllowedSwitchesAfterTheFirstPass() {
        EnginePolicy policy = new EnginePolicy(Duration.ofMillis(300), Duration.ofMillis(300), 0, 1,
                List.of(EnginePolicy.Rung.POST_COPY), 2, Duration.ofMinutes(2), Duration.ofMinutes(1), true, false,
                EnginePolicy.EncryptedPath.AUTO, Duration.ofHours(1), Duration.ofMillis(500), true,
                EnginePolicy.Reachability.NONE);
        ConvergenceLadder ladder = new ConvergenceLadder(policy);
        assertThat(ladder.attempt().features()).isEmpty();
        ladder.observe(pass(1, 100));
        ladder.observe(pass(2, 100));
        Decision.Restart postCopy = (Decision.Restart) ladder.observe(pass(3, 100));
        assertThat(postCopy.next().features()).containsExactly(MigrationFeature.POST_COPY);

        assertThat(ladder.observe(pass(1, 200))).isInstanceOf(Decision.Continue.class);
        assertThat(ladder.observe(pass(2, 150))).isInstanceOf(Decision.SwitchToPostCopy.class);
        assertThat(ladder.observe(pass(3, 150))).isInstanceOf(Decision.Continue.class);
    }

    @Test
    void readingsWithinOnePassDecideNothing() {
        ConvergenceLadder ladder = new ConvergenceLadder(EnginePolicy.defaults());
        ladder.observe(pass(1, 100));
        for (int reading = 0; reading < 10; reading++) {
            assertThat(ladder.observe(pass(1, 100 + reading))).isInstanceOf(Decision.Continue.class);
        }
    }

    @Test
    void theCompletionTimeoutScalesWithMemoryAboveAFloor() {
        EnginePolicy policy = EnginePolicy.defaults();
        assertThat(policy.completionTimeout(256 * MIB)).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.completionTimeout(4L << 30)).isEqualTo(Duration.ofMinutes(8));
    }

    private static Decision stall(ConvergenceLadder ladder, long firstPass) {
        Decision decision = null;
        for (long pass = firstPass; pass < firstPass + 3; pass++) {
            decision = ladder.observe(pass(pass, 120));
        }
        return decision;
    }

    private static MigrationProgress pass(long iteration, long remainingMiB) {
        return new MigrationProgress(MigrationPhase.PRE_COPY, Duration.ofSeconds(iteration), iteration, 256 * MIB,
                iteration * 50 * MIB, remainingMiB * MIB, 50 * MIB, 40 * MIB);
    }
}
