package io.livcloud.labtools;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the bench's migration part. */
final class MigrationOptions {

    @Option(names = "--rates", defaultValue = "0,10,50,200", paramLabel = "MIB/S,...", description = "The guest's "
            + "dirty rates, MiB/s of its 64 MiB working set (default: ${DEFAULT-VALUE}).")
    String rates;

    @Option(names = "--watchdog", defaultValue = "60s", paramLabel = "DURATION", description = "A migration still "
            + "running after this long is aborted and counted as not converged; the same limit for the baseline and "
            + "LivCloud (default: ${DEFAULT-VALUE}; e.g. 90s, 2m, PT45S).")
    String watchdog;

    @Option(names = "--variant", paramLabel = "NAME=POLICY-OPTIONS", description = {"One more LivCloud row per rate: "
            + "a name and the policy options of livcloud migrate, e.g. --variant 'multifd4=--multifd 4' (repeatable).",
            "The row LivCloud always runs the configured policy (livcloud.migration.policy)."})
    List<String> variants = new ArrayList<>();
}
