package io.livcloud.plugin.strongswan.vici;

import java.util.List;

/**
 * How an {@code initiate} or {@code terminate} ended, with the log charon streamed meanwhile ({@code control-log}),
 * which is where the reason for a failure is (a refused key, no common proposal, a peer that never answered).
 *
 * @param succeeded charon's {@code success}
 * @param error charon's {@code errmsg}; empty on success
 * @param log the control-log lines, in order
 */
public record CommandOutcome(boolean succeeded, String error, List<LogLine> log) {

    public CommandOutcome {
        log = List.copyOf(log);
    }

    /**
     * One control-log line.
     *
     * @param group charon's subsystem, e.g. {@code IKE}, {@code CFG}
     * @param level 0 (basic) to 4 (raw)
     * @param message the text
     */
    public record LogLine(String group, int level, String message) {
        @Override
        public String toString() {
            return "[" + group + "] " + message;
        }
    }
}
