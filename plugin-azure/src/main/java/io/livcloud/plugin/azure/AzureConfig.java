package io.livcloud.plugin.azure;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import java.nio.file.Path;
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

    static final TypedSetting<String> SUBSCRIPTION_ID = TypedSetting.string("subscription-id",
            "The Azure subscription sites are created in; empty for the environment's AZURE_SUBSCRIPTION_ID.")
            .withoutDefault();
    static final TypedSetting<String> LOCATION = TypedSetting.string("location",
            "The Azure region sites are in by default, e.g. westeurope; a site's own location wins.").withoutDefault();
    static final TypedSetting<String> CLOUD = TypedSetting.oneOf("cloud",
            "Which Azure cloud: the public one or a national cloud.", "azure", "azure-china", "azure-us-government");
    static final TypedSetting<String> VM_SIZE = TypedSetting.string("vm-size",
            "The default VM size of a site's host; it must run nested virtualization, e.g. Standard_D4s_v5.");
    static final TypedSetting<String> RESOURCE_GROUP = TypedSetting.string("resource-group",
            "An existing resource group to create sites in (teardown then deletes only what LivCloud created"
                    + " in it); empty for a group per site, livcloud-<site>, deleted whole on teardown.");
    static final TypedSetting<String> OPERATOR_CIDR = TypedSetting.string("operator-cidr",
            "Who may reach the hosts over SSH by default, e.g. 198.51.100.7/32; a site's own value wins.");
    static final TypedSetting<String> HOST_SUBNET = TypedSetting.string("host-subnet",
            "The Azure subnet of a site's host, e.g. 10.250.0.0/24; must not overlap the site's VM subnet.");
    static final TypedSetting<String> IMAGE = TypedSetting.string("image",
            "The host's marketplace image as publisher:offer:sku:version; Debian 12, which the bootstrap"
                    + " script is written for.");
    static final TypedSetting<String> ADMIN_USERNAME = TypedSetting.string("admin-username",
            "The hosts' login user.");
    static final TypedSetting<Path> SSH_KEY = TypedSetting.path("ssh-key",
            "The private key LivCloud logs in to hosts with, created when absent; empty for one in the"
                    + " plugin's work directory.").withoutDefault();
    static final TypedSetting<Long> RETRIES = TypedSetting.integer("retries",
            "How often a throttled (429) or transiently failed Azure request is retried.", 0, 10);

    /** The environment variable the Azure tools read the subscription from. */
    static final String SUBSCRIPTION_VARIABLE = "AZURE_SUBSCRIPTION_ID";

    /** The provider's settings; defaults are in this plugin's {@code reference.conf}. */
    static final DeclaredSettings SETTINGS = DeclaredSettings.of(SUBSCRIPTION_ID, LOCATION, CLOUD, VM_SIZE,
            RESOURCE_GROUP, OPERATOR_CIDR, HOST_SUBNET, IMAGE, ADMIN_USERNAME, SSH_KEY, RETRIES);

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
    static AzureConfig from(ExtensionConfig section, Map<String, String> environment) {
        SettingsReader config = new SettingsReader(section, AzureErrorCode.INVALID_SETTING);
        Optional<String> subscription = text(config.optional(SUBSCRIPTION_ID));
        if (subscription.isPresent() && !GUID.matcher(subscription.get()).matches()) {
            throw config.invalid(SUBSCRIPTION_ID, "is '" + subscription.get() + "', not a subscription id (a GUID)",
                    "copy it from `az account show --query id`");
        }
        if (subscription.isEmpty()) {
            subscription = text(Optional.ofNullable(environment.get(SUBSCRIPTION_VARIABLE)));
            if (subscription.isPresent() && !GUID.matcher(subscription.get()).matches()) {
                throw new ExtensionException(AzureErrorCode.INVALID_SETTING, "the environment variable "
                        + SUBSCRIPTION_VARIABLE + " is '" + subscription.get() + "', not a subscription id (a GUID)",
                        "set it, or " + config.qualifiedKey(SUBSCRIPTION_ID) + ", to `az account show --query id`");
            }
        }
        Optional<String> location = text(config.optional(LOCATION));
        if (location.isPresent() && !LOCATION_NAME.matcher(location.get()).matches()) {
            throw config.invalid(LOCATION, "is '" + location.get() + "', not a region name as Azure writes it",
                    "write it in lower case without spaces, e.g. westeurope (`az account list-locations -o table`)");
        }
        String vmSize = config.get(VM_SIZE).trim();
        if (AzureVmSizes.seriesOf(vmSize).isEmpty()) {
            throw config.invalid(VM_SIZE, "is '" + vmSize + "', not an Azure VM size name",
                    "write one such as Standard_D4s_v5");
        }
        Optional<String> group = text(Optional.of(config.get(RESOURCE_GROUP)));
        if (group.isPresent() && !GROUP.matcher(group.get()).matches()) {
            throw config.invalid(RESOURCE_GROUP, "is '" + group.get() + "', not a resource group name",
                    "use letters, digits, _ . - ( ), at most 90, not ending in a dot");
        }
        ResourceRequest.Image image;
        try {
            image = ResourceRequest.Image.parse(config.get(IMAGE).trim());
        } catch (IllegalArgumentException e) {
            throw config.invalid(IMAGE, e.getMessage(), "write it as the Azure CLI's URN, e.g."
                    + " Debian:debian-12:12-gen2:latest");
        }
        String user = config.get(ADMIN_USERNAME).trim();
        if (!USER.matcher(user).matches() || user.equals("root") || user.equals("admin")) {
            throw config.invalid(ADMIN_USERNAME, "is '" + user + "', which Azure does not accept as a login user",
                    "use lower case letters, digits, _ and -, not root or admin, e.g. livcloud");
        }
        return new AzureConfig(subscription, location, config.get(CLOUD), vmSize, group,
                config.get(OPERATOR_CIDR).trim(), config.get(HOST_SUBNET).trim(), image, user,
                config.optional(SSH_KEY).filter(path -> !path.toString().isBlank()), config.get(RETRIES).intValue());
    }

    /**
     * The subscription, which every call to Azure needs.
     *
     * @throws ExtensionException {@link AzureErrorCode#INVALID_SETTING} when neither the setting nor the environment
     *     has one
     */
    String requireSubscription() {
        return subscriptionId.orElseThrow(() -> new ExtensionException(AzureErrorCode.INVALID_SETTING,
                "no Azure subscription: livcloud.extensions.provider.azure." + SUBSCRIPTION_ID.key() + " is not set"
                        + " and neither is " + SUBSCRIPTION_VARIABLE,
                "set one of them to the subscription id (`az account show --query id`)"));
    }

    /** A text setting or variable, trimmed; empty when it is blank. */
    private static Optional<String> text(Optional<String> value) {
        return value.map(String::trim).filter(text -> !text.isEmpty());
    }
}
