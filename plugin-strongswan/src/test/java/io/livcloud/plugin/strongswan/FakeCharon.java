package io.livcloud.plugin.strongswan;

import static io.livcloud.plugin.strongswan.vici.ScriptedViciServer.respond;
import static io.livcloud.plugin.strongswan.vici.ScriptedViciServer.send;

import io.livcloud.plugin.strongswan.vici.ScriptedViciServer;
import io.livcloud.plugin.strongswan.vici.ViciMessage;
import io.livcloud.plugin.strongswan.vici.ViciPacket;
import io.livcloud.testing.FakeHostAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A charon as far as the driver uses it, answering over VICI on a fake gateway's control socket: it keeps the
 * connections, shared secrets and keys it is given, brings every loaded connection "up" on {@code initiate}, and lists
 * each as an established SA whose counters grow with every {@code list-sas}, as traffic would make them.
 */
final class FakeCharon implements ScriptedViciServer.Script {

    /** Where the fake gateways' charons listen. */
    static final String SOCKET = "/var/run/charon.vici";

    private final List<String> plugins;
    private final Map<String, ViciMessage> connections = new ConcurrentHashMap<>();
    private final Map<String, List<String>> shared = new ConcurrentHashMap<>();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final Set<String> initiated = ConcurrentHashMap.newKeySet();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicLong packets = new AtomicLong();
    private final ScriptedViciServer server = new ScriptedViciServer(this);

    /** @param plugins what {@code stats} says charon loaded */
    FakeCharon(List<String> plugins) {
        this.plugins = List.copyOf(plugins);
    }

    /** A charon with the kernel's ESP. */
    static FakeCharon kernelEsp() {
        return new FakeCharon(List.of("random", "openssl", "kernel-netlink", "socket-default", "vici"));
    }

    /** A charon with its own userspace ESP. */
    static FakeCharon userspaceEsp() {
        return new FakeCharon(List.of("random", "openssl", "kernel-libipsec", "kernel-netlink", "socket-default",
                "vici"));
    }

    /** Puts this charon on {@link #SOCKET} of {@code host}; returns the host. */
    FakeHostAccess on(FakeHostAccess host) {
        return server.on(host, SOCKET);
    }

    /** The connection loaded under {@code name}, as the driver sent it. */
    ViciMessage connection(String name) {
        ViciMessage connection = connections.get(name);
        if (connection == null) {
            throw new AssertionError("no connection " + name + " loaded; commands: " + commands);
        }
        return connection;
    }

    Set<String> connectionNames() {
        return Set.copyOf(connections.keySet());
    }

    Set<String> sharedSecretIds() {
        return Set.copyOf(shared.keySet());
    }

    /** The identities a loaded shared secret is shared between. */
    List<String> sharedSecretOwners(String id) {
        return shared.getOrDefault(id, List.of());
    }

    /** The commands received, in order. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    @Override
    public boolean answer(ViciPacket received, OutputStream out) throws IOException {
        if (received.type() != ViciPacket.Type.CMD_REQUEST) {
            send(out, new ViciPacket(ViciPacket.Type.EVENT_CONFIRM, "", ViciMessage.EMPTY));
            return true;
        }
        commands.add(received.name());
        ViciMessage arguments = received.message();
        ViciMessage success = ViciMessage.builder().put("success", true).build();
        switch (received.name()) {
            case "version" -> respond(out, ViciMessage.builder().put("daemon", "charon").put("version", "5.9.13")
                    .build());
            case "stats" -> respond(out, ViciMessage.builder().list("plugins", plugins).build());
            case "load-conn" -> {
                arguments.sections().forEach(entry -> connections.put(entry.name(), entry.section()));
                respond(out, success);
            }
            case "unload-conn" -> {
                String name = arguments.text("name").orElseThrow();
                connections.remove(name);
                initiated.remove(name);
                respond(out, success);
            }
            case "get-conns" -> respond(out, ViciMessage.builder().list("conns", List.copyOf(connections.keySet()))
                    .build());
            case "load-shared" -> {
                shared.put(arguments.text("id").orElseThrow(), arguments.list("owners"));
                respond(out, success);
            }
            case "unload-shared" -> {
                shared.remove(arguments.text("id").orElseThrow());
                respond(out, success);
            }
            case "get-shared" -> respond(out, ViciMessage.builder().list("keys", List.copyOf(shared.keySet()))
                    .build());
            case "load-cert" -> respond(out, success);
            case "load-key" -> {
                keys.add("key-" + keys.size());
                respond(out, ViciMessage.builder().put("success", true).put("id", "key-" + (keys.size() - 1))
                        .build());
            }
            case "unload-key" -> {
                keys.remove(arguments.text("id").orElseThrow());
                respond(out, success);
            }
            case "get-keys" -> respond(out, ViciMessage.builder().list("keys", List.copyOf(keys)).build());
            case "initiate" -> {
                initiated.add(arguments.text("ike").orElseThrow());
                respond(out, success);
            }
            case "terminate" -> {
                initiated.remove(arguments.text("ike").orElseThrow());
                respond(out, success);
            }
            case "list-sas" -> {
                long count = packets.addAndGet(5);
                for (String name : initiated) {
                    ViciMessage child = ViciMessage.builder().put("name", name + "-net").put("state", "INSTALLED")
                            .put("protocol", "ESP").put("encr-alg", "AES_GCM_16").put("encr-keysize", "256")
                            .put("packets-in", count).put("packets-out", count).put("bytes-in", count * 84)
                            .put("bytes-out", count * 84).build();
                    ViciMessage sa = ViciMessage.builder().put("state", "ESTABLISHED").put("established", "3")
                            .put("encr-alg", "AES_GCM_16").put("encr-keysize", "256").put("dh-group", "ECP_384")
                            .section("child-sas", ViciMessage.builder().section(name + "-net-1", child).build())
                            .build();
                    send(out, new ViciPacket(ViciPacket.Type.EVENT, "list-sa", ViciMessage.builder()
                            .section(name, sa).build()));
                }
                respond(out, ViciMessage.EMPTY);
            }
            default -> respond(out, ViciMessage.builder().put("success", false).put("errmsg", "unscripted command "
                    + received.name()).build());
        }
        return true;
    }
}
