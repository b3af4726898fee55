package io.livcloud.plugin.ec2;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.cloud.BootstrapWait;
import io.livcloud.plugin.toolkit.cloud.CloudHostSsh;
import io.livcloud.plugin.toolkit.cloud.SiteNetwork;
import io.livcloud.plugin.toolkit.ssh.SshKeys;
import io.livcloud.spi.ExtensionConfig;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.SettingType;
import io.livcloud.spi.Support;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.CloudProviderFactory;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.pf4j.Extension;

/**
 * The {@code ec2} provider: sites in Amazon EC2, each one host of a nested-capable instance type (C8i, M8i, R8i with
 * {@code CpuOptions.NestedVirtualization=enabled}, or {@code *.metal}) that is gateway and hypervisor at once, in a
 * VPC of its own, bootstrapped by cloud-init with libvirt, QEMU 10 and strongSwan. See {@link Ec2SiteProvisioner}.
 */
@Extension
public final class Ec2CloudProviderFactory implements CloudProviderFactory {

    static final String NAME = "ec2";
    private static final Duration SSH_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration BOOTSTRAP_POLL = Duration.ofSeconds(15);

    private final BiFunction<String, Ec2Config, Ec2Facade> facades;

    public Ec2CloudProviderFactory() {
        this((region, config) -> SdkEc2Facade.create(region, SdkEc2Facade.credentials(config.profile()),
                config.endpointOverride(), config.maxAttempts()));
    }

    /** For tests: EC2 behind another facade. */
    Ec2CloudProviderFactory(BiFunction<String, Ec2Config, Ec2Facade> facades) {
        this.facades = requireNonNull(facades, "facades is null");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Sites in Amazon EC2: a nested-virtualization host per site, tagged, torn down without leaks";
    }

    /** Defaults are in this plugin's {@code reference.conf}. */
    @Override
    public List<Setting> settings() {
        return Ec2Config.SETTINGS.declarations();
    }

    @Override
    public List<Setting> siteSettings() {
        return List.of(
                Setting.optional("location", SettingType.STRING, "The site's AWS region, which must be the"
                        + " provider's region (sites are found and torn down there only); default: that region."),
                Setting.optional("instance-type", SettingType.STRING, "The host's instance type; default: the provider's."),
                Setting.optional(SiteNetwork.VM_SUBNET, SettingType.STRING,
                        "The private subnet of the site's VMs, routed to the host, e.g. 10.99.20.0/24."),
                Setting.optional(SiteNetwork.PEER_GATEWAY_ADDRESS, SettingType.STRING,
                        "The other site's gateway address, the only source the tunnel ports open to."),
                Setting.optional(SiteNetwork.OPERATOR_CIDR, SettingType.STRING,
                        "Who may reach the host over SSH; default: the provider's operator-cidr."),
                Setting.optional(Ec2SiteProvisioner.AVAILABILITY_ZONE, SettingType.STRING,
                        "The zone of the subnet LivCloud creates, e.g. eu-west-1b; default: EC2's choice."),
                Setting.optional(Ec2SiteProvisioner.HOST_SUBNET, SettingType.STRING,
                        "The VPC and subnet LivCloud creates, outside the VM subnet; default "
                                + Ec2SiteProvisioner.DEFAULT_HOST_SUBNET + "."),
                Setting.optional(Ec2SiteProvisioner.SUBNET_ID, SettingType.STRING,
                        "An existing subnet to put the host in instead of creating a VPC (left untouched by teardown)."),
                Setting.optional(Ec2SiteProvisioner.VPC_ID, SettingType.STRING,
                        "The VPC of subnet-id, checked against it."),
                Setting.optional(Ec2SiteProvisioner.IMAGE_ID, SettingType.STRING,
                        "The host's AMI; default: the provider's image-id, else Debian's newest Debian 12."));
    }

    /**
     * Whether the settings can be used. Credentials and network are not checked here: that needs a call to AWS, and
     * this method must not reach out; the first real call reports them with what to do.
     */
    @Override
    public Support isSupported(ExtensionConfig config) {
        try {
            Ec2Config.from(config);
            return Support.yes();
        } catch (ExtensionException e) {
            return Support.no(e.getMessage(), e.remedy());
        }
    }

    @Override
    public CloudProvider create(ExtensionConfig config, ExtensionContext context) {
        Ec2Config ec2 = Ec2Config.from(config);
        Path keyFile = ec2.sshKey().orElseGet(() -> context.workDirectory().resolve("ssh").resolve("id_rsa"));
        Supplier<KeyPair> key = new Memoized<>(() -> SshKeys.loadOrCreate(keyFile, "livcloud-ec2"));
        List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
        CloudHostSsh ssh = new CloudHostSsh(context.workDirectory().resolve("known_hosts"), SSH_TIMEOUT,
                ec2.sshUser(), key);
        opened.add(ssh);
        HostReadiness readiness = (publicAddress, timeout) -> {
            try (HostAccess host = ssh.open(publicAddress)) {
                return BootstrapWait.await(host, timeout, BOOTSTRAP_POLL);
            }
        };
        return new Ec2CloudProvider(ec2.region(), region -> {
            Ec2Facade facade;
            try {
                facade = facades.apply(region, ec2);
            } catch (Ec2ApiException e) {
                throw new ExtensionException(Ec2ErrorCode.INVALID_SETTING, "cannot set up the EC2 client: "
                        + e.providerMessage(), "set region in livcloud.extensions.provider.ec2, or AWS_REGION", e);
            }
            opened.add(facade);
            Ec2Region ec2Region = new Ec2Region(facade, facade.region(), context.events(), context.clock(),
                    duration -> {
                        try {
                            Thread.sleep(duration.toMillis());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted while waiting for EC2", e);
                        }
                    });
            return new Ec2CloudProvider.Jobs(
                    new Ec2SiteProvisioner(ec2Region, ec2, key, readiness),
                    new Ec2SiteTeardown(ec2Region));
        }, ssh, () -> {
            for (AutoCloseable resource : opened) {
                try {
                    resource.close();
                } catch (Exception e) {
                    context.logger("ec2").log(System.Logger.Level.WARNING, "closing " + resource + ": " + e);
                }
            }
            opened.clear();
        });
    }

    /** A value made on first use (an SSH key costs a key generation). */
    private static final class Memoized<T> implements Supplier<T> {
        private final Supplier<T> maker;
        private T value;

        Memoized(Supplier<T> maker) {
            this.maker = maker;
        }

        @Override
        public synchronized T get() {
            if (value == null) {
                value = maker.get();
            }
            return value;
        }
    }
}
