package io.livcloud.cli;

/**
 * Sets up SLF4J's simple logger before the first logger exists, at the level {@code livcloud.log-level} asks for
 * (warn by default). PF4J stays silent unless {@code --verbose}: the CLI reports plugin failures itself, one line each.
 * System properties set on the command line ({@code -Dorg.slf4j.simpleLogger...}) win.
 */
final class Logging {

    private Logging() {
    }

    static void configure(String level, boolean verbose) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", level);
        setDefault("org.slf4j.simpleLogger.log.org.pf4j", verbose ? "debug" : "off");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
