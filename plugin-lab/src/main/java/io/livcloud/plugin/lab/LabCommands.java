package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.CommandResult;
import io.livcloud.spi.ExtensionException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How the lab's network and its libvirtds run their short commands ({@code ip}, {@code tc}, {@code useradd}): one
 * timeout, and a failure worded the same way wherever it happens, naming the command and what it printed.
 */
final class LabCommands {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_LINES = 20;

    private final LabHost host;

    LabCommands(LabHost host) {
        this.host = requireNonNull(host, "host is null");
    }

    /**
     * Runs a command that must succeed.
     *
     * @throws ExtensionException {@link LabErrorCode#COMMAND_FAILED} naming the command and its output
     */
    void must(List<String> command) {
        run(command).ifPresent(failure -> {
            throw new ExtensionException(LabErrorCode.COMMAND_FAILED, failure,
                    "run the command by hand as root to see why; what the lab created so far is torn down by"
                            + " tearing the site down");
        });
    }

    /** Runs a command; why it failed, or empty. Teardown records the reason instead of throwing. */
    Optional<String> run(List<String> command) {
        CommandResult result = host.run(command, COMMAND_TIMEOUT);
        if (result.succeeded()) {
            return Optional.empty();
        }
        return Optional.of(String.join(" ", command) + (result.timedOut()
                ? " did not finish within " + COMMAND_TIMEOUT.toSeconds() + " s"
                : " failed with exit code " + result.exitCode()) + ": " + result.output().strip());
    }

    /** The last lines of a program's output or log, short enough for an error message. */
    static String lastLines(String text) {
        List<String> lines = text.strip().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
    }
}
