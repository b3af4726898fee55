package io.livcloud.plugin.toolkit.ssh;

import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * LivCloud's own SSH key for the hosts it creates: an RSA key (EC2 imports RSA and Ed25519 key pairs only, and the
 * JDK generates RSA without extra libraries), kept in OpenSSH format so an operator can also use it with
 * {@code ssh -i <file>}.
 */
public final class SshKeys {

    private static final int RSA_BITS = 3072;

    private SshKeys() {
    }

    /**
     * The key pair in {@code privateKeyFile}, created there (mode 0600, with {@code <file>.pub} beside it) when the
     * file does not exist.
     *
     * @param comment written into a new key, e.g. {@code livcloud-ec2}
     * @throws ExtensionException {@link HostAccessErrorCode#SSH_KEY_UNUSABLE} when it can be neither read nor created
     */
    public static KeyPair loadOrCreate(Path privateKeyFile, String comment) {
        try {
            if (Files.exists(privateKeyFile)) {
                return load(privateKeyFile);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            KeyPair keyPair = generator.generateKeyPair();
            Files.createDirectories(privateKeyFile.toAbsolutePath().getParent());
            Path partial = privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.TRUNCATE_EXISTING)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, comment, null, out);
            }
            Files.writeString(privateKeyFile.resolveSibling(privateKeyFile.getFileName() + ".pub"),
                    openSshPublicKey(keyPair.getPublic(), comment) + "\n");
            // Renamed last, so a crash never leaves a private key file without its content.
            Files.move(partial, privateKeyFile);
            return keyPair;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ExtensionException(HostAccessErrorCode.SSH_KEY_UNUSABLE, "cannot read or create the SSH key "
                    + privateKeyFile + ": " + e.getMessage(), "check that the folder is writable; delete the file to"
                    + " have a new key made (hosts created with the old key then need it back)", e);
        }
    }

    /** The OpenSSH public key line, e.g. {@code ssh-rsa AAAA... livcloud-ec2}. */
    public static String openSshPublicKey(PublicKey key, String comment) {
        String entry = PublicKeyEntry.toString(key);
        return comment.isBlank() ? entry : entry + " " + comment;
    }

    private static KeyPair load(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()),
                    in, null);
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new GeneralSecurityException("no key pair in the file");
            }
            return iterator.next();
        }
    }
}
