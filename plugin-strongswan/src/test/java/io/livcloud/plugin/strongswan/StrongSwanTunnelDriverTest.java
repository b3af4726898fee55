package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.strongswan.vici.ViciMessage;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.tunnel.Tunnel;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import io.livcloud.spi.tunnel.TunnelStatus;
import io.livcloud.testing.FakeHostAccess;
import io.livcloud.testing.TestingExtensionContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver against two fake gateways, each a {@link FakeHostAccess} whose control socket a {@link FakeCharon}
 * serves: a cloud-like gateway a (private 10.0.0.5 behind the public 198.51.100.1) and a lab-like b (no NAT).
 */
class StrongSwanTunnelDriverTest {

    static final TunnelEndpoint CLOUD_A = new TunnelEndpoint("a", "a-gw", "198.51.100.1", "10.99.11.0/24",
            "10.99.11.1", Optional.of(new TunnelControl(FakeCharon.SOCKET, "10.0.0.5", "198.51.100.1",
                    "/usr/local/sbin/livcloud-tunnel-updown")), Optional.empty(), Map.of());
    static final TunnelEndpoint LAB_B = new TunnelEndpoint("b", "b-gw", "10.99.200.2", "10.99.12.0/24", "10.99.12.1",
            Optional.of(new TunnelControl(FakeCharon.SOCKET, "10.99.200.2", "10.99.200.2", "")), Optional.empty(),
            Map.of());

    @TempDir
    Path directory;

    private final FakeCharon charonA = FakeCharon.kernelEsp();
    private final FakeCharon charonB = FakeCharon.kernelEsp();
    private final FakeHostAccess hostA = charonA.on(new FakeHostAccess("fake ssh root@198.51.100.1"));
    private final FakeHostAccess hostB = charonB.on(new FakeHostAccess("fake namespace lc-b"));

    private TestingExtensionContext context() {
        return new TestingExtensionContext("strongswan").withWorkDirectory(directory)
                .withHostAccess("a", "a-gw", hostA).withHostAccess("b", "b-gw", hostB);
    }

    private StrongSwanTunnelDriver driver(TestingExtensionContext context) {
        return driver(context, TestConfigs.config());
    }

    private static StrongSwanTunnelDriver driver(TestingExtensionContext context, StrongSwanConfig config) {
        return new StrongSwanTunnelDriver(config, context, PreSharedKeys.stored(context.secrets()));
    }

    private static TunnelSpec spec(TunnelEndpoint local, TunnelEndpoint remote) {
        return new TunnelSpec("a-b", local, remote, TunnelAuthentication.PRE_SHARED_KEY, Map.of());
    }

    @Test
    void eachGatewaysCharonIsDrivenThroughItsOwnHostAccessAtItsPublishedControlSocket() {
        TestingExtensionContext context = context();
        Tunnel tunnel = driver(context).establish(spec(CLOUD_A, LAB_B));

        assertThat(charonA.connectionNames()).containsExactly("livcloud-a-b");
        assertThat(charonB.connectionNames()).containsExactly("livcloud-a-b");
        assertThat(charonA.sharedSecretIds()).containsExactly("livcloud-a-b-psk");
        assertThat(charonB.sharedSecretIds()).containsExactly("livcloud-a-b-psk");
        assertThat(charonA.commands()).as("a initiates").contains("initiate");
        assertThat(charonB.commands()).as("b answers").doesNotContain("initiate");
        assertThat(tunnel.status().state()).isEqualTo(TunnelState.UP);
        assertThat(hostA.commands()).as("no command ran at a, only VICI").isEmpty();

        StrongSwanTunnelDriver restarted = driver(context);
        Tunnel found = restarted.find("a-b").orElseThrow();
        assertThat(found.status().state()).as("a recorded tunnel reaches its gateways again").isEqualTo(TunnelState.UP);
        found.tearDown();

        assertThat(charonA.connectionNames()).isEmpty();
        assertThat(charonB.connectionNames()).isEmpty();
        assertThat(charonA.sharedSecretIds()).isEmpty();
        assertThat(charonB.sharedSecretIds()).isEmpty();
        assertThat(restarted.list()).isEmpty();
    }

    @Test
    void behindNatAGatewaySendsFromTheAddressItHoldsNamedByItsPublicIdentityAndTheUpdownGetsThePeersInsideAddress() {
        driver(context()).establish(spec(CLOUD_A, LAB_B));

        ViciMessage atA = charonA.connection("livcloud-a-b");
        assertThat(atA.list("local_addrs")).as("the private address the cloud VM holds").containsExactly("10.0.0.5");
        assertThat(atA.list("remote_addrs")).containsExactly("10.99.200.2");
        assertThat(atA.section("local").flatMap(local -> local.text("id"))).contains("198.51.100.1");
        assertThat(atA.section("remote").flatMap(remote -> remote.text("id"))).contains("10.99.200.2");
        assertThat(atA.section("children").flatMap(children -> children.section("livcloud-a-b-net"))
                .flatMap(child -> child.text("updown"))).contains("/usr/local/sbin/livcloud-tunnel-updown 10.99.12.1");
        ViciMessage atB = charonB.connection("livcloud-a-b");
        assertThat(atB.list("local_addrs")).containsExactly("10.99.200.2");
        assertThat(atB.list("remote_addrs")).as("a's public address, which NAT forwards").containsExactly(
                "198.51.100.1");
        assertThat(atB.section("remote").flatMap(remote -> remote.text("id"))).contains("198.51.100.1");
        assertThat(charonA.sharedSecretOwners("livcloud-a-b-psk")).containsExactly("198.51.100.1", "10.99.200.2");
        assertThat(charonB.sharedSecretOwners("livcloud-a-b-psk")).containsExactly("10.99.200.2", "198.51.100.1");
    }

    @Test
    void theTrafficCheckPingsAtTheLocalGatewayThroughItsHostAccessFromItsInsideAddressToThePeers() {
        hostA.program("ping", command -> new CommandResult(0, "3 packets transmitted, 3 received", ""));
        Tunnel tunnel = driver(context()).establish(spec(CLOUD_A, LAB_B));

        TunnelStatus checked = tunnel.check();

        assertThat(checked.state()).as(checked.detail()).isEqualTo(TunnelState.UP);
        assertThat(checked.detail()).contains("traffic check: 10.99.11.1 -> 10.99.12.1 answered through the tunnel");
        assertThat(hostA.commandLines()).containsExactly("ping -n -q -c 3 -i 0.02 -W 2 -I 10.99.11.1 10.99.12.1");
        assertThat(hostB.commandLines()).isEmpty();

        hostA.program("ping", command -> new CommandResult(1, "3 packets transmitted, 0 received", ""));
        TunnelStatus unanswered = tunnel.check();
        assertThat(unanswered.state()).isEqualTo(TunnelState.FAILED);
        assertThat(unanswered.detail()).contains("got no answer (3 packets transmitted, 0 received)");
    }

    @Test
    void theDataPathIsReadFromTheGatewaysCharonsAndEspGoesInUdpWhenEitherCarriesItInUserSpace() {
        FakeCharon userspaceA = FakeCharon.userspaceEsp();
        FakeHostAccess cloudA = userspaceA.on(new FakeHostAccess("fake ssh root@198.51.100.1"));
        TestingExtensionContext context = new TestingExtensionContext("strongswan").withWorkDirectory(directory)
                .withHostAccess("a", "a-gw", cloudA).withHostAccess("b", "b-gw", hostB);

        Tunnel tunnel = driver(context).establish(spec(CLOUD_A, LAB_B));

        assertThat(userspaceA.connection("livcloud-a-b").text("encap")).contains("yes");
        assertThat(charonB.connection("livcloud-a-b").text("encap")).as("its kernel-ESP peer receives UDP too")
                .contains("yes");
        assertThat(context.emitted("tunnel.data-path")).singleElement().satisfies(event -> assertThat(
                event.message()).startsWith("ESP data path: userspace-libipsec (site a's charon loaded"
                        + " kernel-libipsec").contains("site b's charon loaded kernel-netlink"));
        assertThat(tunnel.status().dataPath()).isEqualTo("userspace-libipsec");
        assertThat(cloudA.commandLines()).as("asked over VICI, no probe run").isEmpty();
    }

    @Test
    void twoGatewaysWithTheKernelsEspSendItRaw() {
        TestingExtensionContext context = context();

        driver(context).establish(spec(CLOUD_A, LAB_B));

        assertThat(charonA.connection("livcloud-a-b").text("encap")).contains("no");
        assertThat(charonB.connection("livcloud-a-b").text("encap")).contains("no");
        assertThat(context.emitted("tunnel.data-path")).singleElement().satisfies(event -> assertThat(
                event.message()).startsWith("ESP data path: kernel-esp"));
    }

    @Test
    void dataPathKernelRefusesAGatewayWhoseCharonCarriesEspInUserSpace() {
        FakeCharon userspaceB = FakeCharon.userspaceEsp();
        TestingExtensionContext context = new TestingExtensionContext("strongswan").withWorkDirectory(directory)
                .withHostAccess("a", "a-gw", hostA).withHostAccess("b", "b-gw", userspaceB.on(new FakeHostAccess()));
        StrongSwanTunnelDriver driver = driver(context, StrongSwanConfig.from(TestConfigs.defaults()
                .with("data-path", "kernel")));

        assertThatThrownBy(() -> driver.establish(spec(CLOUD_A, LAB_B)))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StrongSwanErrorCode.KERNEL_ESP_UNAVAILABLE);
                    assertThat(e.getMessage()).isEqualTo("data-path = kernel, but site b's charon loaded"
                            + " kernel-libipsec: ESP in user space, inside UDP");
                });
        assertThat(charonA.connectionNames()).isEmpty();
        assertThat(userspaceB.connectionNames()).isEmpty();
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void aGatewayWithoutTunnelControlIsRefusedNamingItsSiteAndWhatItsProviderMustPublish() {
        TunnelEndpoint uncontrolled = new TunnelEndpoint("b", "b-gw", "198.51.100.2", "10.99.12.0/24", "10.99.12.1",
                Optional.empty(), Optional.empty(), Map.of());
        StrongSwanTunnelDriver driver = driver(context());

        assertThatThrownBy(() -> driver.establish(spec(CLOUD_A, uncontrolled)))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StrongSwanErrorCode.NO_TUNNEL_CONTROL);
                    assertThat(e.getMessage()).isEqualTo("site b's gateway b-gw publishes no tunnel control, so"
                            + " LivCloud cannot reach its charon");
                    assertThat(e.remedy()).contains("the site's provider must publish the gateway's TunnelControl",
                            "VICI socket");
                });
        assertThat(hostA.calls() + hostB.calls()).as("nothing reached").isZero();
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void aGatewayWhoseCharonDoesNotAnswerIsNamedAndNothingIsLoadedOrRecorded() {
        hostB.socket(FakeCharon.SOCKET, () -> {
            throw new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET, "nothing listens on "
                    + FakeCharon.SOCKET, "start it");
        });
        StrongSwanTunnelDriver driver = driver(context());

        assertThatThrownBy(() -> driver.establish(spec(CLOUD_A, LAB_B)))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StrongSwanErrorCode.CHARON_NOT_RUNNING);
                    assertThat(e.getMessage()).contains("the charon of site b's gateway does not answer",
                            FakeCharon.SOCKET + " on fake namespace lc-b", "nothing listens");
                });
        assertThat(charonA.connectionNames()).isEmpty();
        assertThat(driver.list()).isEmpty();
    }

    @Test
    void aTunnelWhoseGatewayCannotBeReachedAnyMoreShowsAsDownWithWhy() {
        Tunnel tunnel = driver(context()).establish(spec(CLOUD_A, LAB_B));
        hostA.socket(FakeCharon.SOCKET, () -> {
            throw new ExtensionException(FakeHostAccess.TestErrorCode.NO_SUCH_SOCKET, "ssh: connection timed out",
                    "check the network");
        });

        TunnelStatus down = tunnel.status();

        assertThat(down.state()).isEqualTo(TunnelState.DOWN);
        assertThat(down.detail()).contains("the charon of site a's gateway is not running, or not reachable",
                "ssh: connection timed out");
    }

    @Test
    void aHostThatGivesNoHostAccessIsNamed() {
        StrongSwanTunnelDriver driver = driver(new TestingExtensionContext("strongswan").withWorkDirectory(directory));

        assertThatThrownBy(() -> driver.establish(spec(CLOUD_A, LAB_B)))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StrongSwanErrorCode.NO_HOST_ACCESS);
                    assertThat(e.getMessage()).contains("site b's gateway b-gw");
                });
    }
}
