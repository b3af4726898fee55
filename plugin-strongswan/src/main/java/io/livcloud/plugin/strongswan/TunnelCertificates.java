package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Secret;
import io.livcloud.spi.SecretStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * X.509 credentials for one tunnel: a certification authority made for this site pair alone, and a certificate per
 * gateway whose subject alternative name is the gateway's IKE identity (an IP address, such as a gateway's public one,
 * or a DNS name such as {@code <site>.sites.livcloud}; see {@link ConnectionDefinition#identity}). ECDSA P-384
 * and SHA-384 throughout, made with the JDK's own cryptography (Bouncy Castle only assembles the certificates).
 *
 * <p>The authority's private key is thrown away once both certificates are signed: nothing LivCloud keeps can mint
 * another certificate this tunnel would accept. Each gateway's private key is a secret in the host's secret store;
 * the certificates are public and kept as PEM files under {@code <work>/certs/<tunnel>}.
 */
final class TunnelCertificates {

    private static final String CURVE = "secp384r1";
    private static final String SIGNATURE = "SHA384withECDSA";
    private static final Duration VALIDITY = Duration.ofDays(365);
    /** Back-dated so a gateway whose clock is a little behind accepts a certificate made just now. */
    private static final Duration CLOCK_SKEW = Duration.ofHours(1);

    private final Path folder;
    private final SecretStore secrets;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    TunnelCertificates(Path folder, SecretStore secrets, Clock clock) {
        this.folder = folder;
        this.secrets = secrets;
        this.clock = clock;
    }

    /**
     * One gateway's credentials.
     *
     * @param authorityPem the tunnel's authority, which the peer's certificate must chain to
     * @param certificatePem this gateway's certificate
     * @param privateKeyPem this gateway's private key (PKCS#8 PEM)
     */
    record Credentials(String authorityPem, String certificatePem, Secret privateKeyPem) {
    }

    /**
     * The credentials of each site of the tunnel, issued on first use.
     *
     * @param identities each site's IKE identity, by site name
     */
    synchronized Map<String, Credentials> forTunnel(String tunnelId, Map<String, String> identities) {
        List<String> sites = List.copyOf(identities.keySet());
        Map<String, Credentials> existing = read(tunnelId, sites);
        return existing.size() == sites.size() ? existing : issue(tunnelId, identities);
    }

    /** An address identity is an iPAddress name, as charon matches an ID_IPV4_ADDR; anything else a dNSName. */
    private static GeneralName subjectAlternativeName(String identity) {
        return ConnectionDefinition.IPV4.matcher(identity).matches() ? new GeneralName(GeneralName.iPAddress, identity)
                : new GeneralName(GeneralName.dNSName, identity);
    }

    private Map<String, Credentials> read(String tunnelId, List<String> sites) {
        Map<String, Credentials> credentials = new LinkedHashMap<>();
        Path tunnelFolder = folder.resolve(tunnelId);
        try {
            Path authority = tunnelFolder.resolve("ca.pem");
            if (!Files.isRegularFile(authority)) {
                return credentials;
            }
            String authorityPem = Files.readString(authority, StandardCharsets.US_ASCII);
            for (String site : sites) {
                Path certificate = tunnelFolder.resolve(site + ".pem");
                Optional<Secret> key = secrets.get(keyName(tunnelId, site));
                if (Files.isRegularFile(certificate) && key.isPresent()) {
                    credentials.put(site, new Credentials(authorityPem, Files.readString(certificate,
                            StandardCharsets.US_ASCII), key.get()));
                }
            }
            return credentials;
        } catch (IOException e) {
            throw failed("cannot read the certificates of tunnel " + tunnelId + " in " + tunnelFolder, e);
        }
    }

    private Map<String, Credentials> issue(String tunnelId, Map<String, String> identities) {
        try {
            Instant now = clock.instant();
            KeyPair authority = keyPair();
            X500Name authorityName = new X500Name("CN=LivCloud tunnel " + tunnelId + " CA,O=LivCloud");
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder authorityBuilder = builder(authorityName, authorityName, authority, now)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(authority.getPublic()));
            X509Certificate authorityCertificate = sign(authorityBuilder, authority.getPrivate());
            String authorityPem = pem("CERTIFICATE", authorityCertificate.getEncoded());

            Path tunnelFolder = Files.createDirectories(folder.resolve(tunnelId));
            Map<String, Credentials> credentials = new LinkedHashMap<>();
            for (Map.Entry<String, String> entry : identities.entrySet()) {
                String site = entry.getKey();
                String identity = entry.getValue();
                KeyPair gateway = keyPair();
                X509v3CertificateBuilder gatewayBuilder = builder(authorityName,
                        new X500Name("CN=" + identity + ",O=LivCloud"), gateway, now)
                        .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                        .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.subjectAlternativeName, false,
                                new GeneralNames(subjectAlternativeName(identity)))
                        .addExtension(Extension.authorityKeyIdentifier, false,
                                extensions.createAuthorityKeyIdentifier(authorityCertificate));
                String certificatePem = pem("CERTIFICATE", sign(gatewayBuilder, authority.getPrivate()).getEncoded());
                Secret keyPem = Secret.of(pem("PRIVATE KEY", gateway.getPrivate().getEncoded()));
                secrets.put(keyName(tunnelId, site), keyPem);
                Files.writeString(tunnelFolder.resolve(site + ".pem"), certificatePem, StandardCharsets.US_ASCII);
                credentials.put(site, new Credentials(authorityPem, certificatePem, keyPem));
            }
            // Written last: a half-issued set (no ca.pem) is issued again rather than used.
            Files.writeString(tunnelFolder.resolve("ca.pem"), authorityPem, StandardCharsets.US_ASCII);
            return credentials;
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw failed("cannot make the certificates of tunnel " + tunnelId + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw failed("cannot write the certificates of tunnel " + tunnelId + " under " + folder, e);
        }
    }

    private X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair subjectKeys, Instant now) {
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).add(BigInteger.ONE),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(VALIDITY)), subject, subjectKeys.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder(SIGNATURE).build(signer)));
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(CURVE), random);
        return generator.generateKeyPair();
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Forgets the tunnel's certificates and keys. */
    synchronized void forget(String tunnelId, List<String> sites) {
        for (String site : sites) {
            secrets.delete(keyName(tunnelId, site));
        }
        Path tunnelFolder = folder.resolve(tunnelId);
        try {
            if (Files.isDirectory(tunnelFolder)) {
                try (var files = Files.list(tunnelFolder)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(tunnelFolder);
            }
        } catch (IOException e) {
            throw failed("cannot remove the certificates of tunnel " + tunnelId + " in " + tunnelFolder, e);
        }
    }

    /** Keeps the id charon gave a gateway's loaded key, so that teardown can unload exactly that key. */
    synchronized void rememberKeyId(String tunnelId, String site, String keyId) {
        try {
            Files.writeString(Files.createDirectories(folder.resolve(tunnelId)).resolve(site + ".key-id"),
                    keyId + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw failed("cannot record the key id of " + site + " for tunnel " + tunnelId, e);
        }
    }

    /** The id charon gave the gateway's key, if it was loaded. */
    synchronized Optional<String> keyId(String tunnelId, String site) {
        try {
            Path file = folder.resolve(tunnelId).resolve(site + ".key-id");
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.US_ASCII).strip())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String keyName(String tunnelId, String site) {
        return "tunnel." + tunnelId + "." + site + ".key";
    }

    private ExtensionException failed(String message, Exception cause) {
        return new ExtensionException(StrongSwanErrorCode.STATE_UNREADABLE, message, "check that " + folder
                + " and the secret store are writable", cause);
    }
}
