package io.livcloud.plugin.ec2;

import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.plugin.toolkit.ssh.SshTarget;
import java.time.Duration;

/**
 * Waits for a new host's bootstrap to report ready. Over SSH in production
 * ({@link io.livcloud.plugin.toolkit.ssh.SshConnector} and {@link io.livcloud.plugin.toolkit.cloud.BootstrapWait});
 * a fake in the provisioner's tests.
 */
interface HostReadiness {

    /**
     * @throws io.livcloud.spi.ExtensionException when the bootstrap failed or did not finish within {@code timeout}
     */
    BootstrapStatus await(SshTarget target, Duration timeout);
}
