package io.livcloud.cli.config;

import io.livcloud.LivCloud;
import io.livcloud.cli.ExitCodes;
import io.livcloud.cli.Json;
import io.livcloud.cli.LivCloudCli;
import io.livcloud.cli.OutputOption;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code livcloud config}: check and show the effective configuration. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Check or show the effective configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Show.class})
public final class ConfigCommand {

    @ParentCommand
    LivCloudCli cli;

    /** {@code livcloud config check}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate the configuration against the installed plugins and list every problem "
                    + "(file:line, key, fix).", "Exit code 3 if there is any problem."})
    public static final class Check implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Spec
        CommandSpec spec;

        @Mixin

        OutputOption output;

        @Override
        public Integer call() {
            try (LivCloud livCloud = config.cli.open(true)) {
                List<String> problems = livCloud.problems();
                PrintWriter out = spec.commandLine().getOut();
                if (output.json()) {
                    Map<String, Object> document = new LinkedHashMap<>();
                    document.put("valid", problems.isEmpty());
                    document.put("sources", livCloud.configurationSources());
                    document.put("problems", problems);
                    out.println(Json.write(document));
                } else if (problems.isEmpty()) {
                    out.println("Configuration is valid.");
                    livCloud.configurationSources().forEach(source -> out.println("  from " + source));
                } else {
                    out.println("Configuration has " + problems.size()
                            + (problems.size() == 1 ? " problem:" : " problems:"));
                    problems.forEach(problem -> out.println("  - " + problem));
                }
                out.flush();
                return problems.isEmpty() ? ExitCodes.OK : ExitCodes.INVALID_CONFIGURATION;
            }
        }
    }

    /** {@code livcloud config show}. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print the effective configuration (defaults, plugins' defaults, file, overrides); "
                    + "secrets are shown as ******.")
    public static final class Show implements Callable<Integer> {

        @ParentCommand
        ConfigCommand config;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try (LivCloud livCloud = config.cli.open(true)) {
                spec.commandLine().getOut().println(livCloud.renderConfiguration());
                spec.commandLine().getOut().flush();
                return livCloud.problems().isEmpty() ? ExitCodes.OK : ExitCodes.INVALID_CONFIGURATION;
            }
        }
    }
}
