package io.livcloud.cli;

import io.livcloud.LivCloud;
import io.livcloud.LivCloudException;
import io.livcloud.LivCloudStartupException;
import io.livcloud.LivCloudVersion;
import io.livcloud.cli.config.ConfigCommand;
import io.livcloud.cli.migration.MigrateCommand;
import io.livcloud.cli.migration.MigrationCommands;
import io.livcloud.cli.plugins.PluginsCommand;
import io.livcloud.cli.probe.ProbeCommand;
import io.livcloud.cli.site.SiteCommand;
import io.livcloud.cli.tunnel.TunnelCommand;
import io.livcloud.core.config.ConfigSources;
import io.livcloud.spi.ExtensionException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code livcloud}: the command line. Every command is a thin client of {@link LivCloud}, the embedding API, so what
 * the CLI can do an application can do too.
 */
@Command(
        name = "livcloud",
        mixinStandardHelpOptions = true,
        versionProvider = LivCloudCli.Version.class,
        description = "Live migration of running virtual machines between clouds.",
        subcommands = {PluginsCommand.class, ConfigCommand.class, SiteCommand.class, TunnelCommand.class,
                MigrationCommands.Plan.class, MigrateCommand.class, MigrationCommands.Status.class,
                MigrationCommands.Abort.class, MigrationCommands.Resume.class, MigrationCommands.History.class,
                ProbeCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:the command failed; the message says why",
                "2:the command line is wrong",
                "3:the configuration is invalid",
                "4:a plugin failed to load or start"},
        footer = {"", "Configuration, plugins and embedding: see README.md of the distribution's source."})
public final class LivCloudCli {

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Configuration file (HOCON). Default: $LIVCLOUD_CONFIG, else <home>/conf/livcloud.conf.")
    Path configFile;

    @Option(names = "--plugins-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Plugins root (repeatable); replaces livcloud.plugins.directories.")
    List<Path> pluginDirectories = new ArrayList<>();

    @Option(names = "--state-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "State folder; replaces livcloud.state-directory.")
    Path stateDirectory;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log what happens, including PF4J's own messages, to standard error.")
    boolean verbose;

    private final Map<String, String> environment;
    private final Optional<Path> home;

    LivCloudCli(Map<String, String> environment, Optional<Path> home) {
        this.environment = Map.copyOf(environment);
        this.home = home;
    }

    public static void main(String[] args) {
        Optional<Path> home = Optional.ofNullable(System.getProperty(ConfigSources.INSTALLATION_HOME_PROPERTY)).map(Path::of);
        System.exit(commandLine(new LivCloudCli(System.getenv(), home)).execute(args));
    }

    /**
     * Runs one command line in this process, as {@code bin/livcloud} would, printing to {@code out} and {@code err};
     * for tests and tools that drive the CLI without a child process.
     *
     * @param environment the environment variables the command sees ({@code HOME}, {@code LIVCLOUD_CONFIG})
     * @param home the installation folder, or empty for none (no {@code conf/livcloud.conf} then)
     * @return the exit code
     */
    public static int execute(Map<String, String> environment, Optional<Path> home, PrintWriter out, PrintWriter err,
            String... arguments) {
        CommandLine commandLine = commandLine(new LivCloudCli(environment, home));
        commandLine.setOut(out);
        commandLine.setErr(err);
        try {
            return commandLine.execute(arguments);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The configured picocli command line, with the command groups found on the class path. */
    static CommandLine commandLine(LivCloudCli cli) {
        CommandLine commandLine = new CommandLine(cli);
        // Lab tools (livcloud lab, demo, bench) and any other group ship in their own jars: the CLI knows none of
        // them, it adds what the class path offers. Completion and help stay last in the listing.
        for (CommandGroup group : ServiceLoader.load(CommandGroup.class, LivCloudCli.class.getClassLoader())) {
            group.commands().forEach(commandLine::addSubcommand);
        }
        commandLine.addSubcommand(new CompletionCommand());
        commandLine.addSubcommand(new CommandLine.HelpCommand());
        commandLine.setExecutionExceptionHandler((failure, line, parseResult) -> handle(failure, line, cli.verbose));
        commandLine.setParameterExceptionHandler(LivCloudCli::handleUsage);
        return commandLine;
    }

    /** Opens LivCloud with this command line's options; diagnostic commands tolerate problems and report them. */
    public LivCloud open(boolean diagnostic) {
        LivCloud.Builder builder = LivCloud.builder().environment(environment);
        configFile().ifPresent(builder::configFile);
        pluginDirectories.forEach(builder::pluginsDirectory);
        if (stateDirectory != null) {
            builder.stateDirectory(stateDirectory);
        }
        home.ifPresent(builder::home);
        if (diagnostic) {
            builder.diagnosticMode();
        }
        Logging.configure(verbose ? "debug" : builder.configuredLogLevel(), verbose);
        return builder.build();
    }

    /**
     * This command line's configuration, plugins and state as options, for a child {@code livcloud} process that must
     * see the same installation (the bench spawns some).
     */
    public List<String> globalArguments() {
        List<String> arguments = new ArrayList<>();
        configFile().ifPresent(file -> arguments.addAll(List.of("--config", file.toAbsolutePath().toString())));
        pluginDirectories.forEach(directory -> arguments.addAll(List.of("--plugins-dir",
                directory.toAbsolutePath().toString())));
        if (stateDirectory != null) {
            arguments.addAll(List.of("--state-dir", stateDirectory.toAbsolutePath().toString()));
        }
        return arguments;
    }

    /** The installation this command runs from ({@code bin/livcloud} sets it), if any. */
    public Optional<Path> home() {
        return home;
    }

    private Optional<Path> configFile() {
        if (configFile != null) {
            return Optional.of(configFile);
        }
        String fromEnvironment = environment.get("LIVCLOUD_CONFIG");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(Path.of(fromEnvironment));
        }
        return home.map(directory -> directory.resolve("conf").resolve("livcloud.conf")).filter(Files::isRegularFile);
    }

    private static int handle(Exception failure, CommandLine line, boolean verbose) {
        PrintWriter err = line.getErr();
        if (failure instanceof LivCloudStartupException startup) {
            err.println("livcloud: configuration or plugins have problems:");
            startup.getProblems().forEach(problem -> err.println("  - " + problem));
            err.flush();
            return ExitCodes.INVALID_CONFIGURATION;
        }
        if (failure instanceof LivCloudException livCloud) {
            err.println("livcloud: " + livCloud.getMessage());
            if (!livCloud.remedy().isEmpty()) {
                err.println("  fix: " + livCloud.remedy());
            }
        } else if (failure instanceof ExtensionException extension) {
            // An extension's own failure (a cloud refusing a site, a tunnel's peer refusing its key): its message,
            // its code and its remedy.
            err.println("livcloud: " + extension.getMessage() + " [" + extension.errorCode().code() + "]");
            if (!extension.remedy().isEmpty()) {
                err.println("  fix: " + extension.remedy());
            }
        } else {
            err.println("livcloud: internal error: " + failure);
            err.println("  fix: run again with --verbose and report the stack trace");
        }
        if (verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.FAILURE;
    }

    private static int handleUsage(CommandLine.ParameterException failure, String[] args) {
        CommandLine line = failure.getCommandLine();
        PrintWriter err = line.getErr();
        err.println("livcloud: " + failure.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(failure, err);
        err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** {@code livcloud --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "livcloud " + LivCloudVersion.version(),
                "SPI " + LivCloudVersion.spiVersion() + ", Java " + Runtime.version()
            };
        }
    }
}
