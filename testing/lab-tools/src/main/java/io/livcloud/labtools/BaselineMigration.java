package io.livcloud.labtools;

import io.livcloud.LivCloudException;
import io.livcloud.plugin.toolkit.process.RunningCommand;
import io.livcloud.spi.host.CommandResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The bench's baseline: {@code virsh migrate --live --p2p} with libvirt's defaults (no bandwidth, downtime limit or
 * migration feature set; the data to the destination's tunnel address, as the engine sends it), stopped by a watchdog
 * ({@code virsh domjobabort}) at a fixed limit. Figures come from libvirt's own job statistics
 * ({@code domjobinfo --rawstats}): the completed job's on success, the last ones seen while it ran otherwise.
 */
final class BaselineMigration {

    /** How often the running job's statistics are read: often enough to know the bytes sent before an abort. */
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration END_AFTER_ABORT = Duration.ofSeconds(60);

    /**
     * How one baseline migration ended.
     *
     * @param converged whether virsh reported success
     * @param wallSeconds from starting virsh to its end
     * @param elapsedMillis libvirt's time elapsed of the job, when known
     * @param downtimeMillis libvirt's total downtime of the completed job, when it completed
     * @param bytesTransferred data processed as libvirt counted it, when seen
     * @param detail how it ended, with virsh's message when it failed
     */
    record Outcome(boolean converged, double wallSeconds, OptionalDouble elapsedMillis, OptionalDouble downtimeMillis,
            OptionalDouble bytesTransferred, String detail) {
    }

    private BaselineMigration() {
    }

    /** The command line, for the report: what the baseline is, exactly. */
    static String describe(Duration watchdog) {
        return "virsh migrate --live --p2p VM <tunnel-peer-uri> --migrateuri <tunnel-migration-uri> with libvirt's"
                + " defaults; virsh domjobabort after " + watchdog.toSeconds() + " s (did not converge)";
    }

    static Outcome run(Virsh source, String vm, String destinationUri, String dataUri, Duration watchdog) {
        long started = System.nanoTime();
        // The loop below aborts the job and gives up on virsh itself; the command's own timeout is only a backstop.
        Duration backstop = watchdog.plus(END_AFTER_ABORT).plus(END_AFTER_ABORT);
        try (RunningCommand migrate = source.start(backstop, "migrate", "--live", "--p2p", vm, destinationUri,
                "--migrateuri", dataUri)) {
            Map<String, String> lastSeen = Map.of();
            String statsError = "";
            boolean aborted = false;
            long deadline = started + watchdog.toNanos();
            while (!migrate.awaitEnd(POLL)) {
                CommandResult running = source.run("domjobinfo", vm, "--rawstats");
                Map<String, String> stats = running.succeeded() ? parseRawStats(running.stdout()) : Map.of();
                // After the abort libvirt reports the cancelled job with its counters at zero: keep what was sent.
                if (number(stats, "data_processed").orElse(0) > 0) {
                    lastSeen = stats;
                } else if (!running.succeeded()) {
                    statsError = running.output();
                }
                if (!aborted && System.nanoTime() > deadline) {
                    aborted = true;
                    CommandResult abort = source.run("domjobabort", vm);
                    if (!abort.succeeded() && !migrate.awaitEnd(Duration.ZERO)) {
                        throw new LivCloudException("virsh domjobabort " + vm + " failed: " + abort.output(),
                                "abort the job by hand: virsh -c " + source.uri() + " domjobabort " + vm);
                    }
                    deadline = System.nanoTime() + END_AFTER_ABORT.toNanos();
                } else if (aborted && System.nanoTime() > deadline) {
                    throw new LivCloudException("virsh migrate " + vm + " did not end " + END_AFTER_ABORT.toSeconds()
                            + " s after domjobabort", "check the guest: virsh -c " + source.uri() + " domstate " + vm);
                }
            }
            double wallSeconds = (System.nanoTime() - started) / 1e9;
            CommandResult ended = migrate.await();
            if (ended.succeeded()) {
                Map<String, String> completed = completedStats(source, vm);
                return new Outcome(true, wallSeconds, number(completed, "time_elapsed"), number(completed, "downtime"),
                        number(completed, "data_processed"), "completed");
            }
            String unknownBytes = lastSeen.isEmpty() ? "; libvirt's job statistics could not be read while it ran"
                    + (statsError.isEmpty() ? "" : " (" + statsError + ")") : "";
            return new Outcome(false, wallSeconds, number(lastSeen, "time_elapsed"), OptionalDouble.empty(),
                    number(lastSeen, "data_processed"), (aborted
                            ? "did not converge within " + watchdog.toSeconds() + " s: aborted by the watchdog"
                            : "failed: " + ended.output()) + unknownBytes);
        }
    }

    /**
     * {@code virsh domjobinfo --rawstats}: a {@code Job type: N} line, then one {@code name: value} per typed
     * parameter, with libvirt's parameter names ({@code time_elapsed}, {@code downtime}, {@code data_processed}).
     */
    private static Map<String, String> completedStats(Virsh source, String vm) {
        CommandResult result = source.run("domjobinfo", vm, "--completed", "--rawstats");
        return result.succeeded() ? parseRawStats(result.stdout()) : Map.of();
    }

    static Map<String, String> parseRawStats(String output) {
        Map<String, String> stats = new LinkedHashMap<>();
        for (String line : output.lines().toList()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                stats.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return stats;
    }

    private static OptionalDouble number(Map<String, String> stats, String name) {
        try {
            return stats.containsKey(name) ? OptionalDouble.of(Double.parseDouble(stats.get(name)))
                    : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
