package io.livcloud.cli;

/** How a command that prints data prints it. */
public enum OutputFormat {
    /** For people. */
    text,
    /** For scripts: one JSON document on standard output. */
    json
}
