package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.cloud.Ipv4Cidr;
import io.livcloud.plugin.toolkit.settings.DeclaredSettings;
import io.livcloud.plugin.toolkit.settings.SettingsReader;
import io.livcloud.plugin.toolkit.settings.TypedSetting;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ec2 provider's settings ({@code livcloud.extensions.provider.ec2}), checked beyond their types. Empty region,
 * profile and endpoint leave the choice to the AWS SDK's default chains.
 *
 * @param region the default region of sites (a site's {@code location} overrides it); empty for the SDK's
 * @param profile the shared-config profile for credentials; empty for the SDK's default credentials chain
 * @param endpointOverride another EC2 endpoint (tests, EC2-compatible clouds); empty for AWS's
 * @param instanceType the default host instance type
 * @param imageId the AMI of hosts; empty for the newest Debian 12 image published by Debian
 * @param operatorCidr who may reach hosts over SSH when a site does not say; empty means the site must say
 * @param sshUser the image's login user
 * @param sshKey LivCloud's SSH key file; empty for {@code ssh/id_rsa} in the plugin's work directory
 * @param bootstrapTimeout how long provisioning waits for a host's bootstrap to report ready; zero not to wait
 * @param maxAttempts how often the SDK tries a request (throttling and 5xx are retried with backoff)
 */
record Ec2Config(String region, String profile, Optional<URI> endpointOverride, String instanceType, String imageId,
        String operatorCidr, String sshUser, Optional<Path> sshKey, Duration bootstrapTimeout, int maxAttempts) {

    static final TypedSetting<String> REGION = TypedSetting.string("region",
            "The AWS region sites are in by default, e.g. eu-west-1; empty for the SDK's default region.");
    static final TypedSetting<String> PROFILE = TypedSetting.string("profile",
            "The profile in ~/.aws/config whose credentials to use; empty for the SDK's default chain.");
    static final TypedSetting<String> ENDPOINT_OVERRIDE = TypedSetting.string("endpoint-override",
            "Another EC2 endpoint URL (tests, EC2-compatible clouds); empty for AWS's.");
    static final TypedSetting<String> INSTANCE_TYPE = TypedSetting.string("instance-type",
            "The default host instance type; it must be nested-capable (c8i/m8i/r8i) or bare metal.");
    static final TypedSetting<String> IMAGE_ID = TypedSetting.string("image-id",
            "The AMI of hosts; empty for the newest Debian 12 (amd64) image published by Debian.");
    static final TypedSetting<String> OPERATOR_CIDR = TypedSetting.string("operator-cidr",
            "Who may reach the hosts over SSH when a site does not say, e.g. 198.51.100.7/32.");
    static final TypedSetting<String> SSH_USER = TypedSetting.string("ssh-user",
            "The image's login user (admin on Debian's images).");
    static final TypedSetting<Path> SSH_KEY = TypedSetting.path("ssh-key",
            "LivCloud's SSH private key (OpenSSH format), created when missing; empty for ssh/id_rsa in the"
                    + " plugin's work directory.").withoutDefault();
    static final TypedSetting<Duration> BOOTSTRAP_TIMEOUT = TypedSetting.duration("bootstrap-timeout",
            "How long provisioning waits for a host to report its hypervisor stack ready; 0s not to wait.");
    static final TypedSetting<Long> MAX_ATTEMPTS = TypedSetting.integer("max-attempts",
            "How often a request is tried when EC2 throttles or fails transiently.", 1, 20);

    /** The provider's settings; defaults are in this plugin's {@code reference.conf}. */
    static final DeclaredSettings SETTINGS = DeclaredSettings.of(REGION, PROFILE, ENDPOINT_OVERRIDE, INSTANCE_TYPE,
            IMAGE_ID, OPERATOR_CIDR, SSH_USER, SSH_KEY, BOOTSTRAP_TIMEOUT, MAX_ATTEMPTS);

    private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern INSTANCE_TYPE_NAME = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9-]+");
    private static final Pattern IMAGE = Pattern.compile("ami-[0-9a-f]{8,17}");

    Ec2Config {
        requireNonNull(region, "region is null");
        requireNonNull(profile, "profile is null");
        requireNonNull(endpointOverride, "endpointOverride is null");
        requireNonNull(instanceType, "instanceType is null");
        requireNonNull(imageId, "imageId is null");
        requireNonNull(operatorCidr, "operatorCidr is null");
        requireNonNull(sshUser, "sshUser is null");
        requireNonNull(sshKey, "sshKey is null");
        requireNonNull(bootstrapTimeout, "bootstrapTimeout is null");
    }

    /**
     * Reads and checks the section.
     *
     * @throws ExtensionException {@link Ec2ErrorCode#INVALID_SETTING} naming the key and what would be right
     */
    static Ec2Config from(ExtensionConfig section) {
        SettingsReader config = new SettingsReader(section, Ec2ErrorCode.INVALID_SETTING);
        String region = config.get(REGION).trim();
        if (!region.isEmpty()) {
            checkRegion(region, () -> config.invalid(REGION, "is '" + region + "', not a region name",
                    "write a region such as eu-west-1 or us-east-1"));
        }
        Optional<URI> endpoint = Optional.empty();
        String endpointText = config.get(ENDPOINT_OVERRIDE).trim();
        if (!endpointText.isEmpty()) {
            try {
                URI uri = new URI(endpointText);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(endpointText, "not an http(s) URL with a host");
                }
                endpoint = Optional.of(uri);
            } catch (URISyntaxException e) {
                throw config.invalid(ENDPOINT_OVERRIDE, "is '" + endpointText + "': " + e.getReason(),
                        "write a URL such as https://ec2.eu-west-1.amazonaws.com, or \"\" for AWS's endpoint");
            }
        }
        String instanceType = config.get(INSTANCE_TYPE).trim();
        if (!INSTANCE_TYPE_NAME.matcher(instanceType).matches()) {
            throw config.invalid(INSTANCE_TYPE, "is '" + instanceType + "', not an instance type name",
                    "write one such as c8i.large or m5.metal");
        }
        String imageId = config.get(IMAGE_ID).trim();
        if (!imageId.isEmpty() && !IMAGE.matcher(imageId).matches()) {
            throw config.invalid(IMAGE_ID, "is '" + imageId + "', not an AMI id", "write one such as"
                    + " ami-0123456789abcdef0, or \"\" for Debian's newest Debian 12 image");
        }
        String operatorCidr = config.get(OPERATOR_CIDR).trim();
        if (!operatorCidr.isEmpty()) {
            try {
                Ipv4Cidr.parse(operatorCidr);
            } catch (IllegalArgumentException e) {
                throw config.invalid(OPERATOR_CIDR, e.getMessage(), "write the address LivCloud runs from, e.g."
                        + " 198.51.100.7/32");
            }
        }
        String sshUser = config.get(SSH_USER).trim();
        if (!sshUser.matches("[a-z_][a-z0-9_-]*")) {
            throw config.invalid(SSH_USER, "is '" + sshUser + "', not a login name", "write one such as admin");
        }
        Duration bootstrapTimeout = config.get(BOOTSTRAP_TIMEOUT);
        if (bootstrapTimeout.isNegative()) {
            throw config.invalid(BOOTSTRAP_TIMEOUT, "is negative", "write a duration such as 20m, or 0s not to wait");
        }
        int maxAttempts = config.get(MAX_ATTEMPTS).intValue();
        return new Ec2Config(region, config.get(PROFILE).trim(), endpoint, instanceType, imageId, operatorCidr,
                sshUser, config.optional(SSH_KEY), bootstrapTimeout, maxAttempts);
    }

    /** Checks a region name (also a site's location). */
    static void checkRegion(String region, java.util.function.Supplier<ExtensionException> problem) {
        if (!REGION_NAME.matcher(region).matches()) {
            throw problem.get();
        }
    }
}
