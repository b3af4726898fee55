package io.livcloud.plugin.ec2;

import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import java.time.Duration;

/**
 * Waits for a new host's bootstrap to report ready. Over SSH in production
 * ({@link io.livcloud.plugin.toolkit.cloud.CloudHostSsh} and {@link io.livcloud.plugin.toolkit.cloud.BootstrapWait});
 * a fake in the provisioner's tests.
 */
interface HostReadiness {

    /**
     * @param publicAddress the host's public address, which LivCloud reaches it at over SSH
     * @throws io.livcloud.spi.ExtensionException when the bootstrap failed or did not finish within {@code timeout}
     */
    BootstrapStatus await(String publicAddress, Duration timeout);
}
