package io.livcloud.labtools;

import io.livcloud.cli.OutputOption;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every {@code livcloud bench} command takes. */
final class BenchOptions {

    @Option(names = "--from", defaultValue = "a", paramLabel = "SITE", description = "The lab site migrations start"
            + " at and iperf3 sends from (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--to", defaultValue = "b", paramLabel = "SITE", description = "The lab site they go to (default:"
            + " ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N", description = "How many times each figure is"
            + " measured: migrations per rate and variant, iperf3 measurements per path, control-plane commands"
            + " (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--seconds", defaultValue = "3", paramLabel = "S", description = "Length of each iperf3"
            + " measurement (default: ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--output-dir", paramLabel = "DIR", description = "Also write bench.md, bench.json (schema "
            + "livcloud-bench/1) and bench.svg there; created if missing.")
    Path outputDirectory;

    @Option(names = "--down", description = "Take the lab (and the tunnel) down at the end.")
    boolean down;

    @Mixin
    OutputOption output;
}
