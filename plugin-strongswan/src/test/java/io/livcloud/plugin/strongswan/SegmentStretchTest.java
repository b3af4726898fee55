package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.VmSegment;
import io.livcloud.spi.tunnel.StretchSpec;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.testing.FakeHostAccess;
import io.livcloud.testing.TestingExtensionContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The stretch's commands at each gateway, run through its host access against a fake {@code ip} and {@code bridge}. */
class SegmentStretchTest {

    private static final StretchSpec SEGMENT = new StretchSpec("lab", 4242, 1350);
    private static final String DEVICE = "lcvx4242";

    private final FakeIp ipA = new FakeIp("seg0");
    private final FakeIp ipB = new FakeIp("seg0");
    private final FakeHostAccess hostA = ipA.on(new FakeHostAccess("fake ssh root@198.51.100.1"));
    private final FakeHostAccess hostB = ipB.on(new FakeHostAccess("fake ssh root@198.51.100.2"));
    private final TestingExtensionContext context = new TestingExtensionContext("strongswan")
            .withHostAccess("a", "a-gw", hostA).withHostAccess("b", "b-gw", hostB);

    private CharonGateway gateway(TunnelEndpoint end) {
        return new CharonGateway(new TunnelEndpoint(end.siteName(), end.gatewayName(), end.gatewayAddress(),
                end.subnet(), end.insideAddress(), end.control(), Optional.of(new VmSegment("lab", "seg0", 1350,
                        "10.99.100.0/24", "10.99.100.1")), Map.of()), context);
    }

    private final CharonGateway a = gateway(StrongSwanTunnelDriverTest.CLOUD_A);
    private final CharonGateway b = gateway(StrongSwanTunnelDriverTest.LAB_B);

    @Test
    void eachGatewayGetsAVxlanDeviceFromItsInsideAddressToThePeersOnTheSegmentsBridge() {
        SegmentStretch stretch = SegmentStretch.between(SEGMENT, a, b).join();

        assertThat(hostA.commandLines()).containsExactly(
                "ip link show seg0",
                "ip -d link show " + DEVICE,
                "ip link add " + DEVICE + " type vxlan id 4242 local 10.99.11.1 remote 10.99.12.1 dstport 4789",
                "ip link set " + DEVICE + " alias livcloud-stretch lab",
                "ip link set " + DEVICE + " mtu 1350 master seg0 up");
        assertThat(hostB.commandLines()).contains(
                "ip link add " + DEVICE + " type vxlan id 4242 local 10.99.12.1 remote 10.99.11.1 dstport 4789");
        assertThat(stretch.status().joined()).as(stretch.status().detail()).isTrue();
        assertThat(SegmentStretch.found(a, b)).extracting(found -> found.spec()).containsExactly(SEGMENT);
    }

    @Test
    void theSiteOfAMacIsWhereABridgeLearnedItOnAVmsPort() {
        SegmentStretch stretch = SegmentStretch.between(SEGMENT, a, b).join();
        hostB.program("bridge", command -> new CommandResult(0, "52:54:00:10:20:30 dev vnet0 master seg0\n"
                + "52:54:00:aa:bb:cc dev " + DEVICE + " master seg0\n", ""));
        hostA.program("bridge", command -> new CommandResult(0, "52:54:00:aa:bb:cc dev vnet3 master seg0\n"
                + "52:54:00:10:20:30 dev " + DEVICE + " master seg0\n", ""));

        assertThat(stretch.siteOf("52:54:00:10:20:30")).contains("b");
        assertThat(stretch.siteOf("52:54:00:AA:BB:CC")).contains("a");
        assertThat(hostB.commandLines()).contains("bridge fdb show br seg0");
    }

    @Test
    void aGatewayWithoutTheBridgeFailsTheStretchAndNothingIsLeftAtTheOther() {
        ipB.devices.remove("seg0");

        assertThatThrownBy(() -> SegmentStretch.between(SEGMENT, a, b).join())
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(StrongSwanErrorCode.STRETCH_FAILED);
                    assertThat(e.getMessage()).contains("site b has no bridge seg0 for segment lab");
                });
        assertThat(ipA.devices.keySet()).containsExactly("seg0");
        assertThat(hostA.commandLines()).contains("ip link del " + DEVICE);
    }

    @Test
    void removingTakesTheDeviceFromBothGateways() {
        SegmentStretch stretch = SegmentStretch.between(SEGMENT, a, b).join();

        stretch.remove();

        assertThat(ipA.devices.keySet()).containsExactly("seg0");
        assertThat(ipB.devices.keySet()).containsExactly("seg0");
        assertThat(SegmentStretch.found(a, b)).isEmpty();
    }

    /** The little of {@code ip} a stretch uses, over a table of devices. */
    private static final class FakeIp {
        final Map<String, String> devices = new ConcurrentHashMap<>();

        FakeIp(String bridge) {
            devices.put(bridge, "bridge");
        }

        FakeHostAccess on(FakeHostAccess host) {
            return host.program("ip", this::answer);
        }

        private CommandResult answer(HostCommand command) {
            List<String> argv = command.argv().subList(1, command.argv().size());
            String joined = String.join(" ", argv);
            if (joined.equals("-d -o link show type vxlan")) {
                StringBuilder out = new StringBuilder();
                devices.forEach((name, details) -> {
                    if (details.contains("vxlan")) {
                        out.append("7: ").append(name).append(": <BROADCAST,UP> ").append(details).append('\n');
                    }
                });
                return ok(out.toString());
            }
            List<String> words = argv.get(0).equals("-d") ? argv.subList(1, argv.size()) : argv;
            String name = words.get(2);
            switch (words.get(0) + " " + words.get(1)) {
                case "link show" -> {
                    String details = devices.get(name);
                    return details == null ? new CommandResult(1, "", "Device \"" + name + "\" does not exist.")
                            : ok("7: " + name + ": <BROADCAST,MULTICAST,UP,LOWER_UP> " + details + "\n");
                }
                case "link add" -> {
                    devices.put(name, "mtu 1500 vxlan id " + words.get(6) + " remote " + words.get(10) + " local "
                            + words.get(8) + " dstport " + words.get(12));
                    return ok("");
                }
                case "link set" -> {
                    String rest = String.join(" ", words.subList(3, words.size()));
                    devices.computeIfPresent(name, (device, details) -> rest.startsWith("mtu")
                            ? details.replace("mtu 1500", "mtu " + words.get(4)) + " master " + words.get(6)
                            : details + " " + rest);
                    return ok("");
                }
                case "link del" -> {
                    devices.remove(name);
                    return ok("");
                }
                default -> throw new AssertionError("unexpected ip " + joined);
            }
        }

        private static CommandResult ok(String stdout) {
            return new CommandResult(0, stdout, "");
        }
    }
}
