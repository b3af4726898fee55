package io.livcloud.spi.host;

import java.util.Objects;

/**
 * How a {@link HostCommand} ended.
 *
 * @param exitCode the program's exit code; {@link #TIMED_OUT} when it was killed at its timeout
 * @param stdout what it wrote on standard output (UTF-8)
 * @param stderr what it wrote on standard error (UTF-8)
 */
public record CommandResult(int exitCode, String stdout, String stderr) {

    /** The exit code of a command killed at its timeout. */
    public static final int TIMED_OUT = -1;

    public CommandResult {
        Objects.requireNonNull(stdout, "stdout is null");
        Objects.requireNonNull(stderr, "stderr is null");
    }

    /** Exit code 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Killed at its timeout. */
    public boolean timedOut() {
        return exitCode == TIMED_OUT;
    }

    /** Standard output and error together, trimmed, for a message. */
    public String output() {
        String both = stdout.isBlank() ? stderr : stderr.isBlank() ? stdout : stdout.strip() + "\n" + stderr;
        return both.strip();
    }
}
