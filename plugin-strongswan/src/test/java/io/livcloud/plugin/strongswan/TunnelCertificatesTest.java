package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.core.host.FileSecretStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TunnelCertificatesTest {

    private static final Map<String, String> IDENTITIES = Map.of("a", "198.51.100.1", "b", "b.sites.livcloud");

    @TempDir
    Path directory;

    @Test
    void eachGatewayGetsACertificateForItsIdentityFromTheTunnelsOwnAuthority() throws Exception {
        FileSecretStore secrets = new FileSecretStore(directory.resolve("secrets"));
        TunnelCertificates certificates = new TunnelCertificates(directory.resolve("certs"), secrets,
                Clock.systemUTC());

        Map<String, TunnelCertificates.Credentials> issued = certificates.forTunnel("a-b", IDENTITIES);

        X509Certificate authority = parse(issued.get("a").authorityPem());
        X509Certificate a = parse(issued.get("a").certificatePem());
        X509Certificate b = parse(issued.get("b").certificatePem());
        assertThat(authority.getBasicConstraints()).as("a CA").isGreaterThanOrEqualTo(0);
        assertThat(authority.getSubjectX500Principal().getName()).contains("LivCloud tunnel a-b CA");
        assertThat(((ECPublicKey) authority.getPublicKey()).getParams().getCurve().getField().getFieldSize())
                .isEqualTo(384);
        a.verify(authority.getPublicKey());
        b.verify(authority.getPublicKey());
        assertThat(a.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(a.getSubjectAlternativeNames()).as("an address identity: an iPAddress name")
                .containsExactly(List.of(7, "198.51.100.1"));
        assertThat(b.getSubjectAlternativeNames()).as("a DNS identity").containsExactly(List.of(2, "b.sites.livcloud"));
        assertThat(a.getSigAlgName()).isEqualTo("SHA384withECDSA");
        assertThat(issued.get("b").privateKeyPem().reveal()).startsWith("-----BEGIN PRIVATE KEY-----");

        assertThat(certificates.forTunnel("a-b", IDENTITIES)).as("issued once").isEqualTo(issued);
        try (var files = Files.list(directory.resolve("certs/a-b"))) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .as("public certificates only; the authority's key was never kept")
                    .containsExactlyInAnyOrder("ca.pem", "a.pem", "b.pem");
        }
        assertThat(secrets.get("tunnel.a-b.a.key")).isPresent();

        certificates.forget("a-b", List.of("a", "b"));
        assertThat(directory.resolve("certs/a-b")).doesNotExist();
        assertThat(secrets.get("tunnel.a-b.a.key")).isEmpty();
    }

    private static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }
}
