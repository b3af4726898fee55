package io.livcloud.plugin.toolkit.ssh;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An argument vector as one POSIX shell line. SSH carries a command as a single string that the remote sshd hands to
 * the user's login shell ({@code $SHELL -c <line>}); quoting every argument is what keeps {@link
 * io.livcloud.spi.host.HostCommand}'s promise that no argument is re-split or expanded. Single quotes are the one
 * POSIX quoting in which nothing is special (no {@code $}, backquote, backslash or newline handling), so the only
 * character to escape is the single quote itself: close the quote, write {@code \'}, reopen. That holds for sh, dash,
 * bash, ksh and zsh; fish and csh treat quotes differently, and are not supported as the login shell.
 */
final class PosixShell {

    /** Words that mean the same to a shell quoted or not; left bare so that logged lines stay readable. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private PosixShell() {
    }

    /** The argument as one shell word that the shell turns back into exactly {@code argument}. */
    static String quote(String argument) {
        if (argument.indexOf('\0') >= 0) {
            // A program's arguments are C strings: a NUL cannot reach it by any quoting.
            throw new IllegalArgumentException("an argument cannot hold a NUL character: "
                    + argument.replace('\0', '?'));
        }
        if (PLAIN.matcher(argument).matches()) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** The words, each quoted, separated by spaces. */
    static String commandLine(List<String> argv) {
        return argv.stream().map(PosixShell::quote).collect(Collectors.joining(" "));
    }
}
