package io.livcloud.plugin.toolkit.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one host key rule of LivCloud's SSH: a pinned fingerprint must match exactly; without one, the first key a host
 * shows is recorded in the known-hosts file (OpenSSH format) and any other key later is refused. Never trusts silently:
 * every refusal is kept, with both fingerprints, for the error the connector raises.
 *
 * <p>The SSH client has one verifier for all hosts; what each connection expects travels in the connection's context
 * ({@link #expecting}), set when the connection is made, so it is there before the key exchange begins.
 */
final class HostKeyCheck implements ServerKeyVerifier {

    private static final Logger LOG = LoggerFactory.getLogger(HostKeyCheck.class);
    private static final AttributeKey<Expectation> EXPECTATION = new AttributeKey<>();

    private final Path knownHosts;
    private final KnownHostsServerKeyVerifier firstContact;

    HostKeyCheck(Path knownHosts) {
        this.knownHosts = knownHosts;
        // Unknown hosts: accept and record (the delegate accepts, the verifier writes the line); known with another
        // key: refuse, and say why.
        firstContact = new KnownHostsServerKeyVerifier((session, remote, key) -> {
            LOG.info("first contact with {}: recording its host key {} in {}", session.getConnectAddress(),
                    fingerprint(key), knownHosts);
            return true;
        }, knownHosts);
        firstContact.setModifiedServerKeyAcceptor((ClientSession session, SocketAddress remote, KnownHostEntry entry,
                PublicKey expected, PublicKey actual) -> {
            expectation(session).refuse(fingerprint(actual), fingerprint(expected), false);
            return false;
        });
    }

    /** A new expectation for one connection to {@code target}, and the context that carries it. */
    static Expectation expecting(SshTarget target) {
        return new Expectation(target.hostKeyFingerprint());
    }

    /** OpenSSH's fingerprint of a key: {@code SHA256:} and the unpadded base64 of the key's SHA-256. */
    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
    }

    Path knownHosts() {
        return knownHosts;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey serverKey) {
        Expectation expectation = expectation(session);
        if (expectation.pinned.isEmpty()) {
            return firstContact.verifyServerKey(session, remote, serverKey);
        }
        String offered = fingerprint(serverKey);
        if (offered.equals(expectation.pinned.get())) {
            return true;
        }
        expectation.refuse(offered, expectation.pinned.get(), true);
        return false;
    }

    private static Expectation expectation(ClientSession session) {
        Expectation expectation = session.getConnectionContext() == null ? null
                : session.getConnectionContext().getAttribute(EXPECTATION);
        if (expectation == null) {
            // Every connection is made by SshConnector with its context; one without would be a bug here.
            throw new IllegalStateException("SSH connection " + session + " made without a host key expectation");
        }
        return expectation;
    }

    /** What one connection expects, and, once the host's key was refused, why. */
    static final class Expectation {
        private final Optional<String> pinned;
        private final AtomicReference<Refusal> refusal = new AtomicReference<>();

        private Expectation(Optional<String> pinned) {
            this.pinned = pinned;
        }

        /** The connection context to hand to {@code SshClient.connect}. */
        AttributeRepository context() {
            return AttributeRepository.ofKeyValuePair(EXPECTATION, this);
        }

        /** The refusal, if the host's key was refused. */
        Optional<Refusal> refusal() {
            return Optional.ofNullable(refusal.get());
        }

        private void refuse(String offered, String expected, boolean wasPinned) {
            refusal.set(new Refusal(offered, expected, wasPinned));
        }
    }

    /**
     * @param offered the fingerprint of the key the host showed
     * @param expected the fingerprint LivCloud required
     * @param pinned whether {@code expected} was pinned by the target (else recorded on first contact)
     */
    record Refusal(String offered, String expected, boolean pinned) {
    }
}
