package io.livcloud.core.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.Site;
import io.livcloud.testing.FakeHostAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostAccessesTest {

    private final List<String> opened = new ArrayList<>();
    private final List<FakeProvider> providers = new ArrayList<>();

    private HostAccesses accesses() {
        return new HostAccesses(site -> site.equals("a") || site.equals("b") ? "fake" : "other", provider -> {
            opened.add(provider);
            FakeProvider created = new FakeProvider(provider.equals("fake"));
            providers.add(created);
            return created.provider;
        });
    }

    @Test
    void oneAccessPerHostIsSharedAndOnlyLivCloudsCloseEndsIt() {
        try (HostAccesses accesses = accesses()) {
            HostAccess first = accesses.require("a", "a-gw");
            first.close();
            HostAccess again = accesses.require("a", "a-gw");

            assertThat(again.run(HostCommand.of(Duration.ofSeconds(1), "hostname")).stdout()).isEqualTo("a-gw\n");
            assertThat(providers).singleElement().satisfies(provider -> {
                assertThat(provider.given).containsOnlyKeys("a/a-gw");
                assertThat(provider.given.get("a/a-gw").closed()).isFalse();
            });
            accesses.require("b", "b-gw");
            assertThat(opened).as("one provider for both of its sites").containsExactly("fake");

            accesses.close();
            assertThat(providers.get(0).given.values()).allMatch(FakeHostAccess::closed);
            assertThat(providers.get(0).provider.closed()).isTrue();
        }
    }

    @Test
    void anUnknownHostIsNamedWithTheSitesHosts() {
        try (HostAccesses accesses = accesses()) {
            assertThatThrownBy(() -> accesses.require("a", "nope"))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.HOST_UNKNOWN);
                        assertThat(e.getMessage()).isEqualTo("site a has no host nope");
                        assertThat(e.remedy()).isEqualTo("its hosts are: a-gw");
                    });
        }
    }

    @Test
    void aProviderThatGivesNoAccessIsNamed() {
        try (HostAccesses accesses = accesses()) {
            assertThat(accesses.find("c", "c-gw")).isEmpty();
            assertThatThrownBy(() -> accesses.require("c", "c-gw"))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.HOST_ACCESS_UNAVAILABLE);
                        assertThat(e.getMessage()).isEqualTo("the provider other of site c gives no way to reach"
                                + " its host c-gw");
                    });
        }
    }

    @Test
    void aHypervisorUriLeadsToItsHostWithinTheSite() {
        try (HostAccesses accesses = accesses()) {
            assertThat(accesses.findByHypervisor("b", "qemu:///system?socket=/b/libvirt-sock")).hasValueSatisfying(
                    access -> assertThat(access.target()).isEqualTo("fake b-gw"));
            assertThat(accesses.findByHypervisor("b", "qemu:///system?socket=/a/libvirt-sock")).isEmpty();
        }
    }

    private static Site site(String name) {
        Host gateway = new Host(name + "-gw", Set.of(HostRole.GATEWAY, HostRole.HYPERVISOR), "", "",
                "qemu:///system?socket=/" + name + "/libvirt-sock", Map.of());
        return new Site(name, "fake", "", gateway, List.of(gateway), "10.99.1.0/24", Map.of());
    }

    /** Sites a, b and c; with {@code reachesHosts}, an access per host that answers {@code hostname}, kept in given. */
    private final class FakeProvider {
        final Map<String, FakeHostAccess> given = new java.util.LinkedHashMap<>();
        final FakeSitesProvider provider;

        FakeProvider(boolean reachesHosts) {
            provider = new FakeSitesProvider(List.of(site("a"), site("b"), site("c")), (site, host) -> {
                if (!reachesHosts) {
                    return Optional.empty();
                }
                FakeHostAccess access = new FakeHostAccess("fake " + host.name()).program("hostname",
                        host.name() + "\n");
                given.put(site.name() + "/" + host.name(), access);
                return Optional.of(access);
            });
        }
    }
}
