package io.livcloud.plugin.toolkit.cloud;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The tags on every cloud resource LivCloud creates. Teardown deletes a resource only when it carries both
 * {@link #SITE} with the site's name and {@link #CREATED_BY} with {@link #CREATED_BY_VALUE}: a resource the user made
 * and merely lent to a site (an existing VPC, a resource group) has no {@code created-by} tag and is left alone.
 */
public final class CloudTags {

    /** The site a resource belongs to; its value is the site's name. */
    public static final String SITE = "livcloud:site";
    /** Marks resources LivCloud created (and so may delete); its value is {@link #CREATED_BY_VALUE}. */
    public static final String CREATED_BY = "livcloud:created-by";
    /** The value of {@link #CREATED_BY}. */
    public static final String CREATED_BY_VALUE = "livcloud";
    /** What a resource is for in its site, e.g. {@code gateway}, {@code vpc}; informative, never used to decide. */
    public static final String ROLE = "livcloud:role";
    /** The name clouds show in their consoles. */
    public static final String NAME = "Name";

    private CloudTags() {
    }

    /**
     * The tags of a resource LivCloud creates for a site, in a stable order.
     *
     * @param siteName the site
     * @param role what the resource is for, e.g. {@code gateway}; also makes the {@link #NAME} {@code livcloud-<site>-<role>}
     */
    public static Map<String, String> forResource(String siteName, String role) {
        Objects.requireNonNull(siteName, "siteName is null");
        Objects.requireNonNull(role, "role is null");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(SITE, siteName);
        tags.put(CREATED_BY, CREATED_BY_VALUE);
        tags.put(ROLE, role);
        tags.put(NAME, "livcloud-" + siteName + "-" + role);
        return tags;
    }

    /** Whether these tags say LivCloud created the resource for this site (so teardown may delete it). */
    public static boolean createdFor(Map<String, String> tags, String siteName) {
        return siteName.equals(tags.get(SITE)) && CREATED_BY_VALUE.equals(tags.get(CREATED_BY));
    }
}
