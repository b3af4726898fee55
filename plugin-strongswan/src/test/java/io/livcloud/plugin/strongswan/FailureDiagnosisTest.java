package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.plugin.strongswan.vici.CommandOutcome;
import io.livcloud.spi.ExtensionException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Diagnoses from control-log lines as charon 5.9.8 writes them (the first one captured from StrongSwanDriverIT). */
class FailureDiagnosisTest {

    @Test
    void aRefusedKeyIsAnAuthenticationFailure() {
        ExtensionException failure = diagnose("establishing CHILD_SA 'livcloud-a-b-net' failed",
                "establishing CHILD_SA livcloud-a-b-net{1}",
                "generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MULT_AUTH) N(EAP_ONLY) ]",
                "sending packet: from 10.99.200.1[4500] to 10.99.200.2[4500] (277 bytes)",
                "received packet: from 10.99.200.2[4500] to 10.99.200.1[4500] (65 bytes)",
                "parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]",
                "received AUTHENTICATION_FAILED notify error");

        assertThat(failure.errorCode()).isEqualTo(StrongSwanErrorCode.AUTHENTICATION_FAILED);
        assertThat(failure.getMessage()).startsWith("tunnel a-b: the gateways of a and b do not accept each other's"
                + " authentication: their pre-shared keys differ; charon: establishing CHILD_SA 'livcloud-a-b-net'"
                + " failed; its last log lines: ").endsWith("| received AUTHENTICATION_FAILED notify error");
        assertThat(failure.remedy()).contains("tunnel down, then tunnel up");
    }

    @Test
    void noCommonProposalIsAProposalMismatch() {
        ExtensionException failure = diagnose("establishing CHILD_SA 'livcloud-a-b-net' failed",
                "sending packet: from 10.99.200.1[500] to 10.99.200.2[500] (240 bytes)",
                "parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]",
                "received NO_PROPOSAL_CHOSEN notify error");

        assertThat(failure.errorCode()).isEqualTo(StrongSwanErrorCode.PROPOSAL_MISMATCH);
        assertThat(failure.remedy()).contains("aes256gcm16-prfsha384-ecp384");
    }

    @Test
    void unansweredRetransmissionsMeanThepeerIsUnreachable() {
        ExtensionException failure = diagnose("establishing CHILD_SA 'livcloud-a-b-net' failed",
                "initiating IKE_SA livcloud-a-b[1] to 10.99.200.99",
                "retransmit 1 of request with message ID 0",
                "retransmit 3 of request with message ID 0",
                "giving up after 3 retransmits",
                "establishing IKE_SA failed, peer not responding");

        assertThat(failure.errorCode()).isEqualTo(StrongSwanErrorCode.PEER_UNREACHABLE);
        assertThat(failure.getMessage()).contains("the gateway of b at 10.99.200.2 never answered IKE");
    }

    @Test
    void refusedSubnetsAreNamed() {
        assertThat(diagnose("failed", "received TS_UNACCEPTABLE notify, no CHILD_SA built").errorCode())
                .isEqualTo(StrongSwanErrorCode.TRAFFIC_SELECTORS_REFUSED);
    }

    @Test
    void anythingElseKeepsCharonsOwnWords() {
        ExtensionException failure = diagnose("no config named 'x'");

        assertThat(failure.errorCode()).isEqualTo(StrongSwanErrorCode.ESTABLISH_FAILED);
        assertThat(failure.getMessage()).contains("charon: no config named 'x'; its last log lines: (no log)");
    }

    private static ExtensionException diagnose(String error, String... log) {
        List<CommandOutcome.LogLine> lines = Arrays.stream(log).map(line -> new CommandOutcome.LogLine("IKE", 1, line))
                .toList();
        return FailureDiagnosis.of(new CommandOutcome(false, error, lines), "a-b", "a", "b", "10.99.200.2");
    }
}
