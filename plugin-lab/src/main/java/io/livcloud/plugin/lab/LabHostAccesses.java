package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.plugin.toolkit.ssh.SshConnector;
import io.livcloud.plugin.toolkit.ssh.SshTarget;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How LivCloud reaches the lab's sites ({@link io.livcloud.spi.provider.CloudProvider#hostAccess}), in the mode each
 * site was brought up in. One access per site, made on first use and kept until the site goes down or the provider
 * closes: an SSH session is worth reusing. Each caller gets a view of it, whose {@code close()} ends the streams that
 * caller opened and leaves the shared access to the provider.
 */
final class LabHostAccesses implements AutoCloseable {

    /** For reading a file and opening a stream. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Lab lab;
    private final LabHost host;
    private final LabConfig config;
    private final ProcessRunner processes = new ProcessRunner();
    private final Map<String, HostAccess> bySite = new ConcurrentHashMap<>();
    private SshConnector connector; // guarded by this; made for the first site reached over SSH

    LabHostAccesses(Lab lab, LabHost host, LabConfig config) {
        this.lab = requireNonNull(lab, "lab is null");
        this.host = requireNonNull(host, "host is null");
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * Access to the site's gateway (its only host).
     *
     * @throws ExtensionException {@link LabErrorCode#SITE_NOT_FOUND} when the site is not up or the host is not its
     */
    HostAccess forHost(Site site, Host host) {
        requireNonNull(site, "site is null");
        requireNonNull(host, "host is null");
        LabSite labSite = lab.upSite(site.name());
        if (!host.name().equals(labSite.namespace())) {
            throw new ExtensionException(LabErrorCode.SITE_NOT_FOUND, "lab site " + site.name() + " has no host "
                    + host.name() + "; its one host is " + labSite.namespace(), "ask for the site's gateway");
        }
        HostAccess shared = bySite.computeIfAbsent(site.name(), name -> open(labSite));
        return new View(shared);
    }

    private HostAccess open(LabSite site) {
        return switch (Lab.accessModeOf(site)) {
            case NAMESPACE -> new NamespaceHostAccess(site.namespace(), host, processes, TIMEOUT);
            case SSH -> PluginClassLoader.call(() -> connector().open(new SshTarget(site.publicAddress(),
                    LabSite.SSH_PORT, "root", LabSshd.operatorKey(config))
                    .withHostKeyFingerprint(LabSshd.hostKeyFingerprint(site))));
        };
    }

    private synchronized SshConnector connector() {
        if (connector == null) {
            connector = PluginClassLoader.call(() -> new SshConnector(config.knownHosts(), TIMEOUT));
        }
        return connector;
    }

    /** Closes the site's access (it is going down); the next call makes a new one. */
    void forget(String siteName) {
        Optional.ofNullable(bySite.remove(siteName)).ifPresent(HostAccess::close);
    }

    @Override
    public void close() {
        for (String site : List.copyOf(bySite.keySet())) {
            forget(site);
        }
        synchronized (this) {
            if (connector != null) {
                connector.close();
                connector = null;
            }
        }
    }

    /** One caller's use of a shared access: closing it ends only the streams opened through it. */
    private static final class View implements HostAccess {
        private final HostAccess shared;
        private final Set<HostChannel> channels = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        View(HostAccess shared) {
            this.shared = shared;
        }

        @Override
        public String target() {
            return shared.target();
        }

        // Each call may open or reopen the SSH session, so it runs with the plugin's class loader (PluginClassLoader).

        @Override
        public CommandResult run(HostCommand command) {
            checkOpen();
            return PluginClassLoader.call(() -> shared.run(command));
        }

        @Override
        public Optional<byte[]> readFile(String path, int maxBytes) {
            checkOpen();
            return PluginClassLoader.call(() -> shared.readFile(path, maxBytes));
        }

        @Override
        public HostChannel openUnixSocket(String path) {
            checkOpen();
            return track(PluginClassLoader.call(() -> shared.openUnixSocket(path)));
        }

        @Override
        public HostChannel openTcp(String address, int port) {
            checkOpen();
            return track(PluginClassLoader.call(() -> shared.openTcp(address, port)));
        }

        private void checkOpen() {
            if (closed) {
                throw new IllegalStateException(target() + " is closed");
            }
        }

        /** The caller's channel; closing it, or this view, closes the shared access's channel too. */
        private HostChannel track(HostChannel channel) {
            channels.add(channel);
            return new LabChannel(channel.input(), channel.output(), channel.description(), ignored -> {
                channels.remove(channel);
                channel.close();
            });
        }

        @Override
        public void close() {
            closed = true;
            for (HostChannel channel : List.copyOf(channels)) {
                channel.close();
            }
        }

        @Override
        public String toString() {
            return target();
        }
    }
}
