package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The X.509 material QEMU's TLS on migration streams needs at each site (libvirt's {@code VIR_MIGRATE_TLS},
 * {@code migrate_tls_x509_cert_dir} in qemu.conf): one authority for the whole lab, and per site a server
 * certificate (the destination QEMU listens with it) and a client certificate (the source QEMU connects with it), both
 * naming the site's WAN address, which is where a TLS migration stream goes and what the source QEMU checks the
 * server's certificate against.
 *
 * <p>The files are those QEMU's {@code tls-creds-x509} object reads from the folder: {@code ca-cert.pem},
 * {@code server-cert.pem}, {@code server-key.pem}, {@code client-cert.pem}, {@code client-key.pem}. QEMU checks them
 * before it uses them (a certificate authority with {@code keyCertSign}; leaf certificates that are not authorities,
 * allow digital signature and key encipherment, and name server or client authentication as their purpose), so the
 * extensions below are what it asks for, marked critical as its documentation does.
 *
 * <p>Private keys are written with mode 0600 into folders with mode 0700: each site's keys only into its own folder,
 * the authority's key only into {@code <lab>/migration-tls-ca}. The authority's key is kept because sites come up one
 * at a time and a later one must be issued by the same authority; removing that folder makes a new authority, and
 * each site is issued again at its next {@code up}. ECDSA P-256 keys: GnuTLS (QEMU's TLS library) takes them, and
 * making one costs milliseconds where RSA costs a noticeable part of a site's start on this two-core machine.
 */
final class MigrationTls {

    static final String CA_CERTIFICATE = "ca-cert.pem";
    static final String SERVER_CERTIFICATE = "server-cert.pem";
    static final String SERVER_KEY = "server-key.pem";
    static final String CLIENT_CERTIFICATE = "client-cert.pem";
    static final String CLIENT_KEY = "client-key.pem";
    /** Everything a site's folder must hold for its libvirtd to migrate with TLS, both ways. */
    static final List<String> SITE_FILES = List.of(CA_CERTIFICATE, SERVER_CERTIFICATE, SERVER_KEY,
            CLIENT_CERTIFICATE, CLIENT_KEY);

    private static final String AUTHORITY_KEY = "ca-key.pem";
    private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
    private static final Duration VALIDITY = Duration.ofDays(825);
    /** A site whose certificates expire sooner than this is issued new ones at its next start. */
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    /** Valid from a little earlier, for a host whose clock is behind this one's. */
    private static final Duration BACKDATE = Duration.ofMinutes(10);

    private final Path authorityFolder;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** @param labDirectory the lab's directory; the authority lives in its {@code migration-tls-ca} folder */
    MigrationTls(Path labDirectory, Clock clock) {
        this.authorityFolder = requireNonNull(labDirectory, "labDirectory is null").resolve("migration-tls-ca");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Whether the site's folder holds every file a TLS migration to or from it needs. */
    static boolean present(LabSite site) {
        return SITE_FILES.stream().allMatch(file -> Files.isRegularFile(site.migrationTlsDirectory().resolve(file)));
    }

    /**
     * Makes sure the site's folder holds certificates from the lab's authority for the site's current WAN address,
     * valid for a while yet; issues them otherwise (a new site, an index that changed, a new authority).
     *
     * @return whether it issued new material
     */
    synchronized boolean ensure(LabSite site) {
        try {
            Authority authority = authority();
            if (current(site, authority)) {
                return false;
            }
            issue(site, authority);
            return true;
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write the migration TLS material of"
                    + " site " + site.name() + " in " + site.migrationTlsDirectory() + " (authority in "
                    + authorityFolder + "): " + e, "check the lab directory's permissions", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot make the migration TLS certificates"
                    + " of site " + site.name() + ": " + e.getMessage(), "check the Java runtime's EC support (the"
                    + " lab uses ECDSA P-256); a damaged " + authorityFolder + " may be removed, the sites are then"
                    + " issued again", e);
        }
    }

    private record Authority(X509Certificate certificate, PrivateKey key, String pem) {
    }

    private Authority authority() throws IOException, GeneralSecurityException, OperatorCreationException {
        Path certificateFile = authorityFolder.resolve(CA_CERTIFICATE);
        Path keyFile = authorityFolder.resolve(AUTHORITY_KEY);
        if (Files.isRegularFile(certificateFile) && Files.isRegularFile(keyFile)) {
            String pem = Files.readString(certificateFile, StandardCharsets.US_ASCII);
            X509Certificate certificate = certificate(pem);
            if (!certificate.getNotAfter().toInstant().isBefore(clock.instant().plus(RENEW_BEFORE))) {
                return new Authority(certificate, privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII)),
                        pem);
            }
            // About to expire: a new authority, and each site is issued again at its next start.
        }
        privateFolder(authorityFolder);
        KeyPair keys = keyPair();
        X500Name name = new X500Name("CN=LivCloud lab migration CA,O=LivCloud");
        Instant now = clock.instant();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), name, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate certificate = signed(builder, keys.getPrivate());
        // The key first: a certificate without its key is not taken as an authority on the next start.
        writePrivate(keyFile, pkcs8(keys));
        String pem = pem(certificate);
        writePublic(certificateFile, pem);
        return new Authority(certificate, keys.getPrivate(), pem);
    }

    /** The site's files exist, come from this authority, name its address and are not about to expire. */
    private boolean current(LabSite site, Authority authority) throws IOException {
        if (!present(site)) {
            return false;
        }
        Path folder = site.migrationTlsDirectory();
        if (!Files.readString(folder.resolve(CA_CERTIFICATE), StandardCharsets.US_ASCII).equals(authority.pem())) {
            return false;
        }
        Instant renewal = clock.instant().plus(RENEW_BEFORE);
        for (String file : List.of(SERVER_CERTIFICATE, CLIENT_CERTIFICATE)) {
            try {
                X509Certificate certificate = certificate(Files.readString(folder.resolve(file),
                        StandardCharsets.US_ASCII));
                certificate.verify(authority.certificate().getPublicKey());
                if (certificate.getNotAfter().toInstant().isBefore(renewal)
                        || !namesAddress(certificate, site.publicAddress())) {
                    return false;
                }
            } catch (GeneralSecurityException | IOException | IllegalArgumentException e) {
                return false; // unreadable or not this authority's: issued again
            }
        }
        return true;
    }

    private static boolean namesAddress(X509Certificate certificate, String address)
            throws GeneralSecurityException {
        Collection<List<?>> names = certificate.getSubjectAlternativeNames();
        return names != null && names.stream().anyMatch(name -> Objects.equals(name.get(0), GeneralName.iPAddress)
                && address.equals(name.get(1)));
    }

    private void issue(LabSite site, Authority authority)
            throws IOException, GeneralSecurityException, OperatorCreationException {
        Path folder = privateFolder(site.migrationTlsDirectory());
        // Written as pairs, key before certificate, and the authority last: present() is false until all are there.
        Files.deleteIfExists(folder.resolve(CA_CERTIFICATE));
        leaf(site, authority, KeyPurposeId.id_kp_serverAuth, "server", folder.resolve(SERVER_KEY),
                folder.resolve(SERVER_CERTIFICATE));
        leaf(site, authority, KeyPurposeId.id_kp_clientAuth, "client", folder.resolve(CLIENT_KEY),
                folder.resolve(CLIENT_CERTIFICATE));
        writePublic(folder.resolve(CA_CERTIFICATE), authority.pem());
    }

    private void leaf(LabSite site, Authority authority, KeyPurposeId purpose, String role, Path keyFile,
            Path certificateFile) throws IOException, GeneralSecurityException, OperatorCreationException {
        KeyPair keys = keyPair();
        Instant now = clock.instant();
        // The WAN address as common name too: older TLS stacks match only the common name.
        X500Name subject = new X500Name("CN=" + site.publicAddress() + ",OU=" + role + ",O=LivCloud lab site "
                + site.name());
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(authority.certificate(), serial(),
                Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(purpose));
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                new GeneralName(GeneralName.iPAddress, site.publicAddress())));
        X509Certificate certificate = signed(builder, authority.key());
        writePrivate(keyFile, pkcs8(keys));
        writePublic(certificateFile, pem(certificate));
    }

    private KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), random);
        return generator.generateKeyPair();
    }

    private BigInteger serial() {
        return new BigInteger(120, random).setBit(0);
    }

    private static X509Certificate signed(JcaX509v3CertificateBuilder builder, PrivateKey issuerKey)
            throws OperatorCreationException, GeneralSecurityException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(issuerKey));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static X509Certificate certificate(String pem) throws GeneralSecurityException {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey privateKey(String pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (parsed instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException("no private key in it");
        }
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /**
     * PKCS#8 with the public key inside the EC private key structure. The JDK leaves that optional field out, and
     * GnuTLS 3.7 (QEMU's TLS library on Debian 12) then refuses the key ("ASN1 parser: Element was not found").
     */
    private static String pkcs8(KeyPair keys) throws IOException {
        SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
        ECPrivateKey privateKey = (ECPrivateKey) keys.getPrivate();
        var structure = new org.bouncycastle.asn1.sec.ECPrivateKey(privateKey.getParams().getOrder().bitLength(),
                privateKey.getS(), publicKey.getPublicKeyData(), null);
        return pem(new PemObject("PRIVATE KEY", new PrivateKeyInfo(publicKey.getAlgorithm(), structure).getEncoded()));
    }

    private static Path privateFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        return folder;
    }

    /** Created with mode 0600 before a byte is written, then moved into place: never readable by others. */
    private static void writePrivate(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void writePublic(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
