package io.livcloud.plugin.toolkit.ssh;

import io.livcloud.plugin.toolkit.cloud.BootstrapStatus;
import io.livcloud.plugin.toolkit.cloud.HostBootstrap;
import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;

/**
 * SSH to the hosts of cloud sites, with Apache MINA SSHD (no {@code ssh} process): runs commands and reads the
 * bootstrap's readiness report.
 *
 * <p>Host keys are trusted on first use and pinned: the first key a host shows is recorded in the known-hosts file
 * (OpenSSH format), and a different key later fails with {@link HostAccessErrorCode#SSH_HOST_KEY_CHANGED}. A new
 * cloud host has no key anyone could know beforehand; pinning protects every contact after the first.
 *
 * <p>One instance holds one SSH client; close it when done. Each call opens and closes its own connection, so a host
 * that reboots between calls is no problem. Thread-safe.
 */
public final class SshHostAccess implements AutoCloseable {

    private final SshClient client;
    private final Duration timeout;
    private final Set<SocketAddress> changedHostKeys = ConcurrentHashMap.newKeySet();

    /**
     * @param knownHosts the known-hosts file, created when missing (e.g. in the plugin's work directory)
     * @param timeout for connecting, logging in and each command
     */
    public SshHostAccess(Path knownHosts, Duration timeout) {
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
        // Unknown hosts: accept and record (the delegate); known with another key: refuse, and remember why.
        KnownHostsServerKeyVerifier verifier = new KnownHostsServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE,
                knownHosts);
        verifier.setModifiedServerKeyAcceptor((ClientSession session, SocketAddress remote, KnownHostEntry entry,
                java.security.PublicKey expected, java.security.PublicKey actual) -> {
            changedHostKeys.add(remote);
            return false;
        });
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.start();
    }

    /**
     * The output of a command.
     *
     * @param exitStatus the command's exit status
     * @param stdout standard output, UTF-8
     * @param stderr standard error, UTF-8
     */
    public record CommandResult(int exitStatus, String stdout, String stderr) {
        /** Whether the command exited with 0. */
        public boolean succeeded() {
            return exitStatus == 0;
        }
    }

    /**
     * Runs a command on the host, as the target's user, through its login shell.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#SSH_UNREACHABLE}, {@code SSH_AUTHENTICATION_FAILED},
     *     {@code SSH_HOST_KEY_CHANGED} or {@code SSH_TIMEOUT}; a command that exits non-zero is not an exception
     */
    public CommandResult run(SshTarget target, String command) {
        requireNonNull(target, "target is null");
        requireNonNull(command, "command is null");
        ClientSession session;
        try {
            session = client.connect(target.user(), target.host(), target.port()).verify(timeout).getSession();
        } catch (IOException e) {
            throw unreachable(target, e);
        }
        try (session) {
            session.addPublicKeyIdentity(target.identity());
            try {
                session.auth().verify(timeout);
            } catch (IOException e) {
                if (changedHostKeys.remove(session.getConnectAddress())
                        || changedHostKeys.remove(session.getIoSession().getRemoteAddress())) {
                    throw new ExtensionException(HostAccessErrorCode.SSH_HOST_KEY_CHANGED, "host " + target
                            + " shows a different SSH host key than when LivCloud first reached it",
                            "if the host was rebuilt, delete its line from the known-hosts file; otherwise do not"
                                    + " trust this address", e);
                }
                throw new ExtensionException(HostAccessErrorCode.SSH_AUTHENTICATION_FAILED, "host " + target
                        + " refused LivCloud's SSH key: " + e.getMessage(), "check that the host was created with"
                        + " LivCloud's key and that the user is right", e);
            }
            return exec(target, session, command);
        } catch (IOException e) {
            throw unreachable(target, e);
        }
    }

    private CommandResult exec(SshTarget target, ClientSession session, String command) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(stdout);
            channel.setErr(stderr);
            channel.open().verify(timeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT) || channel.getExitStatus() == null) {
                throw new ExtensionException(HostAccessErrorCode.SSH_TIMEOUT, "command '" + command + "' on "
                        + target + " did not finish within " + timeout, "check the host's load, or retry");
            }
            return new CommandResult(channel.getExitStatus(), stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8));
        }
    }

    /** The host's bootstrap report ({@link HostBootstrap#STATUS_FILE}); {@link BootstrapStatus#absent()} if none yet. */
    public BootstrapStatus bootstrapStatus(SshTarget target) {
        return bootstrapStatus(target, HostBootstrap.STATUS_FILE);
    }

    /** The bootstrap report in another file (tests). */
    BootstrapStatus bootstrapStatus(SshTarget target, String statusFile) {
        CommandResult result = run(target, "cat " + statusFile + " 2>/dev/null || true");
        return BootstrapStatus.parse(result.stdout());
    }

    /**
     * Waits until the host's bootstrap reports ready, asking every {@code interval}; unreachable and not-yet-ready
     * hosts are asked again until {@code deadline} (a new VM answers SSH only after it booted).
     *
     * @throws ExtensionException {@link HostAccessErrorCode#HOST_BOOTSTRAP_FAILED} as soon as the report says failed;
     *     {@link HostAccessErrorCode#HOST_NOT_READY} at the deadline, with the last report or SSH error;
     *     {@code SSH_HOST_KEY_CHANGED} and {@code SSH_AUTHENTICATION_FAILED} at once
     */
    public BootstrapStatus awaitBootstrap(SshTarget target, Duration wait, Duration interval) {
        return awaitBootstrap(target, HostBootstrap.STATUS_FILE, wait, interval);
    }

    /** {@link #awaitBootstrap(SshTarget, Duration, Duration)} with another report file (tests). */
    BootstrapStatus awaitBootstrap(SshTarget target, String statusFile, Duration wait, Duration interval) {
        Instant deadline = Instant.now().plus(wait);
        String last = "no answer yet";
        while (true) {
            try {
                BootstrapStatus status = bootstrapStatus(target, statusFile);
                if (status.ready()) {
                    return status;
                }
                if (status.failed()) {
                    throw new ExtensionException(HostAccessErrorCode.HOST_BOOTSTRAP_FAILED, "the LivCloud bootstrap"
                            + " of host " + target + " failed: " + status.detail(), "read /var/log/cloud-init-output.log"
                            + " on the host; tear the site down and create it again once the cause is fixed");
                }
                last = "bootstrap " + status.state() + ": " + status.detail();
            } catch (ExtensionException e) {
                if (e.errorCode() != HostAccessErrorCode.SSH_UNREACHABLE && e.errorCode() != HostAccessErrorCode.SSH_TIMEOUT) {
                    throw e;
                }
                last = e.getMessage();
            }
            if (!Instant.now().plus(interval).isBefore(deadline)) {
                throw new ExtensionException(HostAccessErrorCode.HOST_NOT_READY, "host " + target + " did not report"
                        + " ready within " + wait + "; last: " + last, "wait and ask again, or read"
                        + " /var/log/cloud-init-output.log on the host");
            }
            sleep(interval);
        }
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a host", e);
        }
    }

    private ExtensionException unreachable(SshTarget target, IOException e) {
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
