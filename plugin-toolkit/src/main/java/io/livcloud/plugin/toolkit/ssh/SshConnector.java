package io.livcloud.plugin.toolkit.ssh;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The one way LivCloud's plugins reach a host over SSH, with Apache MINA SSHD (no {@code ssh} process): {@link
 * #open(SshTarget)} gives the SPI's {@link HostAccess} for one host. A cloud plugin makes one connector, hands out the
 * host accesses of its sites, and closes the connector when the plugin closes.
 *
 * <p>Host keys: a target's pinned fingerprint must match exactly; without one, the key a host shows on first contact
 * is recorded in the known-hosts file and a different key later is refused. A new cloud host has no key anyone could
 * know beforehand; recording it protects every contact after the first. A refused key is {@link
 * HostAccessErrorCode#SSH_HOST_KEY_CHANGED}, with both fingerprints; it is never trusted silently.
 *
 * <p>Authentication: the target's key pair ({@link SshKeys}). (An SSH agent would come in as another way of
 * authenticating in {@link #authenticate}; not built yet.)
 *
 * <p>Owns one SSH client (and its I/O threads); thread-safe. Closing it ends every host access it opened.
 */
public final class SshConnector implements AutoCloseable {

    /**
     * How often an idle connection asks the host whether it is there. A host that vanished without closing its TCP
     * connection (a hard reboot, a cloud VM stopped) would otherwise leave a session that looks open and hangs the
     * next call; after {@link #KEEPALIVE_MISSES} unanswered asks, the session is closed and the next call reconnects.
     */
    private static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    private static final int KEEPALIVE_MISSES = 4;

    private final SshClient client;
    private final HostKeyCheck hostKeys;
    private final Duration timeout;

    /**
     * @param knownHosts the known-hosts file (OpenSSH format), created when missing, e.g. in the plugin's work
     *     directory
     * @param timeout for connecting, logging in, opening a stream and reading a file
     * @throws ExtensionException {@link HostAccessErrorCode#SSH_KEY_UNUSABLE} when the known-hosts file cannot be made
     */
    public SshConnector(Path knownHosts, Duration timeout) {
        requireNonNull(knownHosts, "knownHosts is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        try {
            Files.createDirectories(knownHosts.toAbsolutePath().getParent());
            if (!Files.exists(knownHosts)) {
                Files.createFile(knownHosts);
            }
        } catch (IOException e) {
            throw new ExtensionException(HostAccessErrorCode.SSH_KEY_UNUSABLE, "cannot create the known-hosts file "
                    + knownHosts + ": " + e.getMessage(), "check that its folder is writable", e);
        }
        hostKeys = new HostKeyCheck(knownHosts);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(hostKeys);
        // What reaches a host is the target and nothing else: the user's ~/.ssh/config could change host, port, user
        // or key, and keys found in ~/.ssh would be offered to every host.
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, KEEPALIVE_INTERVAL);
        // A request that wants a reply (OpenSSH answers even requests it does not know), so silence can be counted.
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, KEEPALIVE_INTERVAL);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, KEEPALIVE_MISSES);
        client.start();
    }

    /**
     * Access to one host. Nothing is contacted yet: the SSH session is opened by the first call, reused by all later
     * ones and opened again if it dropped (a host that rebooted). Close it when done with the host.
     */
    public HostAccess open(SshTarget target) {
        requireNonNull(target, "target is null");
        if (!client.isStarted()) {
            throw new IllegalStateException("the SSH connector is closed; cannot open " + target);
        }
        return new SshHost(this, target);
    }

    /** The known-hosts file, for messages. */
    public Path knownHosts() {
        return hostKeys.knownHosts();
    }

    Duration timeout() {
        return timeout;
    }

    /**
     * A new, logged-in session to the target.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#SSH_UNREACHABLE}, {@code SSH_HOST_KEY_CHANGED} or {@code
     *     SSH_AUTHENTICATION_FAILED}
     */
    ClientSession connect(SshTarget target) {
        HostKeyCheck.Expectation expectation = HostKeyCheck.expecting(target);
        ClientSession session;
        try {
            session = client.connect(target.user(), target.host(), target.port(), expectation.context(), null)
                    .verify(timeout).getSession();
        } catch (IOException e) {
            throw hostKeyRefused(target, expectation, e).orElseGet(() -> unreachable(target, e));
        }
        try {
            authenticate(session, target);
            return session;
        } catch (IOException e) {
            session.close(true);
            throw hostKeyRefused(target, expectation, e).orElseGet(() -> new ExtensionException(
                    HostAccessErrorCode.SSH_AUTHENTICATION_FAILED, "host " + target + " refused LivCloud's SSH key: "
                    + e.getMessage(), "check that the host was created with LivCloud's key and that the user is"
                    + " right", e));
        }
    }

    private void authenticate(ClientSession session, SshTarget target) throws IOException {
        session.addPublicKeyIdentity(target.identity());
        session.auth().verify(timeout);
    }

    private Optional<ExtensionException> hostKeyRefused(SshTarget target,
            HostKeyCheck.Expectation expectation, IOException e) {
        return expectation.refusal().map(refusal -> {
            String where = refusal.pinned() ? "pinned for it" : "recorded in " + knownHosts() + " on first contact";
            String remedy = refusal.pinned()
                    ? "if the host was rebuilt, pin its new fingerprint (read it on the host with ssh-keygen -lf"
                            + " /etc/ssh/ssh_host_*_key.pub, over a channel you trust); otherwise do not trust this"
                            + " address: another machine answers for it"
                    : "if the host was rebuilt, remove its line from " + knownHosts() + " (ssh-keygen -R '"
                            + knownHostsName(target) + "' -f " + knownHosts() + ") or pin the new"
                            + " fingerprint; otherwise do not trust this address: another machine answers for it";
            return new ExtensionException(HostAccessErrorCode.SSH_HOST_KEY_CHANGED, "host " + target + " offered the"
                    + " SSH host key " + refusal.offered() + ", but LivCloud expects " + refusal.expected() + " ("
                    + where + ")", remedy, e);
        });
    }

    /** How OpenSSH names the host in a known-hosts file: the bare host on port 22, else {@code [host]:port}. */
    private static String knownHostsName(SshTarget target) {
        return target.port() == 22 ? target.host() : "[" + target.host() + "]:" + target.port();
    }

    /** {@link HostAccessErrorCode#SSH_UNREACHABLE}: no connection, or it broke. */
    ExtensionException unreachable(SshTarget target, IOException e) {
        String why = e instanceof SshException && e.getCause() != null ? e.getCause().toString() : e.toString();
        return new ExtensionException(HostAccessErrorCode.SSH_UNREACHABLE, "cannot reach " + target + " over SSH"
                + " within " + timeout + ": " + why, "check that the host runs and that the site's operator-cidr"
                + " contains this machine's address", e);
    }

    @Override
    public void close() {
        client.stop();
    }
}
