package io.livcloud.labtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livcloud.LivCloudException;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.labtools.bench.BenchResults.ControlPlaneFigures;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's part of the bench, every figure from a child process started as a user starts LivCloud: the
 * installation's {@code bin/livcloud} when running from one, else the same JVM command line the launcher builds. A
 * figure from inside this already warm JVM would flatter LivCloud.
 */
final class ControlPlaneBench {

    /** What the launcher gives the JVM (bin/livcloud): the bench's children start the same way. */
    static final List<String> LAUNCHER_JVM_OPTIONS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1");
    private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(5);
    private static final ProcessRunner PROCESSES = new ProcessRunner();
    private static final Map<String, String> USER_ENVIRONMENT = userEnvironment();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> launcher;
    private final List<String> global;
    private final PrintWriter progress;

    ControlPlaneBench(LivCloudCli cli, PrintWriter progress) {
        this.launcher = launcher(cli.home());
        this.global = cli.globalArguments();
        this.progress = progress;
    }

    /** {@code <home>/bin/livcloud}, or java with the launcher's options and this JVM's class path. */
    static List<String> launcher(Optional<Path> home) {
        Optional<Path> script = home.map(directory -> directory.resolve("bin").resolve("livcloud"))
                .filter(Files::isExecutable);
        if (script.isPresent()) {
            return List.of(script.get().toString());
        }
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(LAUNCHER_JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LivCloudCli.class.getName()));
        return command;
    }

    /**
     * Measures, {@code runs} times each: {@code livcloud --version} and a bare JVM; starting LivCloud with all plugins
     * and with none; and {@code livcloud migrate} of the guest, alternating direction, each against the hypervisor's
     * own time. The guest must run idle at {@code from}; it ends where the last migration put it.
     */
    ControlPlaneFigures measure(int runs, BenchGuest guest, String from, String to) throws IOException {
        List<Double> version = new ArrayList<>();
        List<Double> jvm = new ArrayList<>();
        List<Double> pluginLoad = new ArrayList<>();
        List<Double> coreLoad = new ArrayList<>();
        int plugins = 0;
        Path empty = Files.createTempDirectory("livcloud-bench-core-");
        try {
            Path emptyConfig = Files.writeString(empty.resolve("livcloud.conf"), "");
            Path noPlugins = Files.createDirectories(empty.resolve("plugins"));
            for (int run = 0; run < runs; run++) {
                version.add(wallMillis(command(List.of(), "--version")));
                List<String> bareJvm = new ArrayList<>(List.of(java()));
                bareJvm.addAll(LAUNCHER_JVM_OPTIONS);
                bareJvm.add("-version");
                jvm.add(wallMillis(bareJvm));
                JsonNode all = json(run(command(global, "bench", "plugin-load")).output());
                pluginLoad.add(all.path("millis").asDouble());
                plugins = all.path("plugins").asInt();
                coreLoad.add(json(run(command(List.of("--config", emptyConfig.toString(), "--plugins-dir",
                        noPlugins.toString(), "--state-dir", empty.resolve("state").toString()), "bench",
                        "plugin-load")).output()).path("millis").asDouble());
            }
        } finally {
            deleteRecursively(empty);
        }
        progress.printf("bench: control plane: --version, JVM start and plugin loading measured %d times%n", runs);
        List<Double> wall = new ArrayList<>();
        List<Double> hypervisor = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            String source = guest.runsAt();
            String destination = source.equals(from) ? to : from;
            guest.prepareArrival(destination);
            long started = System.nanoTime();
            Child migrate = run(command(global, "migrate", guest.name(), "--from", source, "--to", destination,
                    "--output", "json"));
            double millis = (System.nanoTime() - started) / 1e6;
            guest.movedTo(destination);
            wall.add(millis);
            hypervisor.add(hypervisorMillis(migrate.output()));
            progress.printf("bench: control plane: livcloud migrate %s -> %s in %.0f ms%n", source, destination,
                    millis);
        }
        progress.flush();
        return new ControlPlaneFigures(shown(launcher), wall, hypervisor, version, jvm, pluginLoad, coreLoad,
                plugins);
    }

    /** The launcher as the report shows it: a class path of dozens of jars says nothing there. */
    static String shown(List<String> launcher) {
        int classPath = launcher.indexOf("-cp");
        if (classPath < 0 || classPath + 1 >= launcher.size()) {
            return String.join(" ", launcher);
        }
        List<String> shorter = new ArrayList<>(launcher);
        shorter.set(classPath + 1, "<the class path of this JVM>");
        return String.join(" ", shorter);
    }

    /** The hypervisor's own total time of the migration whose JSON lines these are, from its report. */
    private static double hypervisorMillis(String jsonLines) throws IOException {
        for (String line : jsonLines.lines().filter(line -> line.startsWith("{")).toList()) {
            JsonNode event = json(line);
            if (event.path("type").asText().equals("report") && event.path("attributes").has("json")) {
                JsonNode report = JSON.readTree(Path.of(event.path("attributes").path("json").asText()).toFile());
                if (report.path("totalTransferTimeMillis").isNumber()) {
                    return report.path("totalTransferTimeMillis").asDouble();
                }
            }
        }
        throw new LivCloudException("livcloud migrate wrote no report with the hypervisor's total time: "
                + jsonLines.strip(), "run livcloud migrate by hand to see why");
    }

    private List<String> command(List<String> options, String... arguments) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(options);
        command.addAll(List.of(arguments));
        return command;
    }

    private static double wallMillis(List<String> command) {
        long started = System.nanoTime();
        run(command);
        return (System.nanoTime() - started) / 1e6;
    }

    /**
     * What a child printed.
     *
     * @param output its standard output
     */
    private record Child(String output) {
    }

    /** Runs a child to its end; a failure is an error that names the command and shows what it said. */
    private static Child run(List<String> command) {
        CommandResult result = PROCESSES.run(HostCommand.of(CHILD_TIMEOUT, command), USER_ENVIRONMENT);
        if (result.timedOut()) {
            throw new LivCloudException(String.join(" ", command) + " did not end within "
                    + CHILD_TIMEOUT.toMinutes() + " min", "");
        }
        if (!result.succeeded()) {
            throw new LivCloudException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stdout().strip() + " " + result.stderr().strip(), "run the command by hand to see why");
        }
        return new Child(result.stdout());
    }

    /**
     * The user's own PATH and locale, over the runner's (its search path, {@code LC_ALL=C}): a child starts as the
     * user's livcloud would, and on Java 17 a JVM's default charset follows the locale. An empty {@code LC_ALL} is no
     * setting at all, so that {@code LANG} applies as it does for the user.
     */
    private static Map<String, String> userEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("LC_ALL", System.getenv().getOrDefault("LC_ALL", ""));
        String path = System.getenv("PATH");
        if (path != null) {
            environment.put("PATH", path);
        }
        return Map.copyOf(environment);
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
