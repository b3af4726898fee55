package io.livcloud.cli;

/** The exit codes of {@code livcloud}, documented in {@code livcloud --help} and the README. */
public final class ExitCodes {

    /** Done. */
    public static final int OK = 0;
    /** A command failed; the message says why. */
    public static final int FAILURE = 1;
    /** The command line is wrong (unknown command or option, missing argument). */
    public static final int USAGE = 2;
    /** The configuration is invalid. */
    public static final int INVALID_CONFIGURATION = 3;
    /** A plugin failed to load or start. */
    public static final int PLUGIN_FAILURE = 4;

    private ExitCodes() {
    }
}
