package io.livcloud.plugin.azure;

import io.livcloud.spi.ExtensionException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Azure names of a site's resources, all derived from the site's name, so that provisioning finds what an earlier
 * (perhaps half-finished) run created and teardown finds it too.
 *
 * @param site the site's name
 * @param group the resource group: the configured one, or {@code livcloud-<site>}
 * @param groupPerSite whether the group is the site's own (created and deleted with it)
 */
record SiteNames(String site, String group, boolean groupPerSite) {

    /** Lower case words joined by dashes (the bootstrap writes it into a shell file); short enough for every name. */
    private static final Pattern SITE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final int LONGEST_SITE = 40;

    /** The subnet of the host NIC within the site's VNet. */
    static final String HOSTS_SUBNET = "hosts";

    /**
     * @param configuredGroup the provider's resource-group setting, if set
     * @throws ExtensionException {@link AzureErrorCode#INVALID_SITE_SPEC} for a name Azure or the bootstrap cannot take
     */
    static SiteNames of(String site, Optional<String> configuredGroup) {
        if (!SITE.matcher(site).matches() || site.length() > LONGEST_SITE) {
            throw new ExtensionException(AzureErrorCode.INVALID_SITE_SPEC, "site name '" + site + "' cannot name"
                    + " Azure resources", "use lower case letters, digits and dashes, starting with a letter, at most "
                    + LONGEST_SITE + " characters, e.g. azure-west");
        }
        return configuredGroup.map(group -> new SiteNames(site, group, false))
                .orElseGet(() -> new SiteNames(site, "livcloud-" + site, true));
    }

    String virtualNetwork() {
        return site + "-vnet";
    }

    String securityGroup() {
        return site + "-nsg";
    }

    String publicIp() {
        return site + "-gateway-ip";
    }

    String networkInterface() {
        return site + "-gateway-nic";
    }

    String virtualMachine() {
        return site + "-gateway";
    }

    String osDisk() {
        return site + "-gateway-osdisk";
    }
}
