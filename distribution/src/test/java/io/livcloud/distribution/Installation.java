package io.livcloud.distribution;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real installation archive unpacked with {@code tar}, as a user would, and its launcher run in child processes.
 * The archive comes from the build (see the failsafe configuration in pom.xml).
 */
final class Installation {

    static final String VERSION = property("test.distribution.version");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final Path unpacked;
    private final Path home;

    private Installation(Path unpacked) {
        this.unpacked = unpacked;
        this.home = unpacked.resolve("livcloud-" + VERSION);
    }

    /** Unpacks the archive into an empty directory. */
    static Installation unpack(Path into) throws Exception {
        Installation installation = new Installation(into);
        Path archive = Path.of(property("test.distribution.archive"));
        Result tar = installation.run(List.of("tar", "-xzf", archive.toString(), "-C", into.toString()), Map.of());
        assertThat(tar.exitCode()).as("tar -xzf %s: %s", archive, tar.errors()).isZero();
        return installation;
    }

    Path home() {
        return home;
    }

    Path launcher() {
        return home.resolve("bin/livcloud");
    }

    Result livcloud(String... arguments) throws Exception {
        return livcloud(List.of(), arguments);
    }

    Result livcloud(List<String> global, String... arguments) throws Exception {
        return livcloud(DEFAULT_TIMEOUT, global, arguments);
    }

    Result livcloud(Duration timeout, List<String> global, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher().toString()));
        command.addAll(global);
        command.addAll(List.of(arguments));
        return run(command, Map.of(), timeout);
    }

    Result run(List<String> command, Map<String, String> environment) throws Exception {
        return run(command, environment, DEFAULT_TIMEOUT);
    }

    /**
     * Runs a command to its end with the JVM running this test as the launcher's java and a home directory of its own,
     * so nothing the CLI keeps per user leaks between tests or into the real one; {@code environment} may override
     * that (an empty value removes the variable).
     */
    Result run(List<String> command, Map<String, String> environment, Duration timeout) throws Exception {
        Path output = Files.createTempFile(unpacked, "stdout", ".txt");
        Path errors = Files.createTempFile(unpacked, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(output.toFile())
                .redirectError(errors.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("HOME", Files.createDirectories(unpacked.resolve("user-home")).toString());
        builder.environment().remove("LIVCLOUD_JAVA_OPTS");
        environment.forEach((name, value) -> {
            if (value.isEmpty()) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                    + " s; its errors so far: " + read(errors));
        }
        return new Result(process.exitValue(), read(output), read(errors));
    }

    static Result assertSucceeds(Result result) {
        assertThat(result.exitCode()).as("%s%s", result.output(), result.errors()).isZero();
        return result;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String property(String name) {
        return requireNonNull(System.getProperty(name),
                name + " is not set: run this test with mvn verify, which builds the archive first");
    }

    /**
     * What a command printed and returned.
     *
     * @param exitCode its exit code
     * @param output its standard output
     * @param errors its standard error
     */
    record Result(int exitCode, String output, String errors) {
    }
}
