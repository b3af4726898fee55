package io.livcloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.engine.EnginePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code livcloud.migration.policy}: what it sets goes to the engine, what it omits keeps the default. */
class MigrationPolicyConfigurationTest {

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @Test
    void theSectionSetsThePolicyOverTheEnginesDefaults() {
        try (LivCloud livCloud = start("""
                livcloud.migration.policy {
                  downtime-target = 200ms
                  bandwidth = 64MiB
                  ladder = [raise-downtime, post-copy]
                  allow-post-copy = true
                  encrypted-path = tls
                }
                """)) {
            EnginePolicy policy = livCloud.migrationPolicy();

            assertThat(policy.downtimeTarget()).isEqualTo(Duration.ofMillis(200));
            assertThat(policy.bandwidthBytesPerSecond()).isEqualTo(64L << 20);
            assertThat(policy.ladder()).containsExactly(EnginePolicy.Rung.RAISE_DOWNTIME, EnginePolicy.Rung.POST_COPY);
            assertThat(policy.allowPostCopy()).isTrue();
            assertThat(policy.downtimeMaximum()).isEqualTo(EnginePolicy.defaults().downtimeMaximum());
            assertThat(policy.multifdChannels()).isEqualTo(2);
            assertThat(policy.encryptedPath()).isEqualTo(EnginePolicy.EncryptedPath.TLS);
        }
        try (LivCloud livCloud = start("")) {
            assertThat(livCloud.migrationPolicy()).isEqualTo(EnginePolicy.defaults());
        }
    }

    @Test
    void theReachabilityCheckAndTheStretchAreConfiguredInTheSameSection() {
        try (LivCloud livCloud = start("""
                livcloud.migration.policy {
                  stretch-segment = false
                  reachability-probe = "tcp:10.99.100.10:7"
                  reachability-from = a
                  reachability-timeout = 3s
                  client-probe-interval = 20ms
                  on-unreachable = keep
                }
                """)) {
            EnginePolicy policy = livCloud.migrationPolicy();

            assertThat(policy.stretchSegment()).isFalse();
            assertThat(policy.reachability().target()).map(Object::toString).contains("tcp:10.99.100.10:7");
            assertThat(policy.reachability().fromSite()).isEqualTo("a");
            assertThat(policy.reachability().timeout()).isEqualTo(Duration.ofSeconds(3));
            assertThat(policy.reachability().clientProbeInterval()).isEqualTo(Duration.ofMillis(20));
            assertThat(policy.reachability().onUnreachable()).isEqualTo(EnginePolicy.OnUnreachable.KEEP);
        }
        try (LivCloud livCloud = start("livcloud.migration.policy.reachability-probe = \"udp:10.99.100.10\"\n")) {
            assertThatThrownBy(livCloud::migrationPolicy)
                    .isInstanceOf(LivCloudException.class)
                    .hasMessageContaining("'udp:10.99.100.10' is not a probe")
                    .hasMessageContaining("icmp:<address> or tcp:<address>:<port>");
        }
        assertThatThrownBy(() -> start("livcloud.migration.policy.on-unreachable = ignore\n"))
                .isInstanceOfSatisfying(LivCloudStartupException.class, failure -> assertThat(failure.getProblems())
                        .anyMatch(problem -> problem.contains("on-unreachable") && problem.contains("roll-back")));
    }

    @Test
    void aMisspelledKeyIsAProblemAtStartupAndABadStepWhenRead() {
        assertThatThrownBy(() -> start("livcloud.migration.policy.downtime-targt = 200ms\n"))
                .isInstanceOfSatisfying(LivCloudStartupException.class, failure -> assertThat(failure.getProblems())
                        .anyMatch(problem -> problem.contains("livcloud.migration.policy.downtime-targt")
                                && problem.contains("downtime-target")));
        try (LivCloud livCloud = start("livcloud.migration.policy.ladder = [raise-downtime, teleport]\n")) {
            assertThatThrownBy(livCloud::migrationPolicy)
                    .isInstanceOf(LivCloudException.class)
                    .hasMessageContaining("'teleport' is not a ladder step");
        }
    }

    @Test
    void anUnknownEncryptedPathIsRefusedNamingTheKeyAndThePaths() {
        try (LivCloud livCloud = start("livcloud.migration.policy.encrypted-path = wireguard\n")) {
            assertThatThrownBy(livCloud::migrationPolicy)
                    .isInstanceOf(LivCloudException.class)
                    .hasMessageContaining("livcloud.migration.policy is invalid")
                    .hasMessageContaining("'wireguard' is not an encrypted path; the paths are auto, tunnel, tls");
        }
        try (LivCloud livCloud = start("")) {
            assertThat(livCloud.migrationPolicy().encryptedPath()).isEqualTo(EnginePolicy.EncryptedPath.AUTO);
        }
    }

    private LivCloud start(String configText) {
        return LivCloud.builder().pluginsDirectory(plugins).stateDirectory(state).configText(configText)
                .environment(Map.of("HOME", state.toString())).systemProperties(Map.of()).build();
    }
}
