package io.livcloud.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigProblemTest {

    @Test
    void oneLineLeavingOutWhatIsUnknown() {
        assertThat(new ConfigProblem("livcloud.log-level", "must be one of off, error", "/x/livcloud.conf:3"))
                .hasToString("/x/livcloud.conf:3: livcloud.log-level: must be one of off, error");
        assertThat(new ConfigProblem("livcloud.log-level", "must be one of off, error", ""))
                .hasToString("livcloud.log-level: must be one of off, error");
        assertThat(new ConfigProblem("", "configuration file /x does not exist", ""))
                .hasToString("configuration file /x does not exist");
    }

    @Test
    void orderedByFileThenLineNumberThenPath() {
        List<ConfigProblem> problems = new ArrayList<>(List.of(
                new ConfigProblem("b", "m", "/x.conf:10"),
                new ConfigProblem("a", "m", "/x.conf:10"),
                new ConfigProblem("a", "m", "/x.conf:9"),
                new ConfigProblem("a", "m", "/a.conf:20"),
                new ConfigProblem("a", "m", "environment variable CONFIG_FORCE_livcloud_x"),
                new ConfigProblem("", "m", "")));

        problems.sort(ConfigProblem.ORDER);

        assertThat(problems).extracting(ConfigProblem::toString).containsExactly(
                "m",
                "/a.conf:20: a: m",
                "/x.conf:9: a: m",
                "/x.conf:10: a: m",
                "/x.conf:10: b: m",
                "environment variable CONFIG_FORCE_livcloud_x: a: m");
    }
}
