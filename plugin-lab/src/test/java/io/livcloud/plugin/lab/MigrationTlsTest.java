package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's migration TLS material as QEMU's {@code tls-creds-x509} checks it: one authority for all sites, server and
 * client certificates for the site's WAN address with the extensions QEMU asks for, private keys readable by their
 * owner only, and new material exactly when the old no longer fits.
 */
class MigrationTlsTest {

    private static final String SERVER_AUTHENTICATION = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTHENTICATION = "1.3.6.1.5.5.7.3.2";
    /** X.509 KeyUsage bits as the JDK numbers them. */
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;

    @TempDir
    Path lab;

    private LabSite site(String name, int index) {
        return new LabSite(name, index, lab.resolve("sites").resolve(name));
    }

    @Test
    void eachSiteGetsServerAndClientCertificatesForItsWanAddressFromOneAuthority() throws Exception {
        MigrationTls tls = new MigrationTls(lab, Clock.systemUTC());
        LabSite a = site("a", 1);
        LabSite b = site("b", 2);

        assertThat(tls.ensure(a)).isTrue();
        assertThat(tls.ensure(b)).isTrue();

        assertThat(MigrationTls.present(a)).isTrue();
        X509Certificate authority = certificate(a, MigrationTls.CA_CERTIFICATE);
        assertThat(certificate(b, MigrationTls.CA_CERTIFICATE)).isEqualTo(authority);
        assertThat(authority.getBasicConstraints()).as("an authority").isGreaterThanOrEqualTo(0);
        assertThat(authority.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
        assertThat(authority.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");

        for (LabSite site : List.of(a, b)) {
            for (String file : List.of(MigrationTls.SERVER_CERTIFICATE, MigrationTls.CLIENT_CERTIFICATE)) {
                X509Certificate leaf = certificate(site, file);
                leaf.verify(authority.getPublicKey());
                assertThat(leaf.getBasicConstraints()).as("not an authority").isEqualTo(-1);
                assertThat(leaf.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
                assertThat(leaf.getKeyUsage()[KEY_ENCIPHERMENT]).isTrue();
                assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(7, site.publicAddress()));
                assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=" + site.publicAddress());
                assertThat(leaf.getExtendedKeyUsage()).containsExactly(
                        file.startsWith("server") ? SERVER_AUTHENTICATION : CLIENT_AUTHENTICATION);
            }
        }
    }

    @Test
    void privateKeysAreTheOwnersAloneAndStayInTheirFolders() throws Exception {
        MigrationTls tls = new MigrationTls(lab, Clock.systemUTC());
        LabSite a = site("a", 1);
        tls.ensure(a);

        for (String key : List.of(MigrationTls.SERVER_KEY, MigrationTls.CLIENT_KEY)) {
            Path file = a.migrationTlsDirectory().resolve(key);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            String pem = Files.readString(file, StandardCharsets.US_ASCII);
            assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
            // GnuTLS 3.7 refuses an EC key whose structure lacks the public key.
            try (PEMParser parser = new PEMParser(new StringReader(pem))) {
                PrivateKeyInfo info = (PrivateKeyInfo) parser.readObject();
                assertThat(ECPrivateKey.getInstance(info.parsePrivateKey()).getPublicKey()).as(key).isNotNull();
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(a.migrationTlsDirectory())))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                lab.resolve("migration-tls-ca").resolve("ca-key.pem")))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(a.migrationTlsDirectory())) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("the site's folder: its five files, no temporary left, not the authority's key")
                    .containsExactlyInAnyOrderElementsOf(MigrationTls.SITE_FILES);
        }
    }

    @Test
    void materialThatStillFitsIsKeptAndAMovedAddressANewAuthorityOrANearExpiryIssueItAgain() throws Exception {
        Instant now = Instant.parse("2026-11-25T00:00:00Z");
        MigrationTls tls = new MigrationTls(lab, Clock.fixed(now, ZoneOffset.UTC));
        LabSite a = site("a", 1);
        tls.ensure(a);
        byte[] first = Files.readAllBytes(a.migrationTlsDirectory().resolve(MigrationTls.SERVER_KEY));

        assertThat(tls.ensure(a)).as("nothing changed").isFalse();
        assertThat(Files.readAllBytes(a.migrationTlsDirectory().resolve(MigrationTls.SERVER_KEY))).isEqualTo(first);

        LabSite moved = site("a", 5);
        assertThat(tls.ensure(moved)).as("the site now has another WAN address").isTrue();
        assertThat(certificate(moved, MigrationTls.SERVER_CERTIFICATE).getSubjectAlternativeNames())
                .containsExactly(List.of(7, "10.99.0.6"));

        MigrationTls later = new MigrationTls(lab, Clock.fixed(now.plus(Duration.ofDays(800)), ZoneOffset.UTC));
        X509Certificate expiring = certificate(moved, MigrationTls.CA_CERTIFICATE);
        assertThat(later.ensure(moved)).as("expires within 30 days").isTrue();
        assertThat(certificate(moved, MigrationTls.CA_CERTIFICATE)).as("the authority too").isNotEqualTo(expiring);
        assertThat(certificate(moved, MigrationTls.SERVER_CERTIFICATE).getNotAfter().toInstant())
                .isAfter(now.plus(Duration.ofDays(1000)));

        X509Certificate oldAuthority = certificate(moved, MigrationTls.CA_CERTIFICATE);
        try (Stream<Path> files = Files.list(lab.resolve("migration-tls-ca"))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        assertThat(tls.ensure(moved)).as("a new authority").isTrue();
        assertThat(certificate(moved, MigrationTls.CA_CERTIFICATE)).isNotEqualTo(oldAuthority);
        certificate(moved, MigrationTls.CLIENT_CERTIFICATE)
                .verify(certificate(moved, MigrationTls.CA_CERTIFICATE).getPublicKey());
    }

    private static X509Certificate certificate(LabSite site, String file) throws Exception {
        byte[] pem = Files.readAllBytes(site.migrationTlsDirectory().resolve(file));
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    }
}
