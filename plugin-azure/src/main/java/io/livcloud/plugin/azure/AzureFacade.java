package io.livcloud.plugin.azure;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The few Azure Resource Manager operations the plugin uses, in plugin terms: no SDK type crosses this interface, so
 * the provisioner is tested against a hand-written fake and {@link SdkAzureFacade} against a stub of Azure's REST API.
 *
 * <p>Every method throws {@link AzureCallException} when Azure refuses or cannot be reached; long-running operations
 * return once Azure reports them finished. Names are within the subscription the facade was made for.
 */
interface AzureFacade extends AutoCloseable {

    /** A resource group with its location and tags. */
    record ResourceGroup(String name, String location, Map<String, String> tags) {
        public ResourceGroup {
            tags = Map.copyOf(tags);
        }
    }

    /**
     * Whether Azure offers a VM size in a location to this subscription.
     *
     * @param offered whether the size exists in the location at all
     * @param restrictions why the subscription cannot use it there (Azure's reason codes with their scope, e.g.
     *     "NotAvailableForSubscription in location westeurope"); empty when it can
     */
    record SizeOffer(boolean offered, List<String> restrictions) {
        public SizeOffer {
            restrictions = List.copyOf(restrictions);
        }

        boolean usable() {
            return offered && restrictions.isEmpty();
        }
    }

    /** The group, if it exists. */
    Optional<ResourceGroup> resourceGroup(String name);

    /** The groups that carry the tag (any value). */
    List<ResourceGroup> resourceGroupsTagged(String tagName);

    /** Creates the group, or updates its tags when it exists. */
    void createResourceGroup(String name, String location, Map<String, String> tags);

    /** Deletes the group and everything in it; nothing happens when it does not exist. */
    void deleteResourceGroup(String name);

    /** Every resource in the group, of any type, with its tags. */
    List<AzureResource> resources(String group);

    /** The resource, if it exists, with its facts (see {@link AzureResource}'s keys). */
    Optional<AzureResource> get(ResourceKind kind, String group, String name);

    /** Creates the resource, or brings an existing one with that name up to the request (Azure's PUT). */
    AzureResource createOrUpdate(String group, ResourceRequest request);

    /** Deletes the resource; nothing happens when it does not exist. */
    void delete(ResourceKind kind, String group, String name);

    /** Whether the subscription can have VMs of this size in this location. */
    SizeOffer sizeOffer(String location, String size);

    /** Releases the HTTP client; never throws. */
    @Override
    void close();
}
