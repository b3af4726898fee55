package io.livcloud.plugin.toolkit.cloud;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.ssh.SshConnector;
import io.livcloud.plugin.toolkit.ssh.SshTarget;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.Host;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How a cloud provider plugin reaches the hosts of its sites: SSH to each host's public address (its only address
 * this machine can reach) as the image's login user, with the key the plugin gave the host. One per provider: it
 * answers the provider's {@link io.livcloud.spi.provider.CloudProvider#hostAccess} and its own bootstrap checks, and
 * is closed with the provider.
 *
 * <p>The {@link SshConnector} (an SSH client and its threads) and the key are made on first use only: listing sites
 * or tearing one down needs neither. Host keys are trusted on first contact and recorded in {@code knownHosts}; a
 * changed one is refused (see {@link SshConnector}). Thread-safe.
 */
public final class CloudHostSsh implements AutoCloseable {

    private static final int SSH_PORT = 22;

    private final Path knownHosts;
    private final Duration timeout;
    private final String user;
    private final Supplier<KeyPair> key;
    private SshConnector connector;
    private KeyPair identity;
    private boolean closed;

    /**
     * @param knownHosts the known-hosts file, e.g. in the plugin's work directory; created on first use
     * @param timeout for connecting, logging in and opening a stream
     * @param user the login user on the hosts (EC2's {@code ssh-user}, Azure's {@code admin-username})
     * @param key the key pair the hosts were created with; asked for once, on first use
     */
    public CloudHostSsh(Path knownHosts, Duration timeout, String user, Supplier<KeyPair> key) {
        this.knownHosts = requireNonNull(knownHosts, "knownHosts is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.user = requireNonNull(user, "user is null");
        this.key = requireNonNull(key, "key is null");
    }

    /**
     * Access to the host at this public address. Contacts nothing yet (see {@link SshConnector#open}).
     *
     * @throws io.livcloud.spi.ExtensionException if the key or the known-hosts file cannot be made
     * @throws IllegalStateException once closed
     */
    public HostAccess open(String publicAddress) {
        requireNonNull(publicAddress, "publicAddress is null");
        SshConnector ssh;
        KeyPair keyPair;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the SSH access of this provider is closed; cannot reach "
                        + publicAddress);
            }
            if (connector == null) {
                identity = key.get();
                connector = new SshConnector(knownHosts, timeout);
            }
            ssh = connector;
            keyPair = identity;
        }
        return ssh.open(new SshTarget(publicAddress, SSH_PORT, user, keyPair));
    }

    /**
     * Access to one of the provider's hosts, at its public address; what
     * {@link io.livcloud.spi.provider.CloudProvider#hostAccess} returns.
     *
     * @return empty when the host has no public address (yet): nothing on this machine can reach it then
     * @throws io.livcloud.spi.ExtensionException if the key or the known-hosts file cannot be made
     * @throws IllegalStateException once closed
     */
    public Optional<HostAccess> hostAccess(Host host) {
        requireNonNull(host, "host is null");
        return host.publicAddress().isBlank() ? Optional.empty() : Optional.of(open(host.publicAddress()));
    }

    /** Ends every access given out; idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (connector != null) {
            connector.close();
            connector = null;
        }
    }
}
