package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.HostRole;
import io.livcloud.spi.provider.Site;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which host access the lab gives for a site ({@link LabHostAccesses}), and what closing it ends. */
class LabHostAccessesTest extends BaseLabTest {

    @Test
    void aSiteInNamespaceModeIsReachedThroughItsNamespace() {
        Site a = lab.up(spec("a"));

        try (LabHostAccesses accesses = new LabHostAccesses(lab, host, config);
                HostAccess access = accesses.forHost(a, a.gateway())) {
            assertThat(access.target()).isEqualTo("namespace lc-a");
            assertThat(a.gateway().attributes()).containsEntry("namespace", "lc-a");
            assertThat(site("a").resolve("host-access")).content().isEqualTo("namespace\n");
        }
    }

    @Test
    void closingOneCallersAccessLeavesTheSharedOneToTheOthers() {
        Site a = lab.up(spec("a"));

        try (LabHostAccesses accesses = new LabHostAccesses(lab, host, config)) {
            HostAccess first = accesses.forHost(a, a.gateway());
            HostAccess second = accesses.forHost(a, a.gateway());
            first.close();

            assertThatThrownBy(() -> first.openUnixSocket("/nowhere")).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> second.openUnixSocket(directory.resolve("no-socket").toString()))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(LabErrorCode.HOST_UNREACHABLE);
                        assertThat(e.getMessage()).startsWith("cannot connect to the Unix socket " + directory
                                + "/no-socket of namespace lc-a");
                    });
        }
    }

    @Test
    void aSiteThatIsNotUpOrAHostThatIsNotItsGatewayIsRefused() {
        Site a = lab.up(spec("a"));
        Host stranger = new Host("lc-b", Set.of(HostRole.GATEWAY), "", "", "", Map.of());

        try (LabHostAccesses accesses = new LabHostAccesses(lab, host, config)) {
            assertThatThrownBy(() -> accesses.forHost(a, stranger))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(LabErrorCode.SITE_NOT_FOUND);
                        assertThat(e.getMessage()).isEqualTo("lab site a has no host lc-b; its one host is lc-a");
                    });
            lab.down("a", false);
            assertThatThrownBy(() -> accesses.forHost(a, a.gateway()))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(LabErrorCode.SITE_NOT_FOUND);
                        assertThat(e.getMessage()).isEqualTo("the lab has no site a up on this machine");
                    });
        }
    }

    @Test
    void aSiteRunningInOneModeCannotBeBroughtUpInTheOther() {
        lab.up(spec("a"));
        Lab ssh = lab(new LabConfig(directory, java.util.Optional.empty(), java.time.Duration.ofSeconds(30), false,
                true, LabConfig.AccessMode.SSH));

        assertThatThrownBy(() -> ssh.up(spec("a")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(LabErrorCode.INVALID_SITE_SPEC);
                    assertThat(e.getMessage()).isEqualTo("site a runs with host-access = namespace and cannot switch"
                            + " to ssh while it runs");
                    assertThat(e.remedy()).startsWith("tear the site down first");
                });
    }
}
