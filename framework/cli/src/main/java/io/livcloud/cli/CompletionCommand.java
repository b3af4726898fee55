package io.livcloud.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code livcloud completion}: prints a bash/zsh completion script. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash (and zsh) completion script.",
                "Use: source <(livcloud completion)  or save it to /etc/bash_completion.d/livcloud"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("livcloud", root));
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
