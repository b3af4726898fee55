package io.livcloud.labtools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.LivCloudException;
import io.livcloud.engine.EnginePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSettingsTest {

    @Test
    void theDefaultsAreValid() {
        BenchSettings settings = BenchSettings.of(options(), migration());

        assertThat(settings.rates()).containsExactly(0, 10, 50, 200);
        assertThat(settings.watchdog()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.runs()).isEqualTo(3);
        assertThat(settings.variants()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceEachNamingItsOption(@TempDir Path directory) throws Exception {
        BenchOptions options = options();
        options.to = "a";
        options.runs = 0;
        options.seconds = 0;
        options.outputDirectory = Files.writeString(directory.resolve("a-file"), "");
        MigrationOptions migration = migration();
        migration.rates = "0,fast,10,10,5000";
        migration.watchdog = "soon";
        migration.variants = List.of("no-equals", "LivCloud=--multifd 2", "x=--multifd two", "ok=--multifd 4");

        assertThatThrownBy(() -> BenchSettings.of(options, migration))
                .isInstanceOf(LivCloudException.class)
                .hasMessageContaining("--from and --to are both 'a'")
                .hasMessageContaining("--runs is 0")
                .hasMessageContaining("--seconds is 0")
                .hasMessageContaining("--output-dir " + directory.resolve("a-file") + " is a file")
                .hasMessageContaining("--rates has 'fast'")
                .hasMessageContaining("--rates has 10 twice")
                .hasMessageContaining("--rates has 5000")
                .hasMessageContaining("--watchdog 'soon' is not a duration")
                .hasMessageContaining("--variant 'no-equals' has no '='")
                .hasMessageContaining("--variant name 'LivCloud' is taken")
                .hasMessageContaining("--variant x: ")
                .satisfies(failure -> assertThat(((LivCloudException) failure).remedy())
                        .isEqualTo("see livcloud bench --help"));
    }

    @Test
    void watchdogTakesShortFormsAndIsoAndRefusesTheAbsurd() {
        List<String> problems = new ArrayList<>();
        assertThat(BenchSettings.watchdog("90", problems)).isEqualTo(Duration.ofSeconds(90));
        assertThat(BenchSettings.watchdog("45s", problems)).isEqualTo(Duration.ofSeconds(45));
        assertThat(BenchSettings.watchdog("2m", problems)).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchSettings.watchdog("3min", problems)).isEqualTo(Duration.ofMinutes(3));
        assertThat(BenchSettings.watchdog("PT1M30S", problems)).isEqualTo(Duration.ofSeconds(90));
        assertThat(problems).isEmpty();

        BenchSettings.watchdog("500ms", problems);
        BenchSettings.watchdog("2h", problems);
        assertThat(problems).hasSize(2).allMatch(problem -> problem.contains("is outside 5 s to 60 min"));
    }

    @Test
    void aVariantsPolicyOptionsAreParsedAsMigrateParsesThem() {
        MigrationOptions migration = migration();
        migration.variants = List.of("multifd4=--multifd 4 --downtime-ms 100");

        BenchSettings.Variant variant = BenchSettings.of(options(), migration).variants().get(0);

        assertThat(variant.name()).isEqualTo("multifd4");
        EnginePolicy policy = variant.policy().over(EnginePolicy.defaults());
        assertThat(policy.multifdChannels()).isEqualTo(4);
        assertThat(policy.downtimeTarget()).isEqualTo(Duration.ofMillis(100));
        assertThat(variant.arguments()).containsExactly("--multifd", "4", "--downtime-ms", "100");
    }

    @Test
    void aPartWithoutMigrationsIgnoresTheMigrationOptions() {
        BenchSettings settings = BenchSettings.of(options(), null);

        assertThat(settings.rates()).isEmpty();
        assertThat(settings.variants()).isEmpty();
    }

    /** The options as picocli fills them with their defaults. */
    private static BenchOptions options() {
        BenchOptions options = new BenchOptions();
        options.from = "a";
        options.to = "b";
        options.runs = 3;
        options.seconds = 3;
        return options;
    }

    private static MigrationOptions migration() {
        MigrationOptions migration = new MigrationOptions();
        migration.rates = "0,10,50,200";
        migration.watchdog = "60s";
        return migration;
    }
}
