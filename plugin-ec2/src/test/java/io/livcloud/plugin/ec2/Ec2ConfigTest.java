package io.livcloud.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.testing.FakeExtensionConfig;
import io.livcloud.testing.plugin.ReferenceConf;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Ec2ConfigTest {

    /** The section as reference.conf fills it. */
    static FakeExtensionConfig section() {
        return ReferenceConf.defaults(new Ec2CloudProviderFactory());
    }

    static Ec2Config defaults() {
        return Ec2Config.from(section());
    }

    static Ec2Config withBootstrapTimeout(Ec2Config config, Duration timeout) {
        return new Ec2Config(config.region(), config.profile(), config.endpointOverride(), config.instanceType(),
                config.imageId(), config.operatorCidr(), config.sshUser(), config.sshKey(), timeout,
                config.maxAttempts());
    }

    @Test
    void theDeclaredSettingsAndReferenceConfAgree() {
        ReferenceConf.of(new Ec2CloudProviderFactory(), Ec2Config.SETTINGS).assertAgrees();
    }

    @Test
    void referenceDefaultsLeaveRegionAndCredentialsToTheSdk() {
        Ec2Config config = defaults();
        assertThat(config.region()).isEmpty();
        assertThat(config.profile()).isEmpty();
        assertThat(config.endpointOverride()).isEmpty();
        assertThat(config.instanceType()).isEqualTo("c8i.large");
        assertThat(config.sshUser()).isEqualTo("admin");
        assertThat(config.sshKey()).isEmpty();
        assertThat(config.bootstrapTimeout()).isEqualTo(Duration.ofMinutes(20));
        assertThat(config.maxAttempts()).isEqualTo(5);
    }

    @Test
    void readsEverySetting() {
        Ec2Config config = Ec2Config.from(section().with("region", "eu-west-1").with("profile", "livcloud")
                .with("endpoint-override", "http://localhost:8080").with("image-id", "ami-0123456789abcdef0")
                .with("operator-cidr", "198.51.100.7/32").with("ssh-key", "/keys/id_rsa"));
        assertThat(config.region()).isEqualTo("eu-west-1");
        assertThat(config.profile()).isEqualTo("livcloud");
        assertThat(config.endpointOverride()).isEqualTo(Optional.of(URI.create("http://localhost:8080")));
        assertThat(config.imageId()).isEqualTo("ami-0123456789abcdef0");
        assertThat(config.operatorCidr()).isEqualTo("198.51.100.7/32");
        assertThat(config.sshKey()).hasValueSatisfying(path -> assertThat(path.toString()).isEqualTo("/keys/id_rsa"));
    }

    @Test
    void badValuesNameTheKeyTheOriginAndTheFix() {
        assertInvalid(section().with("region", "Ireland"), "livcloud.extensions.provider.ec2.region"
                + " (livcloud.conf:1) is 'Ireland', not a region name", "eu-west-1");
        assertInvalid(section().with("endpoint-override", "localhost:8080"), "endpoint-override", "https://");
        assertInvalid(section().with("instance-type", "large"), "instance-type (livcloud.conf:1) is 'large'",
                "c8i.large");
        assertInvalid(section().with("image-id", "debian-12"), "image-id", "ami-0123456789abcdef0");
        assertInvalid(section().with("operator-cidr", "198.51.100.7/24"), "has host bits set", "198.51.100.7/32");
        assertInvalid(section().with("ssh-user", "Admin User"), "ssh-user", "admin");
        assertInvalid(section().with("bootstrap-timeout", Duration.ofSeconds(-1)), "bootstrap-timeout (livcloud.conf:1) is negative",
                "20m");
    }

    private static void assertInvalid(FakeExtensionConfig section, String message, String remedy) {
        assertThatThrownBy(() -> Ec2Config.from(section)).isInstanceOfSatisfying(ExtensionException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.INVALID_SETTING);
            assertThat(e.getMessage()).contains(message);
            assertThat(e.remedy()).contains(remedy);
        });
    }
}
