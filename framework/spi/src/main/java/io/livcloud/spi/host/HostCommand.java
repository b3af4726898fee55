package io.livcloud.spi.host;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A program to run on a host, to its end: its argument vector (never a shell line, so no argument is ever re-parsed),
 * what it reads on standard input, and how long it may take before it is killed.
 *
 * @param argv the program and its arguments; never empty
 * @param stdin the bytes the program reads on standard input (empty: it reads end of file at once)
 * @param timeout how long it may run; positive
 */
public record HostCommand(List<String> argv, byte[] stdin, Duration timeout) {

    public HostCommand {
        argv = List.copyOf(argv);
        stdin = Objects.requireNonNull(stdin, "stdin is null").clone();
        Objects.requireNonNull(timeout, "timeout is null");
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command needs a program");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout of '" + argv.get(0) + "' must be positive: " + timeout);
        }
    }

    /** A command that reads nothing. */
    public static HostCommand of(Duration timeout, String... argv) {
        return new HostCommand(List.of(argv), new byte[0], timeout);
    }

    /** A command that reads nothing. */
    public static HostCommand of(Duration timeout, List<String> argv) {
        return new HostCommand(argv, new byte[0], timeout);
    }

    /** This command reading {@code input} on standard input. */
    public HostCommand withStdin(byte[] input) {
        return new HostCommand(argv, input, timeout);
    }

    /** The program's name as messages show it (its first word, without folders). */
    public String program() {
        String first = argv.get(0);
        return first.substring(first.lastIndexOf('/') + 1);
    }

    /** The command line as one readable line, for messages (not for a shell). */
    public String display() {
        return String.join(" ", argv);
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostCommand command && argv.equals(command.argv)
                && Arrays.equals(stdin, command.stdin) && timeout.equals(command.timeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(argv, Arrays.hashCode(stdin), timeout);
    }

    @Override
    public String toString() {
        return "HostCommand[" + display() + ", " + stdin.length + " bytes in, timeout " + timeout + "]";
    }
}
