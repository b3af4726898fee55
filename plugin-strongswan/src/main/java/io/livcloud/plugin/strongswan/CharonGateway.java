package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciEndpoint;
import java.util.Optional;

/**
 * The charon of one site's gateway, however it runs: started by LivCloud in a lab site's network namespace
 * ({@link NamespaceCharon}), or the host's own strongSwan service ({@link ServiceCharon}).
 */
interface CharonGateway {

    /** The site whose gateway this is. */
    String siteName();

    /** Where its VICI socket is. */
    ViciEndpoint endpoint();

    /**
     * Makes sure charon runs and answers, starting it if LivCloud manages it.
     *
     * @throws io.livcloud.spi.ExtensionException {@link StrongSwanErrorCode#CHARON_NOT_RUNNING} for a service that
     *     does not answer, {@link StrongSwanErrorCode#CHARON_START_FAILED} for a charon that would not start
     */
    void ensureRunning();

    /**
     * A VICI client, without starting anything.
     *
     * @throws io.livcloud.plugin.strongswan.vici.ViciException {@code CANNOT_CONNECT} when charon does not run
     */
    default ViciClient connect() {
        return ViciClient.connect(endpoint());
    }

    /** Stops charon if LivCloud started it (a host's service is left alone). Idempotent. */
    void stopIfManaged();

    /** Whether a traffic check can run commands on this gateway (inside its network namespace). */
    Optional<String> networkNamespace();

    /** The end of charon's log, to explain a failure; empty when LivCloud does not keep it. */
    String logTail();
}
