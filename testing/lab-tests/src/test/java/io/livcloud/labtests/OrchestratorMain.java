package io.livcloud.labtests;

import io.livcloud.LivCloud;
import io.livcloud.engine.EnginePolicy;
import io.livcloud.engine.MigrationResult;
import java.nio.file.Path;
import java.util.Optional;

/**
 * An orchestrator in a process of its own, for {@link EngineIT}'s kill tests: runs one migration with the engine and
 * prints each event; when the event named by its last argument arrives (a phase, or {@code progress}) it prints
 * {@code PAUSED} and waits inside the listener — after the engine journaled that phase, before it acts on it — so the
 * test can SIGKILL it exactly there.
 *
 * <p>Arguments: lab directory, state directory, plugins directory, VM, from, to, bandwidth in MiB/s, pause point.
 */
public final class OrchestratorMain {

    private OrchestratorMain() {
    }

    public static void main(String[] arguments) throws Exception {
        Path lab = Path.of(arguments[0]);
        Path state = Path.of(arguments[1]);
        Path plugins = Path.of(arguments[2]);
        String vm = arguments[3];
        String from = arguments[4];
        String to = arguments[5];
        long bandwidth = Long.parseLong(arguments[6]) << 20;
        String pauseAt = arguments[7];
        try (LivCloud livCloud = TwoSiteLab.builder(lab, state, plugins).build()) {
            // The tunnel path these kill-and-resume tests were written for; the lab's sites also offer TLS.
            EnginePolicy policy = EnginePolicy.defaults().withAllowPlaintext(true).withBandwidth(bandwidth)
                    .withEncryptedPath(EnginePolicy.EncryptedPath.TUNNEL);
            MigrationResult result = livCloud.migrations().migrate(vm, Optional.of(from), to, policy, event -> {
                System.out.println("event " + event.type() + " " + event.phase() + " " + event.message());
                boolean here = event.type().equals("progress") ? pauseAt.equals("progress")
                        : event.type().equals("phase") && event.phase().name().equals(pauseAt);
                if (here) {
                    System.out.println("PAUSED " + event.migrationId());
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                System.out.flush();
            });
            System.out.println("RESULT " + result.finalPhase() + " " + result.detail());
        }
        System.exit(0);
    }
}
