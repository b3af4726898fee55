package io.livcloud.labtools;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.cli.ExitCodes;
import io.livcloud.labtools.CliRun.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's command line: wrong options are refused before the lab is touched (no root, no lab needed here). */
class BenchCommandTest {

    @TempDir
    Path home;

    @TempDir
    Path plugins;

    @TempDir
    Path state;

    @Test
    void wrongOptionsAreAllNamedWithTheFixAndNothingStarts() {
        Result result = cli().run("bench", "migration", "--runs", "0", "--rates", "10,abc", "--watchdog", "1s");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("livcloud: the bench's options are wrong:", "  - --runs is 0",
                "  - --rates has 'abc'", "  - --watchdog 1s is outside 5 s to 60 min", "fix: see livcloud bench --help");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void benchWithoutASubcommandChecksTheSameOptions() {
        Result result = cli().run("bench", "--from", "b", "--to", "b");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("--from and --to are both 'b'");
    }

    @Test
    void aNumberThatIsNotOneIsAUsageError() {
        Result result = cli().run("bench", "tunnel", "--runs", "many");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--runs", "many");
    }

    @Test
    void sitesThatAreNotLabSitesAreRefusedWithWhatToDeclare() {
        Result result = cli().run("bench", "tunnel", "x", "y");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.FAILURE);
        assertThat(result.err()).contains("the bench needs lab sites x and y in livcloud.sites",
                "fix: declare them: livcloud.sites { x { provider = lab }");
    }

    @Test
    void helpListsThePartsButNotTheInternalProbe() {
        Result result = cli().run("bench", "--help");

        assertThat(result.out()).contains("migration", "tunnel", "control-plane", "all", "--output-dir",
                "--watchdog", "--variant").doesNotContain("plugin-load");
    }

    private CliRun cli() {
        return new CliRun(home, plugins, state);
    }
}
