package io.livcloud.core.host;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Host;
import io.livcloud.spi.provider.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The ways to reach the configured sites' hosts, one per host while LivCloud runs: asked of the site's provider
 * ({@link CloudProvider#hostAccess}) on first use, kept with the provider that gave it (an SSH session lives as long
 * as its connector), closed when LivCloud closes. Behind every extension's
 * {@link io.livcloud.spi.ExtensionContext#hostAccess} and the engine's hypervisor connections. Thread-safe.
 */
public final class HostAccesses implements AutoCloseable {

    private final Function<String, String> providerOfSite;
    private final Function<String, CloudProvider> openProvider;
    private final Map<String, CloudProvider> providers = new LinkedHashMap<>();
    private final Map<String, Optional<HostAccess>> accesses = new LinkedHashMap<>();
    private final Map<String, String> hypervisorHosts = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param providerOfSite the provider a configured site names; throws for a site that is not configured
     * @param openProvider creates the named provider extension
     */
    public HostAccesses(Function<String, String> providerOfSite, Function<String, CloudProvider> openProvider) {
        this.providerOfSite = Objects.requireNonNull(providerOfSite, "providerOfSite is null");
        this.openProvider = Objects.requireNonNull(openProvider, "openProvider is null");
    }

    /**
     * The access to a host of a site, for an extension: closing what this returns does nothing.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#HOST_UNKNOWN} if the site is not created or has no such
     *     host, {@link HostAccessErrorCode#HOST_ACCESS_UNAVAILABLE} if its provider gives no access to it
     */
    public HostAccess require(String siteName, String hostName) {
        return find(siteName, hostName).orElseThrow(() -> new ExtensionException(
                HostAccessErrorCode.HOST_ACCESS_UNAVAILABLE, "the provider " + providerOfSite.apply(siteName)
                        + " of site " + siteName + " gives no way to reach its host " + hostName,
                "use a provider that reaches its hosts (lab, ssh, ec2, azure), or give this one credentials"));
    }

    /**
     * The access to a host of a site, or empty when its provider gives none; closing what this returns does nothing.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#HOST_UNKNOWN} if the site is not created or has no such
     *     host
     */
    public synchronized Optional<HostAccess> find(String siteName, String hostName) {
        String key = siteName + "/" + hostName;
        Optional<HostAccess> known = accesses.get(key);
        if (known != null) {
            return known;
        }
        CloudProvider provider;
        try {
            provider = provider(siteName);
        } catch (ExtensionException e) {
            throw new ExtensionException(e.errorCode(), e.getMessage() + ", so its host " + hostName + " cannot be"
                    + " reached", e.remedy(), e);
        }
        Site site = site(siteName);
        Host host = Stream.concat(Stream.of(site.gateway()), site.hypervisorHosts().stream())
                .filter(candidate -> candidate.name().equals(hostName)).findFirst()
                .orElseThrow(() -> new ExtensionException(HostAccessErrorCode.HOST_UNKNOWN, "site " + siteName
                        + " has no host " + hostName, "its hosts are: " + String.join(", ", hostNames(site))));
        Optional<HostAccess> access = provider.hostAccess(site, host).map(Shared::new);
        accesses.put(key, access);
        return access;
    }

    /**
     * The access to the host of a site whose hypervisor URI is {@code hypervisorUri} (the URI the site publishes, or one
     * a journal kept), or empty when the site has no such host or its provider gives no access.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#HOST_UNKNOWN} if the site is not created
     */
    public synchronized Optional<HostAccess> findByHypervisor(String siteName, String hypervisorUri) {
        String key = siteName + "#" + hypervisorUri;
        String hostName = hypervisorHosts.get(key);
        if (hostName == null) {
            Optional<Host> host = site(siteName).hypervisorHosts().stream()
                    .filter(candidate -> candidate.hypervisorUri().equals(hypervisorUri)).findFirst();
            if (host.isEmpty()) {
                return Optional.empty();
            }
            hostName = host.get().name();
            hypervisorHosts.put(key, hostName);
        }
        return find(siteName, hostName);
    }

    /** Closes every access, then the providers that gave them; idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        accesses.values().forEach(access -> access.ifPresent(shared -> ((Shared) shared).delegate.close()));
        accesses.clear();
        providers.values().forEach(CloudProvider::close);
        providers.clear();
    }

    private CloudProvider provider(String siteName) {
        if (closed) {
            throw new IllegalStateException("LivCloud is closed");
        }
        return providers.computeIfAbsent(providerOfSite.apply(siteName), openProvider);
    }

    /**
     * The site as the provider LivCloud keeps for its host accesses describes it, so that a caller that goes on to
     * reach its hosts opens no second provider.
     *
     * @throws ExtensionException {@link HostAccessErrorCode#HOST_UNKNOWN} if the site is not configured or not created
     */
    public synchronized Site site(String siteName) {
        return provider(siteName).describeSite(siteName).orElseThrow(() -> new ExtensionException(
                HostAccessErrorCode.HOST_UNKNOWN, "site " + siteName + " is configured but not created, so its hosts"
                        + " cannot be reached", "create it: livcloud lab up (lab sites) or livcloud site create "
                        + siteName));
    }

    private static List<String> hostNames(Site site) {
        List<String> names = new ArrayList<>();
        names.add(site.gateway().name());
        site.hypervisorHosts().stream().map(Host::name).filter(name -> !names.contains(name)).forEach(names::add);
        return names;
    }

    /** An access many extensions hold at once: only LivCloud's own close ends it. */
    private record Shared(HostAccess delegate) implements HostAccess {

        @Override
        public String target() {
            return delegate.target();
        }

        @Override
        public CommandResult run(HostCommand command) {
            return delegate.run(command);
        }

        @Override
        public Optional<byte[]> readFile(String path, int maxBytes) {
            return delegate.readFile(path, maxBytes);
        }

        @Override
        public HostChannel openUnixSocket(String path) {
            return delegate.openUnixSocket(path);
        }

        @Override
        public HostChannel openTcp(String address, int port) {
            return delegate.openTcp(address, port);
        }

        @Override
        public void close() {
            // Shared: HostAccesses closes the delegate when LivCloud closes.
        }
    }
}
