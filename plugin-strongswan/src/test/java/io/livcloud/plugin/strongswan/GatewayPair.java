package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.provider.Host;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two gateways in network namespaces of their own ({@code lcst-a}, {@code lcst-b}, not the lab's names, so these tests
 * and a lab can coexist): a veth "WAN" 10.99.200.1 - 10.99.200.2 between them, and in each a bridge holding the
 * gateway's inside address, 10.99.201.1/24 and 10.99.202.1/24. Created and removed by the tests; removal is
 * idempotent and ends nothing it did not find in these namespaces.
 */
final class GatewayPair implements AutoCloseable {

    static final String A = "lcst-a";
    static final String B = "lcst-b";

    private GatewayPair() {
    }

    static GatewayPair create() {
        removeNamespaces();
        for (String namespace : List.of(A, B)) {
            must("ip", "netns", "add", namespace);
            must("ip", "-n", namespace, "link", "set", "lo", "up");
        }
        must("ip", "-n", A, "link", "add", "wan0", "type", "veth", "peer", "name", "wan0", "netns", B);
        must("ip", "-n", A, "addr", "add", "10.99.200.1/24", "dev", "wan0");
        must("ip", "-n", B, "addr", "add", "10.99.200.2/24", "dev", "wan0");
        int index = 1;
        for (String namespace : List.of(A, B)) {
            must("ip", "-n", namespace, "link", "set", "wan0", "up");
            must("ip", "-n", namespace, "link", "add", "vmbr0", "type", "bridge");
            must("ip", "-n", namespace, "addr", "add", "10.99.20" + index + ".1/24", "dev", "vmbr0");
            must("ip", "-n", namespace, "link", "set", "vmbr0", "up");
            index++;
        }
        return new GatewayPair();
    }

    TunnelEndpoint endpointA() {
        return endpoint("a", A, "10.99.200.1", "10.99.201");
    }

    TunnelEndpoint endpointB() {
        return endpoint("b", B, "10.99.200.2", "10.99.202");
    }

    private static TunnelEndpoint endpoint(String site, String namespace, String gateway, String subnetPrefix) {
        return new TunnelEndpoint(site, gateway, subnetPrefix + ".0/24", subnetPrefix + ".1", "",
                Map.of(Host.NETWORK_NAMESPACE, namespace));
    }

    TunnelSpec spec(String id) {
        return new TunnelSpec(id, endpointA(), endpointB(), TunnelAuthentication.PRE_SHARED_KEY, Map.of());
    }

    /** Runs a command inside a namespace. */
    static Commands.Result in(String namespace, String... command) {
        List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return Commands.run(full, Duration.ofSeconds(20));
    }

    static void must(String... command) {
        Commands.Result result = Commands.run(List.of(command), Duration.ofSeconds(20));
        assertThat(result.succeeded()).as(String.join(" ", command) + ": " + result.output()).isTrue();
    }

    /** The pids of processes in a namespace (charons the driver left would show here). */
    static List<String> processesIn(String namespace) {
        Commands.Result pids = Commands.run(List.of("ip", "netns", "pids", namespace), Duration.ofSeconds(10));
        return pids.succeeded() ? pids.output().lines().filter(line -> !line.isBlank()).toList() : List.of();
    }

    private static void removeNamespaces() {
        for (String namespace : List.of(A, B)) {
            Commands.run(List.of("ip", "netns", "delete", namespace), Duration.ofSeconds(10));
        }
    }

    @Override
    public void close() {
        removeNamespaces();
    }
}
