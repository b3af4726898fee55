package io.livcloud.plugin.lab;

import io.livcloud.spi.provider.TeardownReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one site's teardown removed (or, in a dry run, would) and what it left, in order. The lab, its network and its
 * libvirtd each add their steps, so that one report says everything the teardown touched.
 */
final class TeardownSteps {

    private final boolean dryRun;
    private final List<String> removed = new ArrayList<>();
    private final List<TeardownReport.Leftover> leftovers = new ArrayList<>();

    TeardownSteps(boolean dryRun) {
        this.dryRun = dryRun;
    }

    boolean dryRun() {
        return dryRun;
    }

    /** Runs the action unless this is a dry run; it returns why it failed, or empty. */
    void step(String resource, Supplier<Optional<String>> action) {
        if (dryRun) {
            removed.add(resource);
            return;
        }
        action.get().ifPresentOrElse(reason -> leftover(resource, reason), () -> removed.add(resource));
    }

    void leftover(String resource, String reason) {
        leftovers.add(new TeardownReport.Leftover(resource, reason));
    }

    TeardownReport report(String site) {
        return new TeardownReport(site, dryRun, removed, leftovers);
    }
}
