package io.livcloud.plugin.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Setting;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.testing.TestingExtensionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory with EC2 behind fakes: one client per region in use, all closed with the provider. */
class Ec2CloudProviderFactoryTest {

    private final Map<String, FakeEc2Facade> facades = new java.util.LinkedHashMap<>();
    private final Ec2CloudProviderFactory factory = new Ec2CloudProviderFactory((region, config) ->
            facades.computeIfAbsent(region.isEmpty() ? "us-east-1" : region, FakeEc2Facade::new));

    private static TestingExtensionContext context(Path work) {
        return new TestingExtensionContext("ec2").withWorkDirectory(work);
    }

    @Test
    void declaresItsSettingsAndTheSiteSettingsTheSiteCommandUses() {
        assertThat(factory.name()).isEqualTo("ec2");
        assertThat(factory.settings()).extracting(Setting::key).contains("region", "profile", "endpoint-override",
                "instance-type", "operator-cidr", "ssh-key", "bootstrap-timeout", "max-attempts");
        assertThat(factory.siteSettings()).extracting(Setting::key).containsExactly("location", "instance-type",
                "vm-subnet", "peer-gateway-address", "operator-cidr", "availability-zone", "host-subnet", "subnet-id",
                "vpc-id", "image-id");
    }

    @Test
    void isSupportedWithValidSettingsAndSaysWhyNotOtherwise() {
        assertThat(factory.isSupported(Ec2ConfigTest.section()).supported()).isTrue();
        var support = factory.isSupported(Ec2ConfigTest.section().with("region", "Ireland"));
        assertThat(support.supported()).isFalse();
        assertThat(support.reason()).contains("region");
        assertThat(support.remedy()).contains("eu-west-1");
    }

    @Test
    void sitesAreCreatedListedAndTornDownInTheConfiguredRegionWithOneClientClosedWithTheProvider(
            @TempDir Path work) {
        CloudProvider provider = factory.create(Ec2ConfigTest.section().with("region", "eu-west-1")
                .with("bootstrap-timeout", java.time.Duration.ZERO), context(work));

        assertThat(provider.instanceTypeCapability("c8i.large").nestedVirtualization())
                .isEqualTo(NestedVirtualization.AVAILABLE_WITH_OPTION);
        var site = provider.provision(new SiteSpec("east", "eu-west-1", "", "10.99.20.0/24", "",
                "198.51.100.7/32", Map.of()));
        assertThat(site.location()).isEqualTo("eu-west-1");
        var unnamed = provider.provision(new SiteSpec("west", "", "", "10.99.30.0/24", "", "198.51.100.7/32",
                Map.of()));
        assertThat(unnamed.location()).isEqualTo("eu-west-1");

        assertThat(facades).containsOnlyKeys("eu-west-1");
        assertThat(facades.get("eu-west-1").launches).hasSize(2);
        // The SSH key was made on first use, in the plugin's work folder, and imported as the site's key pair.
        assertThat(Files.exists(work.resolve("ssh/id_rsa"))).isTrue();
        assertThat(site.gateway().hypervisorUri()).isEqualTo("qemu:///system");

        provider.close();
        assertThat(facades.values()).allMatch(facade -> facade.closed);
    }

    @Test
    void eachHostIsReachedOverSshAtItsElasticIpAsTheSshUserUntilTheProviderCloses(@TempDir Path work) {
        CloudProvider provider = factory.create(Ec2ConfigTest.section().with("region", "eu-west-1")
                .with("ssh-user", "debian").with("bootstrap-timeout", java.time.Duration.ZERO), context(work));
        Site site = provider.provision(new SiteSpec("east", "", "", "10.99.20.0/24", "", "198.51.100.7/32",
                Map.of()));

        // Nothing is contacted before the first command: the access only names its target.
        try (HostAccess host = provider.hostAccess(site, site.gateway()).orElseThrow()) {
            assertThat(host.target()).isEqualTo("ssh debian@" + site.gateway().publicAddress() + ":22");
        }
        assertThat(work.resolve("known_hosts")).as("host keys recorded in the plugin's work folder").exists();
        Host unaddressed = new Host("i-1", Set.of(HostRole.GATEWAY), "", "10.99.20.1", "", Map.of());
        assertThat(provider.hostAccess(site, unaddressed)).as("nothing reaches a host without a public address")
                .isEmpty();

        provider.close();
        assertThatThrownBy(() -> provider.hostAccess(site, site.gateway()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aSiteInAnotherRegionIsRefusedBeforeAnythingIsCreatedSayingWhichSettingToChange(@TempDir Path work) {
        CloudProvider provider = factory.create(Ec2ConfigTest.section().with("region", "eu-west-1"), context(work));

        // Listing and teardown look in eu-west-1 only: a site in eu-central-1 would be billed and never found again.
        assertThatThrownBy(() -> provider.provision(new SiteSpec("east", "eu-central-1", "", "10.99.20.0/24", "",
                "198.51.100.7/32", Map.of())))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).contains("location eu-central-1 is not the provider's region"
                            + " eu-west-1");
                    assertThat(e.remedy()).contains("livcloud.extensions.provider.ec2.region = eu-central-1");
                });
        assertThat(facades).doesNotContainKey("eu-central-1");
        assertThat(facades.values()).allSatisfy(facade -> assertThat(facade.launches).isEmpty());
        provider.close();
    }

    @Test
    void aLocationThatIsNoRegionIsRefused(@TempDir Path work) {
        CloudProvider provider = factory.create(Ec2ConfigTest.section(), context(work));
        assertThatThrownBy(() -> provider.provision(new SiteSpec("east", "Frankfurt", "", "10.99.20.0/24", "",
                "198.51.100.7/32", Map.of())))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(Ec2ErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).contains("'Frankfurt' is not an AWS region name");
                });
        provider.close();
    }
}
