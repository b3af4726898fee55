package com.example.livcloud.staticsites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Support;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.NestedVirtualization;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.testing.FakeExtensionConfig;
import io.livcloud.testing.TestingExtensionContext;
import io.livcloud.testing.plugin.ReferenceConf;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticCloudProviderFactoryTest {

    /** The provider uses no host service: none is given (no work folder, no host access). */
    private static final TestingExtensionContext NO_HOST_SERVICES = new TestingExtensionContext("static-sites");

    private final StaticCloudProviderFactory factory = new StaticCloudProviderFactory();

    @Test
    void theDeclaredSettingsAndReferenceConfAgree() {
        ReferenceConf.of(factory, StaticCloudProviderFactory.SETTINGS).assertAgrees();

        assertThat(StaticCloudProviderFactory.readSites(ReferenceConf.defaults(factory))).isEmpty();
    }

    @Test
    void describesEachDeclaredSiteWithItsGatewayAndHypervisorHosts() {
        FakeExtensionConfig config = StaticSitesConfigs.withSites(Map.of(
                "lab", Map.of(
                        "gateway-address", "203.0.113.10",
                        "vm-subnet", "10.99.10.0/24",
                        "hypervisor-uris", List.of("qemu+ssh://root@10.99.1.2/system", "qemu:///system")),
                "backup", Map.of(
                        "gateway-address", "198.51.100.7",
                        "vm-subnet", "10.99.20.0/24",
                        "hypervisor-uris", List.of("qemu+tcp://10.99.2.2/system"))));

        try (CloudProvider provider = factory.create(config, NO_HOST_SERVICES)) {
            assertThat(provider.listSites()).extracting(site -> site.name()).containsExactly("backup", "lab");
            assertThat(provider.describeSite("lab")).hasValueSatisfying(lab -> {
                assertThat(lab.provider()).isEqualTo("static");
                assertThat(lab.vmSubnet()).isEqualTo("10.99.10.0/24");
                assertThat(lab.gateway().publicAddress()).isEqualTo("203.0.113.10");
                assertThat(lab.gateway().roles()).containsExactly(HostRole.GATEWAY);
                assertThat(lab.hypervisorHosts()).extracting(Host::name, Host::hypervisorUri, Host::privateAddress)
                        .containsExactly(
                                tuple("lab-hypervisor-1", "qemu+ssh://root@10.99.1.2/system", "10.99.1.2"),
                                tuple("lab-hypervisor-2", "qemu:///system", ""));
            });
            assertThat(provider.describeSite("elsewhere")).isEmpty();
        }
        assertThat(factory.isSupported(config)).isEqualTo(Support.yes());
    }

    @Test
    void noDeclaredSitesIsAnEmptyInventory() {
        try (CloudProvider provider = factory.create(StaticSitesConfigs.withSites(Map.of()), NO_HOST_SERVICES)) {
            assertThat(provider.listSites()).isEmpty();
        }
    }

    @Test
    void aSiteWithoutGatewayAddressIsRejectedNamingTheSiteAndTheFix() {
        FakeExtensionConfig config = StaticSitesConfigs.withSites(Map.of("lab", Map.of(
                "vm-subnet", "10.99.10.0/24",
                "hypervisor-uris", List.of("qemu:///system"))));

        assertThatThrownBy(() -> factory.create(config, NO_HOST_SERVICES))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StaticSitesErrorCode.INVALID_SITE);
                    assertThat(e.getMessage()).isEqualTo("site livcloud.extensions.provider.static.sites.lab"
                            + " (livcloud.conf:1) needs gateway-address");
                    assertThat(e.remedy()).startsWith("set gateway-address to ");
                });
        assertThat(factory.isSupported(config)).satisfies(support -> {
            assertThat(support.supported()).isFalse();
            assertThat(support.reason()).endsWith("needs gateway-address");
        });
    }

    @Test
    void aMisspelledKeyInASiteIsRejected() {
        FakeExtensionConfig config = StaticSitesConfigs.withSites(Map.of("lab", Map.of(
                "gateway-adress", "203.0.113.10",
                "vm-subnet", "10.99.10.0/24",
                "hypervisor-uris", List.of("qemu:///system"))));

        assertThatThrownBy(() -> factory.create(config, NO_HOST_SERVICES))
                .isInstanceOf(ExtensionException.class)
                .hasMessageEndingWith("has the unknown key 'gateway-adress'");
    }

    @Test
    void aSiteNeedsAtLeastOneWellFormedHypervisorUri() {
        assertThat(factory.isSupported(siteWithHypervisorUris(List.of())).reason())
                .endsWith("needs at least one of hypervisor-uris");
        assertThat(factory.isSupported(siteWithHypervisorUris("qemu+ssh://root@10.99.1.2/system")).reason())
                .endsWith("needs at least one of hypervisor-uris");
        assertThat(factory.isSupported(siteWithHypervisorUris(List.of("qemu+ssh://bad host/system"))).reason())
                .contains("hypervisor-uris has 'qemu+ssh://bad host/system', which is not a URI");
    }

    @Test
    void aStaticInventoryCannotProvisionOrTearDown() {
        SiteSpec spec = new SiteSpec("new", "", "", "10.99.30.0/24", "", "192.0.2.0/24", Map.of());
        try (CloudProvider provider = factory.create(StaticSitesConfigs.withSites(Map.of()), NO_HOST_SERVICES)) {
            assertThat(provider.canProvision()).isFalse();
            assertThatThrownBy(() -> provider.provision(spec))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("a static inventory cannot create or remove sites");
            assertThatThrownBy(() -> provider.tearDown("lab", true))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("a static inventory cannot create or remove sites");
        }
    }

    @Test
    void instanceTypeCapabilityIsUnknownWithAReason() {
        try (CloudProvider provider = factory.create(StaticSitesConfigs.withSites(Map.of()), NO_HOST_SERVICES)) {
            assertThat(provider.instanceTypeCapability("c8i.large")).satisfies(capability -> {
                assertThat(capability.instanceType()).isEqualTo("c8i.large");
                assertThat(capability.nestedVirtualization()).isEqualTo(NestedVirtualization.UNKNOWN);
                assertThat(capability.reasons()).singleElement().asString().contains("probe the host itself");
            });
        }
    }

    private static FakeExtensionConfig siteWithHypervisorUris(Object hypervisorUris) {
        return StaticSitesConfigs.withSites(Map.of("lab", Map.of(
                "gateway-address", "203.0.113.10",
                "vm-subnet", "10.99.10.0/24",
                "hypervisor-uris", hypervisorUris)));
    }
}
