package io.livcloud.plugin.toolkit.ssh;

import java.security.KeyPair;
import java.util.Objects;

/**
 * A host to reach over SSH.
 *
 * @param host its address or name
 * @param port usually 22
 * @param user the login, e.g. {@code admin} on Debian's EC2 images
 * @param identity the key pair to log in with (see {@link SshKeys}); never printed
 */
public record SshTarget(String host, int port, String user, KeyPair identity) {

    public SshTarget {
        Objects.requireNonNull(host, "host is null");
        Objects.requireNonNull(user, "user is null");
        Objects.requireNonNull(identity, "identity is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not within 1..65535");
        }
    }

    /** {@code user@host:port}, for messages; the key stays out. */
    @Override
    public String toString() {
        return user + "@" + host + ":" + port;
    }
}
