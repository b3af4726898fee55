package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.cloud.CloudTags;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.provider.TeardownReport.Leftover;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes the sites {@link AzureSiteProvisioner} built: a site's own resource group whole, or in a shared group exactly
 * the resources tagged for the site, dependents first, and lists what is left. A group or resource with the site's
 * name but not its tags is never deleted.
 */
final class AzureSiteTeardown {

    private final AzureConfig config;
    private final AzureFacade azure;

    AzureSiteTeardown(AzureConfig config, AzureFacade azure) {
        this.config = requireNonNull(config, "config is null");
        this.azure = requireNonNull(azure, "azure is null");
    }

    /**
     * Removes the site: its own resource group whole, or in a shared group the resources tagged for it. Idempotent;
     * a resource that cannot be deleted is listed with the reason, the others are still deleted.
     */
    TeardownReport tearDown(String siteName, boolean dryRun) {
        SiteNames names = SiteNames.of(siteName, config.resourceGroup());
        try {
            Optional<AzureFacade.ResourceGroup> group = azure.resourceGroup(names.group());
            if (group.isEmpty()) {
                return new TeardownReport(siteName, dryRun, List.of(), List.of());
            }
            List<AzureResource> present = azure.resources(names.group());
            if (names.groupPerSite() && CloudTags.createdFor(group.get().tags(), siteName)) {
                return tearDownGroup(names, present, dryRun);
            }
            return tearDownTagged(names, present, dryRun);
        } catch (AzureCallException e) {
            throw AzureErrors.translate(e);
        }
    }

    private TeardownReport tearDownGroup(SiteNames names, List<AzureResource> present, boolean dryRun) {
        List<String> removed = new ArrayList<>(present.stream().map(AzureResource::displayName).toList());
        removed.add("resourceGroups/" + names.group());
        if (dryRun) {
            return new TeardownReport(names.site(), true, removed, List.of());
        }
        try {
            azure.deleteResourceGroup(names.group());
        } catch (AzureCallException e) {
            ExtensionException why = AzureErrors.translate(e);
            return new TeardownReport(names.site(), false, List.of(), List.of(new Leftover(
                    "resourceGroups/" + names.group(), why.getMessage() + "; " + why.remedy())));
        }
        List<Leftover> leftovers = azure.resourceGroup(names.group()).isPresent()
                ? List.of(new Leftover("resourceGroups/" + names.group(), "still present after Azure reported the"
                        + " deletion finished; run the teardown again"))
                : List.of();
        return new TeardownReport(names.site(), false, removed, leftovers);
    }

    private TeardownReport tearDownTagged(SiteNames names, List<AzureResource> present, boolean dryRun) {
        List<AzureResource> ours = present.stream()
                .filter(resource -> resource.kind().isPresent() && CloudTags.createdFor(resource.tags(), names.site()))
                .sorted(Comparator.comparing(resource -> resource.kind().orElseThrow()))
                .toList();
        List<String> removed = new ArrayList<>();
        List<Leftover> leftovers = new ArrayList<>();
        for (AzureResource resource : ours) {
            if (dryRun) {
                removed.add(resource.displayName());
                continue;
            }
            try {
                azure.delete(resource.kind().orElseThrow(), names.group(), resource.name());
                removed.add(resource.displayName());
            } catch (AzureCallException e) {
                ExtensionException why = AzureErrors.translate(e);
                leftovers.add(new Leftover(resource.displayName(), why.getMessage() + "; " + why.remedy()));
            }
        }
        if (!dryRun) {
            // What Azure still lists: a resource whose deletion failed, or the OS disk if Azure kept it after all.
            Set<String> reported = new LinkedHashSet<>(leftovers.stream().map(Leftover::resource).toList());
            for (AzureResource resource : azure.resources(names.group())) {
                boolean belongs = CloudTags.createdFor(resource.tags(), names.site())
                        || resource.name().equals(names.osDisk());
                if (belongs && reported.add(resource.displayName())) {
                    leftovers.add(new Leftover(resource.displayName(), "still present after the teardown; delete it"
                            + " in the Azure portal or run the teardown again"));
                }
            }
        }
        return new TeardownReport(names.site(), dryRun, removed, leftovers);
    }
}
