package io.livcloud.spi.provider;

import java.util.List;
import java.util.Objects;

/**
 * What {@link CloudProvider#tearDown} removed and what it could not.
 *
 * @param siteName the site
 * @param dryRun whether nothing was actually removed
 * @param removed resource identifiers removed (or, in a dry run, that would be), in the order handled
 * @param leftovers resources that could not be removed, each with the reason; empty when the site is gone
 */
public record TeardownReport(String siteName, boolean dryRun, List<String> removed, List<Leftover> leftovers) {

    public TeardownReport {
        Objects.requireNonNull(siteName, "siteName is null");
        removed = List.copyOf(removed);
        leftovers = List.copyOf(leftovers);
    }

    /** Whether everything tagged for the site is gone (always false for a dry run that found something). */
    public boolean complete() {
        return leftovers.isEmpty() && !(dryRun && !removed.isEmpty());
    }

    /**
     * A resource that could not be removed.
     *
     * @param resource the cloud's identifier
     * @param reason why, and what to do about it
     */
    public record Leftover(String resource, String reason) {
        public Leftover {
            Objects.requireNonNull(resource, "resource is null");
            Objects.requireNonNull(reason, "reason is null");
        }
    }
}
