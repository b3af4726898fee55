package io.livcloud.cli;

/**
 * Sets up SLF4J's simple logger before the first logger exists. By default only warnings reach standard error and
 * PF4J is silent, because the CLI reports plugin failures itself, one line each; {@code --verbose} shows everything.
 */
final class Logging {

    private Logging() {
    }

    static void configure(boolean verbose) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
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
