package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The azure provider's settings ({@code livcloud.extensions.provider.azure}), checked beyond their types.
 *
 * @param subscriptionId the subscription; empty to take {@code AZURE_SUBSCRIPTION_ID} from the environment
 * @param location the default region of new sites; empty when every site names its own
 * @param cloud which Azure cloud: {@code azure}, {@code azure-china} or {@code azure-us-government}
 * @param vmSize the default VM size of a site's host
 * @param resourceGroup an existing group to create sites in; empty for one group per site, created and removed whole
 * @param operatorCidr the default for who may reach the hosts over SSH; empty when every site names its own
 * @param hostSubnet the Azure subnet the site's host NIC is in (not the VM subnet, which is routed behind the host)
 * @param image the marketplace image of the host, {@code publisher:offer:sku:version}
 * @param adminUsername the host's login user
 * @param sshKey the private key LivCloud logs in with (created when absent); empty for one in the work directory
 * @param retries how often a throttled (429) or transiently failed Azure request is retried
 */
record AzureConfig(
        Optional<String> subscriptionId,
        Optional<String> location,
        String cloud,
        String vmSize,
        Optional<String> resourceGroup,
        String operatorCidr,
        String hostSubnet,
        ResourceRequest.Image image,
        String adminUsername,
        Optional<Path> sshKey,
        int retries) {

    static final String SUBSCRIPTION_ID = "subscription-id";
    static final String LOCATION = "location";
    static final String CLOUD = "cloud";
    static final String VM_SIZE = "vm-size";
    static final String RESOURCE_GROUP = "resource-group";
    static final String OPERATOR_CIDR = "operator-cidr";
    static final String HOST_SUBNET = "host-subnet";
    static final String IMAGE = "image";
    static final String ADMIN_USERNAME = "admin-username";
    static final String SSH_KEY = "ssh-key";
    static final String RETRIES = "retries";

    /** The environment variable the Azure tools read the subscription from. */
    static final String SUBSCRIPTION_VARIABLE = "AZURE_SUBSCRIPTION_ID";

    /** The provider's settings; defaults are in this plugin's {@code reference.conf}. */
    static final List<Setting> SETTINGS = List.of(
            Setting.optional(SUBSCRIPTION_ID, SettingType.STRING,
                    "The Azure subscription sites are created in; empty for the environment's AZURE_SUBSCRIPTION_ID."),
            Setting.optional(LOCATION, SettingType.STRING,
                    "The Azure region sites are in by default, e.g. westeurope; a site's own location wins."),
            Setting.oneOf(CLOUD, "Which Azure cloud: the public one or a national cloud.",
                    "azure", "azure-china", "azure-us-government"),
            Setting.optional(VM_SIZE, SettingType.STRING,
                    "The default VM size of a site's host; it must run nested virtualization, e.g. Standard_D4s_v5."),
            Setting.optional(RESOURCE_GROUP, SettingType.STRING,
                    "An existing resource group to create sites in (teardown then deletes only what LivCloud created"
                            + " in it); empty for a group per site, livcloud-<site>, deleted whole on teardown."),
            Setting.optional(OPERATOR_CIDR, SettingType.STRING,
                    "Who may reach the hosts over SSH by default, e.g. 198.51.100.7/32; a site's own value wins."),
            Setting.optional(HOST_SUBNET, SettingType.STRING,
                    "The Azure subnet of a site's host, e.g. 10.250.0.0/24; must not overlap the site's VM subnet."),
            Setting.optional(IMAGE, SettingType.STRING,
                    "The host's marketplace image as publisher:offer:sku:version; Debian 12, which the bootstrap"
                            + " script is written for."),
            Setting.optional(ADMIN_USERNAME, SettingType.STRING, "The hosts' login user."),
            Setting.optional(SSH_KEY, SettingType.PATH,
                    "The private key LivCloud logs in to hosts with, created when absent; empty for one in the"
                            + " plugin's work directory."),
            Setting.integer(RETRIES, "How often a throttled (429) or transiently failed Azure request is retried.",
                    0, 10));

    /** Azure's rule for subscription ids: a GUID. */
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Azure's rule for resource group names: letters, digits, _ . - ( ), up to 90, not ending in a dot. */
    private static final Pattern GROUP = Pattern.compile("[-\\w._()]{0,89}[-\\w_()]");
    /** Linux user names Azure accepts (and that are safe in a path). */
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    /** Region names as Azure writes them, e.g. westeurope, eastus2. */
    private static final Pattern LOCATION_NAME = Pattern.compile("[a-z][a-z0-9]*");

    AzureConfig {
        requireNonNull(subscriptionId, "subscriptionId is null");
        requireNonNull(location, "location is null");
        requireNonNull(cloud, "cloud is null");
        requireNonNull(vmSize, "vmSize is null");
        requireNonNull(resourceGroup, "resourceGroup is null");
        requireNonNull(operatorCidr, "operatorCidr is null");
        requireNonNull(hostSubnet, "hostSubnet is null");
        requireNonNull(image, "image is null");
        requireNonNull(adminUsername, "adminUsername is null");
        requireNonNull(sshKey, "sshKey is null");
    }

    /**
     * Reads and checks the section.
     *
     * @param environment the process environment, for {@link #SUBSCRIPTION_VARIABLE}
     * @throws ExtensionException {@link AzureErrorCode#INVALID_SETTING} naming the key and what would be right
     */
    static AzureConfig from(ExtensionConfig config, Map<String, String> environment) {
        Optional<String> subscription = text(config, SUBSCRIPTION_ID);
        if (subscription.isPresent() && !GUID.matcher(subscription.get()).matches()) {
            throw invalid(config, SUBSCRIPTION_ID, "is '" + subscription.get() + "', not a subscription id (a GUID)",
                    "copy it from `az account show --query id`");
        }
        if (subscription.isEmpty()) {
            subscription = Optional.ofNullable(environment.get(SUBSCRIPTION_VARIABLE)).map(String::trim)
                    .filter(value -> !value.isEmpty());
            if (subscription.isPresent() && !GUID.matcher(subscription.get()).matches()) {
                throw new ExtensionException(AzureErrorCode.INVALID_SETTING, "the environment variable "
                        + SUBSCRIPTION_VARIABLE + " is '" + subscription.get() + "', not a subscription id (a GUID)",
                        "set it, or " + config.path() + "." + SUBSCRIPTION_ID + ", to `az account show --query id`");
            }
        }
        Optional<String> location = text(config, LOCATION);
        if (location.isPresent() && !LOCATION_NAME.matcher(location.get()).matches()) {
            throw invalid(config, LOCATION, "is '" + location.get() + "', not a region name as Azure writes it",
                    "write it in lower case without spaces, e.g. westeurope (`az account list-locations -o table`)");
        }
        String vmSize = text(config, VM_SIZE).orElse("Standard_D4s_v5");
        if (AzureVmSizes.seriesOf(vmSize).isEmpty()) {
            throw invalid(config, VM_SIZE, "is '" + vmSize + "', not an Azure VM size name",
                    "write one such as Standard_D4s_v5");
        }
        Optional<String> group = text(config, RESOURCE_GROUP);
        if (group.isPresent() && !GROUP.matcher(group.get()).matches()) {
            throw invalid(config, RESOURCE_GROUP, "is '" + group.get() + "', not a resource group name",
                    "use letters, digits, _ . - ( ), at most 90, not ending in a dot");
        }
        ResourceRequest.Image image;
        try {
            image = ResourceRequest.Image.parse(text(config, IMAGE).orElse("Debian:debian-12:12-gen2:latest"));
        } catch (IllegalArgumentException e) {
            throw invalid(config, IMAGE, e.getMessage(), "write it as the Azure CLI's URN, e.g."
                    + " Debian:debian-12:12-gen2:latest");
        }
        String user = text(config, ADMIN_USERNAME).orElse("livcloud");
        if (!USER.matcher(user).matches() || user.equals("root") || user.equals("admin")) {
            throw invalid(config, ADMIN_USERNAME, "is '" + user + "', which Azure does not accept as a login user",
                    "use lower case letters, digits, _ and -, not root or admin, e.g. livcloud");
        }
        long retries = config.integer(RETRIES).orElse(4);
        return new AzureConfig(subscription, location, config.string(CLOUD).orElse("azure"), vmSize, group,
                text(config, OPERATOR_CIDR).orElse(""), text(config, HOST_SUBNET).orElse("10.250.0.0/24"), image,
                user, config.path(SSH_KEY).filter(path -> !path.toString().isBlank()), (int) retries);
    }

    /**
     * The subscription, which every call to Azure needs.
     *
     * @throws ExtensionException {@link AzureErrorCode#INVALID_SETTING} when neither the setting nor the environment
     *     has one
     */
    String requireSubscription() {
        return subscriptionId.orElseThrow(() -> new ExtensionException(AzureErrorCode.INVALID_SETTING,
                "no Azure subscription: livcloud.extensions.provider.azure." + SUBSCRIPTION_ID + " is not set and"
                        + " neither is " + SUBSCRIPTION_VARIABLE,
                "set one of them to the subscription id (`az account show --query id`)"));
    }

    private static Optional<String> text(ExtensionConfig config, String key) {
        return config.string(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    private static ExtensionException invalid(ExtensionConfig config, String key, String problem, String remedy) {
        return new ExtensionException(AzureErrorCode.INVALID_SETTING,
                config.path() + "." + key + " (" + config.origin(key) + ") " + problem, remedy);
    }
}
