package io.livcloud.plugin.toolkit.ssh;

import java.security.KeyPair;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host to reach over SSH, and the host key to expect there.
 *
 * <p>With a pinned {@code hostKeyFingerprint}, the host must show exactly that key. Without one, the key it shows on
 * first contact is recorded in the connector's known-hosts file and required from then on (see {@link
 * SshConnector}).
 *
 * @param host its address or name
 * @param port usually 22
 * @param user the login, e.g. {@code admin} on Debian's EC2 images
 * @param identity the key pair to log in with (see {@link SshKeys}); never printed
 * @param hostKeyFingerprint the host key's SHA-256 fingerprint as OpenSSH prints it ({@code ssh-keygen -lf
 *     /etc/ssh/ssh_host_ed25519_key.pub} on the host: {@code SHA256:} and 43 base64 characters), when known
 *     beforehand; empty: trust on first contact
 */
public record SshTarget(String host, int port, String user, KeyPair identity, Optional<String> hostKeyFingerprint) {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    public SshTarget {
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(identity, "identity is null");
        Objects.requireNonNull(hostKeyFingerprint, "hostKeyFingerprint is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not within 1..65535");
        }
        hostKeyFingerprint.ifPresent(fingerprint -> {
            if (!FINGERPRINT.matcher(fingerprint).matches()) {
                throw new IllegalArgumentException("the host key fingerprint of " + user + "@" + host + ":" + port
                        + " is '" + fingerprint + "'; expected SHA256: and 43 base64 characters, as ssh-keygen -lf"
                        + " prints it");
            }
        });
    }

    /** A host whose key is trusted on first contact. */
    public SshTarget(String host, int port, String user, KeyPair identity) {
        this(host, port, user, identity, Optional.empty());
    }

    /** This target, requiring the host key with this fingerprint ({@code SHA256:...}). */
    public SshTarget withHostKeyFingerprint(String fingerprint) {
        return new SshTarget(host, port, user, identity, Optional.of(fingerprint));
    }

    /** {@code user@host:port}, for messages; the key stays out. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
