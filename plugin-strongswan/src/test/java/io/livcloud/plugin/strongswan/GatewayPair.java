package io.livcloud.plugin.strongswan;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.core.host.FileSecretStore;
import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciEndpoint;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.testing.TestingExtensionContext;
import io.livcloud.testing.plugin.LocalHostAccess;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two gateways in network namespaces of their own ({@code lcst-a}, {@code lcst-b}, not the lab's names, so these tests
 * and a lab can coexist): a veth "WAN" 10.99.200.1 - 10.99.200.2 between them, in each a bridge holding the gateway's
 * inside address, 10.99.201.1/24 and 10.99.202.1/24, and a charon, started here as the lab starts a site's (the driver
 * starts none). The driver reaches each gateway only through its host access ({@link LocalHostAccess}) at the
 * control socket its end publishes, as it reaches a cloud gateway over SSH. Created and removed by the tests; removal
 * is idempotent and ends nothing it did not find in these namespaces.
 */
final class GatewayPair implements AutoCloseable {

    static final String A = "lcst-a";
    static final String B = "lcst-b";
    /** The gateways' folders; not under /run, which each charon replaces with a folder of its own. */
    static final Path STATE = Path.of("/tmp/livcloud-lcst");

    private final DataPath dataPath;
    private final Map<String, LocalHostAccess> hosts = Map.of(A, LocalHostAccess.inNamespace(A), B,
            LocalHostAccess.inNamespace(B));
    private final Map<String, NamespaceCharon> charons;

    private GatewayPair(DataPath dataPath) {
        this.dataPath = dataPath;
        this.charons = Map.of(A, new NamespaceCharon(A, STATE.resolve(A), dataPath, hosts.get(A)), B,
                new NamespaceCharon(B, STATE.resolve(B), dataPath, hosts.get(B)));
    }

    /** The namespaces, their network, and a charon in each with the data path this machine's kernel allows. */
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
        GatewayPair pair = new GatewayPair(LocalKernelEsp.dataPath());
        pair.charons.values().forEach(NamespaceCharon::start);
        return pair;
    }

    /** The data path both charons were started with. */
    DataPath dataPath() {
        return dataPath;
    }

    NamespaceCharon charon(String namespace) {
        return charons.get(namespace);
    }

    LocalHostAccess host(String namespace) {
        return hosts.get(namespace);
    }

    /** A VICI client of a gateway's charon, through its host access as the driver's. */
    ViciClient vici(String namespace) {
        return ViciClient.connect(ViciEndpoint.on(hosts.get(namespace), charons.get(namespace).socket().toString()));
    }

    /** What the driver gets from its host: a secret store in {@code directory}, a work folder, both gateways. */
    TestingExtensionContext context(Path directory) {
        return new TestingExtensionContext("strongswan")
                .withSecrets(new FileSecretStore(directory.resolve("secrets")))
                .withWorkDirectory(directory.resolve("work"))
                .withHostAccess(Endpoints.A.siteName(), A, hosts.get(A))
                .withHostAccess(Endpoints.B.siteName(), B, hosts.get(B));
    }

    /** Asserts that a gateway's charon runs and holds nothing of LivCloud's: no connection, shared secret or key. */
    void assertNothingLoaded(String namespace) {
        assertThat(charons.get(namespace).running()).as("the charon of " + namespace + " still runs").isTrue();
        try (ViciClient client = vici(namespace)) {
            assertThat(client.connectionNames()).as("connections at " + namespace).isEmpty();
            assertThat(client.sharedSecretIds()).as("shared secrets at " + namespace).isEmpty();
            assertThat(client.privateKeyIds()).as("private keys at " + namespace).isEmpty();
        }
    }

    TunnelEndpoint endpointA() {
        return Endpoints.A;
    }

    TunnelEndpoint endpointB() {
        return Endpoints.B;
    }

    /** The two ends' descriptions, which unit tests use without the namespaces; no NAT: local address = identity. */
    static final class Endpoints {
        static final TunnelEndpoint A = endpoint("a", GatewayPair.A, "10.99.200.1", "10.99.201");
        static final TunnelEndpoint B = endpoint("b", GatewayPair.B, "10.99.200.2", "10.99.202");

        TunnelEndpoint a() {
            return A;
        }

        TunnelEndpoint b() {
            return B;
        }
    }

    private static TunnelEndpoint endpoint(String site, String namespace, String gateway, String subnetPrefix) {
        TunnelControl control = new TunnelControl(STATE.resolve(namespace).resolve("run/charon.vici").toString(),
                gateway, gateway, "");
        return new TunnelEndpoint(site, namespace, gateway, subnetPrefix + ".0/24", subnetPrefix + ".1",
                Optional.of(control), Optional.empty(), Map.of());
    }

    TunnelSpec spec(String id) {
        return new TunnelSpec(id, endpointA(), endpointB(), TunnelAuthentication.PRE_SHARED_KEY, Map.of());
    }

    /** A finished test command: its exit code and its output. */
    record Ran(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Runs a command on this machine. */
    static Ran run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Ran(-1, output + " (timed out)");
            }
            return new Ran(process.exitValue(), output);
        } catch (java.io.IOException e) {
            return new Ran(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ran(-1, "interrupted");
        }
    }

    /** Runs a command inside a namespace. */
    static Ran in(String namespace, String... command) {
        List<String> full = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return run(full);
    }

    static void must(String... command) {
        Ran result = run(List.of(command));
        assertThat(result.succeeded()).as(String.join(" ", command) + ": " + result.output()).isTrue();
    }

    /** The pids of processes in a namespace (charons the driver left would show here). */
    static List<String> processesIn(String namespace) {
        Ran pids = run(List.of("ip", "netns", "pids", namespace));
        return pids.succeeded() ? pids.output().lines().filter(line -> !line.isBlank()).toList() : List.of();
    }

    private static void removeNamespaces() {
        for (String namespace : List.of(A, B)) {
            // Only these tests make these namespaces, so whatever still runs inside (a charon a failed test left) is
            // theirs to end; otherwise it would keep the namespace alive after its name is gone.
            for (String pid : processesIn(namespace)) {
                run(List.of("kill", "-KILL", pid.strip()));
            }
            run(List.of("ip", "netns", "delete", namespace));
        }
    }

    @Override
    public void close() {
        try {
            charons.values().forEach(NamespaceCharon::stop);
        } finally {
            removeNamespaces();
            run(List.of("rm", "-rf", STATE.toString()));
        }
    }
}
