package io.livcloud.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command group as another jar would add one (listed in this module's test META-INF/services). */
public final class GreetCommands implements CommandGroup {

    @Override
    public List<Object> commands() {
        return List.of(new Greet());
    }

    @Command(name = "greet", mixinStandardHelpOptions = true, description = "A command another jar adds.")
    static final class Greet implements Callable<Integer> {

        @ParentCommand
        LivCloudCli cli;

        @Spec
        CommandSpec spec;

        @Option(names = "--name", required = true)
        String name;

        @Override
        public Integer call() {
            // The parent is injected, so an added command reaches the installation like a built-in one.
            spec.commandLine().getOut().println("hello " + name + ", from " + cli.home().orElseThrow());
            return ExitCodes.OK;
        }
    }
}
