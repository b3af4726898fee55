package io.livcloud.cli;

/** The exit codes of {@code livcloud}, documented in {@code livcloud --help} and the README. */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** A command failed; the message says why. */
    static final int FAILURE = 1;
    /** The command line is wrong (unknown command or option, missing argument). */
    static final int USAGE = 2;
    /** The configuration is invalid. */
    static final int INVALID_CONFIGURATION = 3;
    /** A plugin failed to load or start. */
    static final int PLUGIN_FAILURE = 4;

    private ExitCodes() {
    }
}
