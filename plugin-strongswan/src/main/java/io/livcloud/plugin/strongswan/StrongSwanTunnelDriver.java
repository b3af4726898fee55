package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.CommandOutcome;
import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciException;
import io.livcloud.spi.Event;
import io.livcloud.spi.ExtensionContext;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.Secret;
import io.livcloud.spi.tunnel.Tunnel;
import io.livcloud.spi.tunnel.TunnelAuthentication;
import io.livcloud.spi.tunnel.TunnelDriver;
import io.livcloud.spi.tunnel.TunnelEndpoint;
import io.livcloud.spi.tunnel.TunnelSpec;
import io.livcloud.spi.tunnel.TunnelState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Brings strongSwan tunnels up and down between two sites' gateways. Each end's charon runs on its gateway, started by
 * whoever runs the gateway, and is driven over VICI through the gateway's host access at the control socket its
 * provider publishes ({@link CharonGateway}); an end without published tunnel control is refused. Both ends get the
 * connection and the key; the spec's local end initiates.
 *
 * <p>A failed establish unloads what it loaded from both charons: nothing is left half-loaded.
 */
final class StrongSwanTunnelDriver implements TunnelDriver {

    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Duration TERMINATE_TIMEOUT = Duration.ofSeconds(5);

    private final StrongSwanConfig config;
    private final ExtensionContext context;
    private final PreSharedKeys keys;
    private final TunnelCertificates certificates;
    private final TunnelRecords records;
    private final WorkLock lock;
    private final System.Logger logger;

    StrongSwanTunnelDriver(StrongSwanConfig config, ExtensionContext context, PreSharedKeys keys) {
        this.config = config;
        this.context = context;
        this.keys = keys;
        this.certificates = new TunnelCertificates(context.workDirectory().resolve("certs"), context.secrets(),
                context.clock());
        this.records = new TunnelRecords(context.workDirectory().resolve("tunnels"));
        this.lock = new WorkLock(context.workDirectory().resolve("tunnels.lock"));
        this.logger = context.logger("strongswan");
    }

    @Override
    public synchronized Tunnel establish(TunnelSpec spec) {
        validate(spec);
        return lock.holding("establish tunnel " + spec.id(), () -> establishLocked(spec));
    }

    private Tunnel establishLocked(TunnelSpec spec) {
        Optional<TunnelRecords.Recorded> recorded = records.read(spec.id());
        if (recorded.isPresent() && recorded.get().spec().equals(spec)) {
            StrongSwanTunnel existing = tunnel(recorded.get());
            if (existing.status().state() == TunnelState.UP) {
                return existing;
            }
        } else if (recorded.isPresent()) {
            // Asked for with other ends, options or authentication: the old tunnel goes entirely, credentials included.
            tearDownLocked(spec.id());
        }
        StrongSwanConfig.Negotiation negotiation;
        try {
            negotiation = config.negotiation(spec.options());
        } catch (IllegalArgumentException e) {
            throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "tunnel " + spec.id() + ": "
                    + e.getMessage(), "fix the tunnel's options");
        }
        CharonGateway local = gateway(spec.local());
        CharonGateway remote = gateway(spec.remote());
        long started = System.nanoTime();
        remote.ensureRunning();
        local.ensureRunning();
        DataPath dataPath = chooseDataPath(spec.id(), local, remote);
        ConnectionDefinition definition = new ConnectionDefinition(spec.id(), negotiation, dataPath,
                spec.authentication());
        records.write(spec, dataPath);
        try {
            load(remote, definition, spec.remote(), spec.local(), false);
            load(local, definition, spec.local(), spec.remote(), true);
            CommandOutcome outcome = initiate(local, definition, spec);
            if (!outcome.succeeded()) {
                throw FailureDiagnosis.of(outcome, spec.id(), spec.local().siteName(), spec.remote().siteName(),
                        spec.remote().gatewayAddress());
            }
        } catch (RuntimeException e) {
            List<String> cleanupProblems = removeEverything(spec.id(), definition, local, remote);
            if (!cleanupProblems.isEmpty()) {
                e.addSuppressed(new IllegalStateException("cleaning up after the failure: "
                        + String.join("; ", cleanupProblems)));
            }
            throw e;
        }
        StrongSwanTunnel tunnel = new StrongSwanTunnel(spec, definition, local, remote, context.clock(),
                () -> tearDown(spec.id()));
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        emit("tunnel.up", "tunnel " + spec.id() + " is up between " + spec.local().siteName() + " ("
                + spec.local().subnet() + ") and " + spec.remote().siteName() + " (" + spec.remote().subnet() + "), "
                + dataPath.label() + ", in " + millis + " ms", Map.of("tunnel", spec.id(), "data-path",
                dataPath.label(), "milliseconds", Long.toString(millis)));
        return tunnel;
    }

    private static void validate(TunnelSpec spec) {
        TunnelRecords.checkId(spec.id());
        if (spec.local().siteName().equals(spec.remote().siteName())) {
            throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "tunnel " + spec.id() + " has site "
                    + spec.local().siteName() + " at both ends", "name two different sites");
        }
        for (TunnelEndpoint end : List.of(spec.local(), spec.remote())) {
            if (end.control().isEmpty()) {
                throw CharonGateway.withoutControl(end);
            }
            if (!CIDR.matcher(end.subnet()).matches()) {
                throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "site " + end.siteName()
                        + "'s subnet '" + end.subnet() + "' is not an IPv4 subnet in CIDR notation",
                        "give the site a VM subnet such as 10.99.11.0/24");
            }
            if (!ConnectionDefinition.IPV4.matcher(end.gatewayAddress()).matches()) {
                throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "site " + end.siteName()
                        + "'s gateway address '" + end.gatewayAddress() + "' is not an IPv4 address",
                        "give the site's gateway a public address (livcloud site list shows it)");
            }
            String localAddress = ConnectionDefinition.localAddress(end);
            if (!ConnectionDefinition.IPV4.matcher(localAddress).matches()) {
                throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "site " + end.siteName()
                        + "'s gateway publishes '" + localAddress + "' as the address it sends from, which is not an"
                        + " IPv4 address", "fix the tunnel control the site's provider publishes");
            }
            String identity = ConnectionDefinition.identity(end);
            if (!ConnectionDefinition.IPV4.matcher(identity).matches()
                    && !ConnectionDefinition.DNS_NAME.matcher(identity).matches()) {
                throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "site " + end.siteName()
                        + "'s gateway publishes '" + identity + "' as its IKE identity, which is neither an IPv4"
                        + " address nor a DNS name", "fix the tunnel control the site's provider publishes");
            }
        }
        if (spec.local().subnet().equals(spec.remote().subnet())) {
            throw new ExtensionException(StrongSwanErrorCode.INVALID_TUNNEL_SPEC, "sites " + spec.local().siteName()
                    + " and " + spec.remote().siteName() + " have the same subnet " + spec.local().subnet()
                    + ", which a routed tunnel cannot join", "give each site its own VM subnet");
        }
    }

    /** Loads an end's credentials and its side of the connection into its charon. */
    private void load(CharonGateway gateway, ConnectionDefinition definition, TunnelEndpoint self,
            TunnelEndpoint peer, boolean initiator) {
        String tunnelId = definition.tunnelId();
        try (ViciClient client = gateway.connect()) {
            Optional<TunnelCertificates.Credentials> credentials = Optional.empty();
            if (definition.authentication() == TunnelAuthentication.CERTIFICATE) {
                Map<String, String> identities = new LinkedHashMap<>();
                identities.put(self.siteName(), ConnectionDefinition.identity(self));
                identities.put(peer.siteName(), ConnectionDefinition.identity(peer));
                TunnelCertificates.Credentials own = certificates.forTunnel(tunnelId, identities)
                        .get(self.siteName());
                client.loadCertificate("CA", own.authorityPem().getBytes(StandardCharsets.US_ASCII));
                client.loadPrivateKey("ECDSA", own.privateKeyPem().reveal().getBytes(StandardCharsets.US_ASCII))
                        .ifPresent(keyId -> certificates.rememberKeyId(tunnelId, self.siteName(), keyId));
                credentials = Optional.of(own);
            } else {
                Secret key = keys.forEnd(tunnelId, self.siteName());
                client.loadSharedSecret(definition.sharedSecretId(), "IKE", key.reveal().getBytes(
                        StandardCharsets.UTF_8), List.of(ConnectionDefinition.identity(self),
                        ConnectionDefinition.identity(peer)));
            }
            client.loadConnection(definition.ikeName(), definition.forEnd(self, peer, initiator, credentials));
        } catch (ViciException e) {
            throw controlFailed(gateway, "load tunnel " + tunnelId, e);
        }
    }

    private CommandOutcome initiate(CharonGateway local, ConnectionDefinition definition, TunnelSpec spec) {
        try (ViciClient client = local.connect()) {
            return client.initiate(definition.ikeName(), definition.childName(), config.establishTimeout());
        } catch (ViciException e) {
            throw controlFailed(local, "initiate tunnel " + spec.id(), e);
        }
    }

    private static ExtensionException controlFailed(CharonGateway gateway, String action, ViciException e) {
        if (e.reason() == ViciException.Reason.CANNOT_CONNECT || e.reason() == ViciException.Reason.CLOSED) {
            return new ExtensionException(StrongSwanErrorCode.CHARON_NOT_RUNNING, "cannot " + action + ": the charon of"
                    + " site " + gateway.siteName() + "'s gateway stopped answering (" + e.getMessage() + ")",
                    "bring the tunnel up again; if charon keeps stopping, read its log on the gateway", e);
        }
        return new ExtensionException(StrongSwanErrorCode.CONTROL_FAILED, "cannot " + action + " at site "
                + gateway.siteName() + ": " + e.getMessage(), "read the gateway's charon log", e);
    }

    /**
     * Terminates the SAs, unloads the connection and the key from both charons, and forgets the key and the record; the
     * charons go on running (they are the gateways'). Each step is attempted whatever failed before.
     *
     * @return what could not be done
     */
    private List<String> removeEverything(String tunnelId, ConnectionDefinition definition, CharonGateway local,
            CharonGateway remote) {
        List<String> problems = new ArrayList<>();
        for (CharonGateway gateway : List.of(local, remote)) {
            try (ViciClient client = gateway.connect()) {
                boolean loaded = client.connectionNames().contains(definition.ikeName());
                if (loaded && gateway == local) {
                    client.terminate(definition.ikeName(), TERMINATE_TIMEOUT);
                }
                if (loaded) {
                    client.unloadConnection(definition.ikeName());
                }
                if (client.sharedSecretIds().contains(definition.sharedSecretId())) {
                    client.unloadSharedSecret(definition.sharedSecretId());
                }
                Optional<String> keyId = certificates.keyId(tunnelId, gateway.siteName());
                if (keyId.isPresent() && client.privateKeyIds().contains(keyId.get())) {
                    client.unloadPrivateKey(keyId.get());
                }
            } catch (ViciException e) {
                if (e.reason() != ViciException.Reason.CANNOT_CONNECT) {
                    problems.add(gateway.siteName() + ": " + e.getMessage());
                }
            } catch (RuntimeException e) {
                problems.add(gateway.siteName() + ": " + e.getMessage());
            }
        }
        keys.forget(tunnelId);
        certificates.forget(tunnelId, List.of(local.siteName(), remote.siteName()));
        records.delete(tunnelId);
        return problems;
    }

    private synchronized void tearDown(String tunnelId) {
        lock.holding("tear tunnel " + tunnelId + " down", () -> {
            tearDownLocked(tunnelId);
            return null;
        });
    }

    private void tearDownLocked(String tunnelId) {
        Optional<TunnelRecords.Recorded> recorded = records.read(tunnelId);
        if (recorded.isEmpty()) {
            return;
        }
        TunnelSpec spec = recorded.get().spec();
        DataPath dataPath = recorded.get().dataPath();
        ConnectionDefinition definition = new ConnectionDefinition(tunnelId, config.negotiation(Map.of()), dataPath,
                spec.authentication());
        List<String> problems = removeEverything(tunnelId, definition, gateway(spec.local()),
                gateway(spec.remote()));
        if (!problems.isEmpty()) {
            throw new ExtensionException(StrongSwanErrorCode.CONTROL_FAILED, "tunnel " + tunnelId + " was only partly"
                    + " removed: " + String.join("; ", problems), "run the teardown again; it is idempotent");
        }
        emit("tunnel.down", "tunnel " + tunnelId + " is down", Map.of("tunnel", tunnelId));
    }

    @Override
    public synchronized Optional<Tunnel> find(String tunnelId) {
        return records.read(tunnelId).map(this::tunnel);
    }

    @Override
    public synchronized List<Tunnel> list() {
        return records.all().stream().map(recorded -> (Tunnel) tunnel(recorded)).toList();
    }

    private StrongSwanTunnel tunnel(TunnelRecords.Recorded recorded) {
        TunnelSpec spec = recorded.spec();
        ConnectionDefinition definition = new ConnectionDefinition(spec.id(), config.negotiation(spec.options()),
                recorded.dataPath(), spec.authentication());
        return new StrongSwanTunnel(spec, definition, gateway(spec.local()), gateway(spec.remote()),
                context.clock(), () -> tearDown(spec.id()));
    }

    /** The charon of an end, reached through the gateway's host access. */
    CharonGateway gateway(TunnelEndpoint end) {
        return new CharonGateway(end, context);
    }

    /**
     * The data path of a new tunnel, from what both gateways' charons loaded: userspace (ESP inside UDP) when either
     * carries ESP in user space, since it cannot receive raw ESP, else the kernels'. Reported as an event.
     *
     * @throws ExtensionException {@link StrongSwanErrorCode#KERNEL_ESP_UNAVAILABLE} or
     *     {@link StrongSwanErrorCode#USERSPACE_ESP_UNAVAILABLE} for a gateway whose charon has not the data path the
     *     {@code data-path} setting demands
     */
    private DataPath chooseDataPath(String tunnelId, CharonGateway local, CharonGateway remote) {
        List<String> evidence = new ArrayList<>();
        DataPath chosen = DataPath.KERNEL_ESP;
        for (CharonGateway gateway : List.of(local, remote)) {
            DataPath.Detection found;
            try {
                found = gateway.dataPath();
            } catch (ViciException e) {
                throw controlFailed(gateway, "read the plugins (the data path) of the charon", e);
            }
            evidence.addAll(found.evidence());
            if (config.dataPath() == StrongSwanConfig.Mode.KERNEL && found.dataPath() != DataPath.KERNEL_ESP) {
                throw new ExtensionException(StrongSwanErrorCode.KERNEL_ESP_UNAVAILABLE, "data-path = kernel, but "
                        + String.join("; ", found.evidence()), "set livcloud.extensions.tunnel.strongswan.data-path"
                        + " = auto, or run that gateway's charon with kernel-netlink and without kernel-libipsec on a"
                        + " kernel with CONFIG_INET_ESP");
            }
            if (config.dataPath() == StrongSwanConfig.Mode.USERSPACE && found.dataPath() != DataPath.USERSPACE_LIBIPSEC) {
                throw new ExtensionException(StrongSwanErrorCode.USERSPACE_ESP_UNAVAILABLE, "data-path = userspace,"
                        + " but " + String.join("; ", found.evidence()), "set livcloud.extensions.tunnel.strongswan"
                        + ".data-path = auto, or load kernel-libipsec in that gateway's charon");
            }
            if (found.dataPath() == DataPath.USERSPACE_LIBIPSEC) {
                chosen = DataPath.USERSPACE_LIBIPSEC;
            }
        }
        emit("tunnel.data-path", "ESP data path: " + chosen.label() + " (" + String.join("; ", evidence) + ")",
                Map.of("tunnel", tunnelId, "data-path", chosen.label()));
        return chosen;
    }

    private void emit(String type, String message, Map<String, String> attributes) {
        logger.log(System.Logger.Level.INFO, message);
        context.events().emit(new Event(context.clock().instant(), "strongswan", type, message, attributes));
    }

    /** Nothing to release: each operation opens and closes its own VICI connections; tunnels stay up. */
    @Override
    public void close() {
    }
}
