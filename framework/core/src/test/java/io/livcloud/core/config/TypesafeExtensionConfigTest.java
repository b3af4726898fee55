package io.livcloud.core.config;

import static io.livcloud.core.config.ConfigFixtures.HOME;
import static io.livcloud.core.config.ConfigFixtures.load;
import static io.livcloud.core.config.ConfigFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypesafeExtensionConfigTest {

    @TempDir
    Path directory;

    private Path file;
    private ExtensionConfig kvm;

    @BeforeEach
    void loadKvm() {
        file = write(directory, """
                livcloud.extensions.hypervisor.kvm {
                  uri = "qemu+ssh://root@host/system"
                  connect-timeout = 1500ms
                  migration-bandwidth = 256MiB
                  parallel-connections = "4"
                  compressed = on
                  socket = "~/run/libvirt.sock"
                  cache = writeback
                  features = [postcopy, auto-converge]
                  tuning { max-downtime = 300, flags = [a, b], nested { x = true } }
                  tls.verify = false
                  password = "hunter2"
                }
                """);
        kvm = load(file).extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM);
    }

    @Test
    void typedReads() {
        assertThat(kvm.path()).isEqualTo("livcloud.extensions.hypervisor.kvm");
        assertThat(kvm.string("uri")).contains("qemu+ssh://root@host/system");
        assertThat(kvm.duration("connect-timeout")).contains(Duration.ofMillis(1500));
        assertThat(kvm.bytes("migration-bandwidth")).hasValue(256L * 1024 * 1024);
        assertThat(kvm.integer("parallel-connections")).hasValue(4);
        assertThat(kvm.bool("compressed")).contains(true);
        assertThat(kvm.bool("tls.verify")).contains(false);
        assertThat(kvm.string("cache")).contains("writeback");
        assertThat(kvm.stringList("features")).containsExactly("postcopy", "auto-converge");
        assertThat(kvm.object("tuning")).isEqualTo(Map.of(
                "max-downtime", 300,
                "flags", List.of("a", "b"),
                "nested", Map.of("x", true)));
        assertThat(kvm.secret("password").map(Secret::reveal)).contains("hunter2");
    }

    @Test
    void pathsExpandTheHomeDirectory() {
        assertThat(kvm.path("socket")).contains(Path.of(HOME, "run/libvirt.sock"));
        assertThat(kvm.string("socket")).contains("~/run/libvirt.sock");
    }

    @Test
    void absentValues() {
        ExtensionConfig empty = load(write(directory, "empty.conf", ""))
                .extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM);

        assertThat(empty.has("uri")).isFalse();
        assertThat(empty.string("uri")).isEmpty();
        assertThat(empty.integer("parallel-connections")).isEmpty();
        assertThat(empty.bytes("migration-bandwidth")).isEmpty();
        assertThat(empty.stringList("features")).isEmpty();
        assertThat(empty.object("tuning")).isEmpty();
        assertThat(empty.secret("password")).isEmpty();
        assertThat(empty.path("socket")).isEmpty();
        assertThat(empty.origin("uri")).isEmpty();
        assertThat(empty.toString()).isEqualTo("livcloud.extensions.hypervisor.kvm {}");
    }

    @Test
    void origins() {
        assertThat(kvm.has("uri")).isTrue();
        assertThat(kvm.origin("uri")).isEqualTo(file + ":2");
        assertThat(kvm.origin("tls.verify")).isEqualTo(file + ":11");
    }

    @Test
    void readingAnUndeclaredKeyThrows() {
        assertThatThrownBy(() -> kvm.string("colour"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'colour' is not a declared setting of livcloud.extensions.hypervisor.kvm; declare it in "
                        + "the extension's settings() (declared: cache, compressed, connect-timeout, features, "
                        + "migration-bandwidth, parallel-connections, password, socket, tls.verify, tuning, uri)");
        assertThatThrownBy(() -> kvm.has("colour")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> kvm.origin("colour")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readingWithTheWrongReaderThrows() {
        assertThatThrownBy(() -> kvm.integer("uri"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting 'uri' of livcloud.extensions.hypervisor.kvm is declared STRING, not read by "
                        + "integer(); read it with string()");
        assertThatThrownBy(() -> kvm.secret("uri"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting 'uri' of livcloud.extensions.hypervisor.kvm is not declared secret; read it with "
                        + "string(), or declare it secret");
    }

    @Test
    void aSecretIsReadOnlyAsASecret() {
        assertThatThrownBy(() -> kvm.string("password"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("setting 'password' of livcloud.extensions.hypervisor.kvm is secret; read it with secret()");
    }

    @Test
    void secretsNeverShow() {
        assertThat(kvm.toString())
                .isEqualTo("livcloud.extensions.hypervisor.kvm {\"cache\":\"writeback\",\"compressed\":\"on\","
                        + "\"connect-timeout\":\"1500ms\",\"features\":[\"postcopy\",\"auto-converge\"],"
                        + "\"migration-bandwidth\":\"256MiB\",\"parallel-connections\":\"4\",\"password\":\"******\","
                        + "\"socket\":\"~/run/libvirt.sock\",\"tls\":{\"verify\":false},\"tuning\":{\"flags\":[\"a\",\"b\"],"
                        + "\"max-downtime\":300,\"nested\":{\"x\":true}},\"uri\":\"qemu+ssh://root@host/system\"}")
                .doesNotContain("hunter2");
        assertThat(kvm.secret("password").orElseThrow().toString()).isEqualTo("******");
    }

    @Test
    void aValueOfTheWrongTypeNamesItsOriginWhenRead() {
        ExtensionConfig wrong = load(write(directory, "wrong.conf", """
                livcloud.extensions.hypervisor.kvm.connect-timeout = soon
                """)).extensionConfig(ExtensionKind.HYPERVISOR, "kvm", TestExtensions.KVM);

        assertThatThrownBy(() -> wrong.duration("connect-timeout"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(directory.resolve("wrong.conf") + ":1: livcloud.extensions.hypervisor.kvm.connect-timeout: "
                        + "has the wrong type for its declared DURATION setting; run livcloud config check");
    }

    @Test
    void siteConfig() {
        Path sites = write(directory, "sites.conf", """
                livcloud.sites.paris {
                  provider = aws
                  region = eu-west-3
                  session-token = "t0ken"
                }
                """);

        ExtensionConfig paris = load(sites).siteConfig("paris", TestExtensions.AWS_SITE);

        assertThat(paris.path()).isEqualTo("livcloud.sites.paris");
        assertThat(paris.string("provider")).contains("aws");
        assertThat(paris.string("region")).contains("eu-west-3");
        assertThat(paris.string("vpc")).isEmpty();
        assertThat(paris.secret("session-token").map(Secret::reveal)).contains("t0ken");
        assertThat(paris.origin("region")).isEqualTo(sites + ":3");
        assertThat(paris.toString()).doesNotContain("t0ken");
    }
}
