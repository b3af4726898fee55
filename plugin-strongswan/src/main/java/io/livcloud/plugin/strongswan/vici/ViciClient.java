package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * charon's commands and events as typed Java calls, over one {@link ViciConnection}. A command charon answers with
 * {@code success = no} throws {@link ViciException.Reason#COMMAND_FAILED} with charon's {@code errmsg}, except
 * {@link #initiate} and {@link #terminate}, whose {@link CommandOutcome} also carries the log that explains a failure.
 */
public final class ViciClient implements AutoCloseable {

    private final ViciConnection connection;

    private ViciClient(ViciConnection connection) {
        this.connection = connection;
    }

    /**
     * Connects to charon through the endpoint's host access.
     *
     * @throws ViciException {@link ViciException.Reason#CANNOT_CONNECT} when the host cannot be reached or charon does
     *     not listen there
     */
    public static ViciClient connect(ViciEndpoint endpoint) {
        return new ViciClient(ViciConnection.open(endpoint));
    }

    /** Wraps an open connection. */
    public static ViciClient over(ViciConnection connection) {
        return new ViciClient(requireNonNull(connection, "connection is null"));
    }

    /** The connection, for commands this class does not type. */
    public ViciConnection connection() {
        return connection;
    }

    /** {@code version}. */
    public CharonVersion version() {
        ViciMessage answer = connection.request("version", ViciMessage.EMPTY);
        return new CharonVersion(answer.text("daemon").orElse(""), answer.text("version").orElse(""),
                String.join(" ", answer.text("sysname").orElse(""), answer.text("release").orElse(""),
                        answer.text("machine").orElse("")).trim());
    }

    /** {@code stats}. */
    public CharonStats stats() {
        ViciMessage answer = connection.request("stats", ViciMessage.EMPTY);
        ViciMessage ikeSas = answer.section("ikesas").orElse(ViciMessage.EMPTY);
        return new CharonStats(answer.section("uptime").flatMap(uptime -> uptime.text("since")).orElse(""),
                ikeSas.number("total").orElse(0L), ikeSas.number("half-open").orElse(0L), answer.list("plugins"));
    }

    /**
     * {@code load-conn}: loads or replaces a connection.
     *
     * @param definition the connection's section as swanctl.conf(5) describes it
     */
    public void loadConnection(String name, ViciMessage definition) {
        succeed("load-conn", ViciMessage.builder().section(name, definition).build(), "load the connection '"
                + name + "'");
    }

    /** {@code unload-conn}. */
    public void unloadConnection(String name) {
        succeed("unload-conn", ViciMessage.builder().put("name", name).build(), "unload the connection '" + name
                + "'");
    }

    /** {@code get-conns}: the connections loaded over VICI. */
    public List<String> connectionNames() {
        return connection.request("get-conns", ViciMessage.EMPTY).list("conns");
    }

    /** {@code list-conns}: every connection charon has loaded, streamed as {@code list-conn} events. */
    public List<LoadedConnection> listConnections() {
        List<LoadedConnection> connections = Collections.synchronizedList(new ArrayList<>());
        connection.streamedRequest("list-conns", ViciMessage.EMPTY, "list-conn", event -> event.sections()
                .forEach(entry -> {
                    ViciMessage conn = entry.section();
                    List<String> children = conn.section("children").map(section -> section.sections().stream()
                            .map(ViciMessage.Entry::name).toList()).orElse(List.of());
                    connections.add(new LoadedConnection(entry.name(), conn.list("local_addrs"),
                            conn.list("remote_addrs"), conn.text("version").orElse(""), children));
                }), ViciConnection.DEFAULT_TIMEOUT);
        return List.copyOf(connections);
    }

    /**
     * {@code load-shared}: loads or replaces a shared secret.
     *
     * @param id a unique id, for {@link #unloadSharedSecret}
     * @param type {@code IKE}, {@code EAP} or {@code XAUTH}
     * @param secret the secret; sent, never printed
     * @param owners the identities it is shared between
     */
    public void loadSharedSecret(String id, String type, byte[] secret, List<String> owners) {
        ViciMessage arguments = ViciMessage.builder().put("id", id).put("type", type).secret("data", secret)
                .list("owners", owners).build();
        succeed("load-shared", arguments, "load the shared secret '" + id + "'");
    }

    /** {@code unload-shared}. */
    public void unloadSharedSecret(String id) {
        succeed("unload-shared", ViciMessage.builder().put("id", id).build(), "unload the shared secret '" + id
                + "'");
    }

    /** {@code get-shared}: the ids of the shared secrets loaded over VICI. */
    public List<String> sharedSecretIds() {
        return connection.request("get-shared", ViciMessage.EMPTY).list("keys");
    }

    /**
     * {@code load-cert}.
     *
     * @param flag {@code NONE} for an end entity, {@code CA} for an authority
     * @param pemOrDer the certificate
     */
    public void loadCertificate(String flag, byte[] pemOrDer) {
        succeed("load-cert", ViciMessage.builder().put("type", "X509").put("flag", flag).put("data", pemOrDer)
                .build(), "load a certificate");
    }

    /**
     * {@code load-key}.
     *
     * @param type {@code RSA}, {@code ECDSA}, {@code ED25519} or {@code any}
     * @param pemOrDer the private key; sent, never printed
     * @return the key's id, for {@link #unloadPrivateKey}, if this charon tells it (5.7 and later)
     */
    public Optional<String> loadPrivateKey(String type, byte[] pemOrDer) {
        return succeed("load-key", ViciMessage.builder().put("type", type).secret("data", pemOrDer).build(),
                "load a private key").text("id");
    }

    /** {@code unload-key}, by the id {@link #loadPrivateKey} returned. */
    public void unloadPrivateKey(String id) {
        succeed("unload-key", ViciMessage.builder().put("id", id).build(), "unload the private key " + id);
    }

    /** {@code get-keys}: the ids of the private keys loaded over VICI. */
    public List<String> privateKeyIds() {
        return connection.request("get-keys", ViciMessage.EMPTY).list("keys");
    }

    /**
     * {@code initiate}: brings a CHILD_SA (and its IKE_SA) up, collecting the control log.
     *
     * @param timeout how long charon may try; the call waits a little longer for its answer
     */
    public CommandOutcome initiate(String ike, String child, Duration timeout) {
        ViciMessage arguments = ViciMessage.builder().put("ike", ike).put("child", child)
                .put("timeout", timeout.toMillis()).put("init-limits", false).put("loglevel", 1).build();
        return logged("initiate", arguments, timeout);
    }

    /** {@code terminate} of an IKE_SA by its connection's name, collecting the control log. */
    public CommandOutcome terminate(String ike, Duration timeout) {
        ViciMessage arguments = ViciMessage.builder().put("ike", ike).put("timeout", timeout.toMillis())
                .put("loglevel", 1).build();
        return logged("terminate", arguments, timeout);
    }

    /** {@code rekey} of the CHILD_SAs of a connection: new keys and SPIs, traffic uninterrupted. */
    public void rekeyChild(String child) {
        succeed("rekey", ViciMessage.builder().put("child", child).build(), "rekey '" + child + "'");
    }

    /** {@code list-sas}: the IKE_SAs of a connection, or all when {@code ike} is empty. */
    public List<IkeSa> listSas(String ike) {
        ViciMessage.Builder arguments = ViciMessage.builder().put("noblock", true);
        if (!ike.isEmpty()) {
            arguments.put("ike", ike);
        }
        List<IkeSa> sas = Collections.synchronizedList(new ArrayList<>());
        connection.streamedRequest("list-sas", arguments.build(), "list-sa", event -> sas.addAll(IkeSa.allIn(event)),
                ViciConnection.DEFAULT_TIMEOUT);
        return List.copyOf(sas);
    }

    /** Listens for {@code ike-updown}; close the subscription to stop. */
    public ViciConnection.Subscription onIkeUpDown(Consumer<SaUpDown> listener) {
        return connection.subscribe("ike-updown", event -> listener.accept(SaUpDown.of(event)));
    }

    /** Listens for {@code child-updown}; close the subscription to stop. */
    public ViciConnection.Subscription onChildUpDown(Consumer<SaUpDown> listener) {
        return connection.subscribe("child-updown", event -> listener.accept(SaUpDown.of(event)));
    }

    private CommandOutcome logged(String command, ViciMessage arguments, Duration timeout) {
        List<CommandOutcome.LogLine> log = Collections.synchronizedList(new ArrayList<>());
        Duration answerTimeout = timeout.plus(ViciConnection.DEFAULT_TIMEOUT);
        ViciMessage answer = connection.streamedRequest(command, arguments, "control-log", event -> log.add(
                new CommandOutcome.LogLine(event.text("group").orElse(""), event.number("level").orElse(0L)
                        .intValue(), event.text("msg").orElse(""))), answerTimeout);
        return new CommandOutcome(answer.yes("success"), answer.text("errmsg").orElse(""), log);
    }

    private ViciMessage succeed(String command, ViciMessage arguments, String purpose) {
        ViciMessage answer = connection.request(command, arguments);
        if (!answer.yes("success")) {
            throw new ViciException(ViciException.Reason.COMMAND_FAILED, "charon at " + connection.endpoint()
                    + " could not " + purpose + ": " + answer.text("errmsg").orElse("no reason given"));
        }
        return answer;
    }

    @Override
    public void close() {
        connection.close();
    }
}
