package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.cloud.Ipv4Cidr;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    static final String REGION = "region";
    static final String PROFILE = "profile";
    static final String ENDPOINT_OVERRIDE = "endpoint-override";
    static final String INSTANCE_TYPE = "instance-type";
    static final String IMAGE_ID = "image-id";
    static final String OPERATOR_CIDR = "operator-cidr";
    static final String SSH_USER = "ssh-user";
    static final String SSH_KEY = "ssh-key";
    static final String BOOTSTRAP_TIMEOUT = "bootstrap-timeout";
    static final String MAX_ATTEMPTS = "max-attempts";

    /** Defaults are in this plugin's {@code reference.conf}. */
    static final List<Setting> SETTINGS = List.of(
            Setting.optional(REGION, SettingType.STRING,
                    "The AWS region sites are in by default, e.g. eu-west-1; empty for the SDK's default region."),
            Setting.optional(PROFILE, SettingType.STRING,
                    "The profile in ~/.aws/config whose credentials to use; empty for the SDK's default chain."),
            Setting.optional(ENDPOINT_OVERRIDE, SettingType.STRING,
                    "Another EC2 endpoint URL (tests, EC2-compatible clouds); empty for AWS's."),
            Setting.optional(INSTANCE_TYPE, SettingType.STRING,
                    "The default host instance type; it must be nested-capable (c8i/m8i/r8i) or bare metal."),
            Setting.optional(IMAGE_ID, SettingType.STRING,
                    "The AMI of hosts; empty for the newest Debian 12 (amd64) image published by Debian."),
            Setting.optional(OPERATOR_CIDR, SettingType.STRING,
                    "Who may reach the hosts over SSH when a site does not say, e.g. 198.51.100.7/32."),
            Setting.optional(SSH_USER, SettingType.STRING, "The image's login user (admin on Debian's images)."),
            Setting.optional(SSH_KEY, SettingType.PATH,
                    "LivCloud's SSH private key (OpenSSH format), created when missing; empty for ssh/id_rsa in the"
                            + " plugin's work directory."),
            Setting.optional(BOOTSTRAP_TIMEOUT, SettingType.DURATION,
                    "How long provisioning waits for a host to report its hypervisor stack ready; 0s not to wait."),
            Setting.integer(MAX_ATTEMPTS, "How often a request is tried when EC2 throttles or fails transiently.",
                    1, 20));

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
    static Ec2Config from(ExtensionConfig config) {
        String region = config.string(REGION).orElse("").trim();
        if (!region.isEmpty()) {
            checkRegion(region, () -> invalid(config, REGION, "is '" + region + "', not a region name",
                    "write a region such as eu-west-1 or us-east-1"));
        }
        Optional<URI> endpoint = Optional.empty();
        String endpointText = config.string(ENDPOINT_OVERRIDE).orElse("").trim();
        if (!endpointText.isEmpty()) {
            try {
                URI uri = new URI(endpointText);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new URISyntaxException(endpointText, "not an http(s) URL with a host");
                }
                endpoint = Optional.of(uri);
            } catch (URISyntaxException e) {
                throw invalid(config, ENDPOINT_OVERRIDE, "is '" + endpointText + "': " + e.getReason(),
                        "write a URL such as https://ec2.eu-west-1.amazonaws.com, or \"\" for AWS's endpoint");
            }
        }
        String instanceType = config.string(INSTANCE_TYPE).orElse("c8i.large").trim();
        if (!INSTANCE_TYPE_NAME.matcher(instanceType).matches()) {
            throw invalid(config, INSTANCE_TYPE, "is '" + instanceType + "', not an instance type name",
                    "write one such as c8i.large or m5.metal");
        }
        String imageId = config.string(IMAGE_ID).orElse("").trim();
        if (!imageId.isEmpty() && !IMAGE.matcher(imageId).matches()) {
            throw invalid(config, IMAGE_ID, "is '" + imageId + "', not an AMI id", "write one such as"
                    + " ami-0123456789abcdef0, or \"\" for Debian's newest Debian 12 image");
        }
        String operatorCidr = config.string(OPERATOR_CIDR).orElse("").trim();
        if (!operatorCidr.isEmpty()) {
            try {
                Ipv4Cidr.parse(operatorCidr);
            } catch (IllegalArgumentException e) {
                throw invalid(config, OPERATOR_CIDR, e.getMessage(), "write the address LivCloud runs from, e.g."
                        + " 198.51.100.7/32");
            }
        }
        String sshUser = config.string(SSH_USER).orElse("admin").trim();
        if (!sshUser.matches("[a-z_][a-z0-9_-]*")) {
            throw invalid(config, SSH_USER, "is '" + sshUser + "', not a login name", "write one such as admin");
        }
        Duration bootstrapTimeout = config.duration(BOOTSTRAP_TIMEOUT).orElse(Duration.ofMinutes(20));
        if (bootstrapTimeout.isNegative()) {
            throw invalid(config, BOOTSTRAP_TIMEOUT, "is negative", "write a duration such as 20m, or 0s not to wait");
        }
        int maxAttempts = (int) config.integer(MAX_ATTEMPTS).orElse(5);
        return new Ec2Config(region, config.string(PROFILE).orElse("").trim(), endpoint, instanceType, imageId,
                operatorCidr, sshUser, config.path(SSH_KEY), bootstrapTimeout, maxAttempts);
    }

    /** Checks a region name (also a site's location). */
    static void checkRegion(String region, java.util.function.Supplier<ExtensionException> problem) {
        if (!REGION_NAME.matcher(region).matches()) {
            throw problem.get();
        }
    }

    private static ExtensionException invalid(ExtensionConfig config, String key, String problem, String remedy) {
        return new ExtensionException(Ec2ErrorCode.INVALID_SETTING,
                config.path() + "." + key + " (" + config.origin(key) + ") " + problem, remedy);
    }
}
