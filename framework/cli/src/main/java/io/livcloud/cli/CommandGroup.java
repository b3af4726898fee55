package io.livcloud.cli;

import java.util.List;

/**
 * Subcommands of {@code livcloud} that live outside the CLI's module, such as the lab tools ({@code livcloud lab},
 * {@code demo}, {@code bench}). The CLI finds every implementation on its class path with {@link
 * java.util.ServiceLoader} (a {@code META-INF/services/io.livcloud.cli.CommandGroup} entry) each time it builds its
 * command line, and adds each command under {@code livcloud}; so a jar in the installation's {@code lib/} adds
 * commands, and the CLI never depends on it.
 *
 * <p>A command may declare {@code @ParentCommand LivCloudCli cli} to reach the global options and {@link
 * LivCloudCli#open(boolean)}.
 */
public interface CommandGroup {

    /**
     * New instances of picocli command objects (classes annotated with {@code @Command}, each with a distinct name that
     * no built-in command has), in the order {@code livcloud --help} lists them.
     */
    List<Object> commands();
}
