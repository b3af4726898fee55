package io.livcloud.cli;

import picocli.CommandLine.Option;

/** {@code -o/--output text|json}, for every command whose output is data. */
public final class OutputOption {

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    public boolean json() {
        return format == OutputFormat.json;
    }
}
