package io.livcloud.labtools;

import io.livcloud.cli.LivCloudCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@code livcloud} in-process with a home, a plugins folder and a state folder of the test's own. */
record CliRun(Path home, Path plugins, Path state) {

    /** What one command printed and returned. */
    record Result(int exitCode, String out, String err) {
    }

    Result run(String... arguments) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(arguments));
        all.addAll(List.of("--plugins-dir", plugins.toString(), "--state-dir", state.toString()));
        int exitCode = LivCloudCli.execute(Map.of("HOME", home.toString()), Optional.of(home), new PrintWriter(out),
                new PrintWriter(err), all.toArray(String[]::new));
        return new Result(exitCode, out.toString(), err.toString());
    }
}
