package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.CommandOutcome;
import io.livcloud.spi.ExtensionException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Turns a failed {@code initiate} into what went wrong and what to do, from the log charon streamed while it tried:
 * the notify the peer sent back (AUTHENTICATION_FAILED, NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE) or the retransmissions
 * that went unanswered.
 */
final class FailureDiagnosis {

    private static final int LOG_LINES_IN_MESSAGE = 6;

    private FailureDiagnosis() {
    }

    static ExtensionException of(CommandOutcome outcome, String tunnelId, String localSite, String peerSite,
            String peerAddress) {
        String log = outcome.log().stream().map(CommandOutcome.LogLine::message).collect(Collectors.joining("\n"))
                .toLowerCase(Locale.ROOT);
        String evidence = "; charon: " + (outcome.error().isEmpty() ? "failed" : outcome.error())
                + "; its last log lines: " + lastLines(outcome.log());
        if (log.contains("authentication_failed") || log.contains("authentication of")
                && log.contains("failed")) {
            return new ExtensionException(StrongSwanErrorCode.AUTHENTICATION_FAILED, "tunnel " + tunnelId
                    + ": the gateways of " + localSite + " and " + peerSite + " do not accept each other's"
                    + " authentication: their pre-shared keys differ" + evidence,
                    "bring the tunnel down and up again (livcloud tunnel down, then tunnel up) so that both gateways"
                            + " get the same new key; a gateway configured by hand needs the key LivCloud generated");
        }
        if (log.contains("no_proposal_chosen") || log.contains("no acceptable proposal")) {
            return new ExtensionException(StrongSwanErrorCode.PROPOSAL_MISMATCH, "tunnel " + tunnelId
                    + ": the gateways of " + localSite + " and " + peerSite + " have no IKE or ESP proposal in common"
                    + evidence, "give both gateways the same ike-proposals and esp-proposals (the defaults are"
                            + " aes256gcm16-prfsha384-ecp384 and aes256gcm16-ecp384)");
        }
        if (log.contains("ts_unacceptable")) {
            return new ExtensionException(StrongSwanErrorCode.TRAFFIC_SELECTORS_REFUSED, "tunnel " + tunnelId
                    + ": the gateway of " + peerSite + " refused the subnets this tunnel carries" + evidence,
                    "check that both sites' VM subnets are what each gateway expects (livcloud site list)");
        }
        if (log.contains("giving up after") || log.contains("retransmit") && outcome.error().contains("timeout")
                || log.contains("peer not responding")) {
            return new ExtensionException(StrongSwanErrorCode.PEER_UNREACHABLE, "tunnel " + tunnelId
                    + ": the gateway of " + peerSite + " at " + peerAddress + " never answered IKE (UDP 500 and 4500)"
                    + evidence, "check that " + peerAddress + " is reachable from " + localSite + "'s gateway, that"
                            + " its charon runs, and that UDP 500/4500 (and ESP) are open between the gateways");
        }
        return new ExtensionException(StrongSwanErrorCode.ESTABLISH_FAILED, "tunnel " + tunnelId + " between "
                + localSite + " and " + peerSite + " did not come up" + evidence,
                "read both gateways' charon logs; livcloud tunnel status shows where they are");
    }

    private static String lastLines(List<CommandOutcome.LogLine> log) {
        if (log.isEmpty()) {
            return "(no log)";
        }
        return log.subList(Math.max(0, log.size() - LOG_LINES_IN_MESSAGE), log.size()).stream()
                .map(CommandOutcome.LogLine::message).collect(Collectors.joining(" | "));
    }
}
