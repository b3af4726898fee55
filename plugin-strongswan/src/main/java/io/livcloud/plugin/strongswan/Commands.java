package io.livcloud.plugin.strongswan;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs programs: to their end with a timeout, or as a daemon that outlives the call. */
final class Commands {

    /** root's programs (ip, unshare) live in sbin, which a user's PATH may lack. */
    private static final List<String> SYSTEM_FOLDERS =
            List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Commands() {
    }

    /**
     * A finished command.
     *
     * @param exitCode its exit code; -1 when it timed out or could not start
     * @param output stdout and stderr, interleaved
     */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Where a program is, searching PATH and the sbin folders. */
    static Optional<Path> find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        for (String folder : searchPath()) {
            Path candidate = Path.of(folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a command to its end, or kills it at the timeout. */
    static Result run(List<String> command, Duration timeout) {
        Path output = null;
        try {
            output = Files.createTempFile("livcloud-strongswan-", ".txt");
            Process process = builder(command, Map.of()).redirectOutput(output.toFile()).start();
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            return finished ? new Result(process.exitValue(), text)
                    : new Result(-1, text + "\n(killed after " + timeout.toSeconds() + " s)");
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", command) + ": interrupted");
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /**
     * Starts a daemon with stdout and stderr appended to a log. It stays this JVM's child (the JDK reaps it if it ends
     * while this process runs) and keeps running when this process exits.
     *
     * @return its pid
     */
    static long startDaemon(List<String> command, Map<String, String> environment, Path log) throws IOException {
        return builder(command, environment).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start()
                .pid();
    }

    private static ProcessBuilder builder(List<String> command, Map<String, String> environment) {
        List<String> resolved = new ArrayList<>(command);
        find(command.get(0)).ifPresent(program -> resolved.set(0, program.toString()));
        ProcessBuilder builder = new ProcessBuilder(resolved)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        builder.environment().put("PATH", String.join(File.pathSeparator, searchPath()));
        builder.environment().put("LC_ALL", "C");
        builder.environment().putAll(environment);
        return builder;
    }

    private static Set<String> searchPath() {
        Set<String> folders = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String folder : path.split(File.pathSeparator)) {
                if (!folder.isEmpty()) {
                    folders.add(folder);
                }
            }
        }
        folders.addAll(SYSTEM_FOLDERS);
        return folders;
    }
}
