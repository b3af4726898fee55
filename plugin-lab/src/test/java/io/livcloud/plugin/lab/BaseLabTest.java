package io.livcloud.plugin.lab;

import java.time.ZoneOffset;
import java.time.Instant;
import java.time.Clock;
import io.livcloud.testing.TestingExtensionContext;
import io.livcloud.spi.provider.SiteSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lab on a {@link FakeLabHost} in a fresh directory, for the tests of the lab and of its parts: they all drive it
 * through {@link Lab#up} and {@link Lab#down}, since the exact commands and their order are what the tests hold.
 */
abstract class BaseLabTest {

    /** The time the lab's events carry in these tests. */
    static final Clock FIXED_CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    final FakeLabHost host = new FakeLabHost();
    final TestingExtensionContext context = new TestingExtensionContext("lab").withClock(FIXED_CLOCK);
    private final AtomicInteger uuids = new AtomicInteger();
    LabConfig config;
    Lab lab;
    String owner;

    @BeforeEach
    void createLab() {
        config = config(LabConfig.AccessMode.NAMESPACE);
        lab = lab(config);
        owner = "livcloud-lab " + directory;
    }

    /** The lab's configuration in this directory: no WAN rate, no installer, migration TLS, this mode. */
    LabConfig config(LabConfig.AccessMode mode) {
        return new LabConfig(directory, Optional.empty(), Duration.ofSeconds(30), false, true, mode);
    }

    Lab lab(LabConfig config) {
        return new Lab(config, host, LabEvents.of(context),
                () -> new UUID(0, uuids.incrementAndGet()));
    }

    static SiteSpec spec(String name) {
        return spec(name, Map.of());
    }

    static SiteSpec spec(String name, Map<String, String> options) {
        return new SiteSpec(name, "", "", "", "", "", options);
    }

    Path site(String name) {
        return directory.resolve("sites").resolve(name);
    }

    /** The WAN and the lab's user, as the first site makes them. */
    List<String> wanAndUser() {
        return List.of(
                "ip netns add lcwan",
                "ip -n lcwan link set lo up",
                "ip -n lcwan link add lcbr0 type bridge",
                "ip -n lcwan link set lcbr0 alias " + owner,
                "ip -n lcwan link set lcbr0 up",
                "ip netns add lcuser",
                "ip -n lcuser link set lo up",
                "ip -n lcwan link add lcuser0 type veth peer name wan0 netns lcuser",
                "ip -n lcwan link set lcuser0 master lcbr0",
                "ip -n lcwan link set lcuser0 up",
                "ip -n lcuser addr add 10.99.0.250/24 dev wan0",
                "ip -n lcuser link set wan0 alias " + owner,
                "ip -n lcuser link set wan0 up",
                "ip -n lcuser route add 10.99.100.0/24 via 10.99.0.2");
    }

    /** How the lab starts the charon of a site, as the fake records it. */
    String charonStart(String name) {
        return "start setsid ip netns exec lc-" + name + " unshare --mount --propagation private sh -c <script> sh "
                + site(name) + "/charon/run " + site(name) + "/charon/strongswan.conf /usr/lib/ipsec/charon";
    }

    /** The commands in order, from single commands and lists of them. */
    static List<String> commands(Object... parts) {
        List<String> commands = new ArrayList<>();
        for (Object part : parts) {
            if (part instanceof List<?> list) {
                list.forEach(command -> commands.add((String) command));
            } else {
                commands.add((String) part);
            }
        }
        return commands;
    }
}
