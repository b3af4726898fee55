package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciEndpoint;
import io.livcloud.plugin.strongswan.vici.ViciException;
import io.livcloud.spi.ExtensionException;
import java.util.Optional;

/**
 * A gateway whose charon is the host's own strongSwan service (a cloud gateway bootstrapped with strongSwan, or this
 * machine's): LivCloud only talks to it over VICI, never starts or stops it, and its data path is what that charon
 * loaded.
 */
final class ServiceCharon implements CharonGateway {

    private final String siteName;
    private final ViciEndpoint endpoint;

    ServiceCharon(String siteName, ViciEndpoint endpoint) {
        this.siteName = siteName;
        this.endpoint = endpoint;
    }

    @Override
    public String siteName() {
        return siteName;
    }

    @Override
    public ViciEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public void ensureRunning() {
        try (ViciClient client = connect()) {
            client.version();
        } catch (ViciException e) {
            throw new ExtensionException(StrongSwanErrorCode.CHARON_NOT_RUNNING, "the charon of site " + siteName
                    + "'s gateway does not answer at " + endpoint + ": " + e.getMessage(),
                    "start strongSwan's service on that gateway (Debian: apt-get install charon-systemd, then"
                            + " systemctl start strongswan), or point the gateway's tunnel-control-uri at its VICI"
                            + " socket");
        }
    }

    @Override
    public void stopIfManaged() {
        // The host's service belongs to the host.
    }

    @Override
    public Optional<String> networkNamespace() {
        return Optional.empty();
    }

    @Override
    public String logTail() {
        return "";
    }
}
