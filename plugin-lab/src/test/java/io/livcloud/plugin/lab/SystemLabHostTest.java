package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.plugin.lab.LabHost.CommandResult;
import io.livcloud.plugin.lab.LabHost.NetworkLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parsing the real host does, on output captured from Debian 12 (iproute2 6.1, Linux 6.x); and its commands, as
 * the lab reads them, with real programs.
 */
class SystemLabHostTest {

    @Test
    void linksWithPeerSuffixAliasesStateAndAddresses() {
        String links = """
                1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
                2: lcbr0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/ether 0e:73:30:8e:41:a6 brd ff:ff:ff:ff:ff:ff\\    alias livcloud-lab /tmp/lab dir
                3: lcw-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master lcbr0 state UP mode DEFAULT group default qlen 1000\\    link/ether 0e:73:30:8e:41:a6 brd ff:ff:ff:ff:ff:ff link-netns lc-a
                4: wan0@if3: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\\    link/ether c2:fd:bd:1a:b7:0b brd ff:ff:ff:ff:ff:ff link-netns lcwan\\    alias livcloud-lab /x
                """;
        String addresses = """
                1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
                4: wan0    inet 10.99.0.2/24 scope global wan0\\       valid_lft forever preferred_lft forever
                """;

        assertThat(SystemLabHost.parseLinks(links, addresses)).containsExactly(
                new NetworkLink("lo", "", true, List.of("127.0.0.1/8")),
                new NetworkLink("lcbr0", "livcloud-lab /tmp/lab dir", true, List.of()),
                new NetworkLink("lcw-a", "", true, List.of()),
                new NetworkLink("wan0", "livcloud-lab /x", false, List.of("10.99.0.2/24")));
    }

    @Test
    void processStateParentAndCommandLine() {
        assertThat(SystemLabHost.parseState("29579 (sleep) Z 1 29576 25837 0 -1")).isEqualTo('Z');
        assertThat(SystemLabHost.parseState("12 (odd) name) S 1 2")).isEqualTo('S');
        assertThat(SystemLabHost.parseParentPid("12 (odd) name) S 4711 2")).isEqualTo(4711);
        assertThat(SystemLabHost.parseParentPid("12 (cut")).isZero();
        assertThat(SystemLabHost.parseCommandLine("libvirtd\0--listen\0-f\0/a b/c.conf\0".getBytes(
                StandardCharsets.UTF_8))).containsExactly("libvirtd", "--listen", "-f", "/a b/c.conf");
        assertThat(SystemLabHost.parseCommandLine(new byte[0])).isEmpty();
    }

    @Test
    void mountPointsWithEscapedSpaces() {
        String mountinfo = """
                22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
                611 22 0:4 net:[4026532247] /run/netns/lc-a rw shared:300 - nsfs nsfs rw
                700 22 254:1 /tmp/my\\040lab/sites/a/run /run/libvirt rw - ext4 /dev/vda1 rw
                """;

        assertThat(SystemLabHost.parseMountPoints(mountinfo)).containsExactly("/", "/run/netns/lc-a", "/run/libvirt");
    }

    @Test
    void aCommandsOutputHasBothStreamsInTheOrderTheyCame() {
        CommandResult result = new SystemLabHost().run(List.of("sh", "-c", "echo first; sleep 0.2; echo second >&2;"
                + " sleep 0.2; echo third; exit 2"), Duration.ofSeconds(30));

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).isEqualTo("first\nsecond\nthird\n");
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void aCommandThatCannotStartOrRunsTooLongIsAFailedResult() {
        CommandResult missing = new SystemLabHost().run(List.of("livcloud-no-such-tool", "x"), Duration.ofSeconds(30));
        CommandResult slow = new SystemLabHost().run(List.of("sh", "-c", "echo started; exec sleep 60"),
                Duration.ofMillis(300));

        assertThat(missing.exitCode()).isEqualTo(-1);
        assertThat(missing.timedOut()).isFalse();
        assertThat(missing.output()).contains("livcloud-no-such-tool is not installed (not on PATH, nor in");
        assertThat(slow.exitCode()).isEqualTo(-1);
        assertThat(slow.timedOut()).isTrue();
        assertThat(slow.output()).isEqualTo("started\n");
    }
}
