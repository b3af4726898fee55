package io.livcloud.spi;

import io.livcloud.spi.host.HostAccess;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The host services an extension may use, handed to {@link ExtensionFactory#create}. Narrow on purpose: a plugin sees
 * nothing else of the host.
 *
 * <p>Every method has a default that throws {@link UnsupportedOperationException}, so a test double implements only
 * what the extension under test uses. The host's own context implements all of them.
 */
public interface ExtensionContext {

    /** The id of the plugin the extension comes from. */
    default String pluginId() {
        throw new UnsupportedOperationException("pluginId");
    }

    /** A logger whose output goes where the host's goes; never pass a {@link Secret#reveal() revealed} secret. */
    default System.Logger logger(String name) {
        throw new UnsupportedOperationException("logger");
    }

    /** The clock to use for timestamps and timeouts (tests substitute a fixed or stepping clock). */
    default Clock clock() {
        throw new UnsupportedOperationException("clock");
    }

    /** Where the extension reports progress and state changes for users and embedding applications. */
    default EventSink events() {
        throw new UnsupportedOperationException("events");
    }

    /** Where the extension keeps and finds secrets it generates or needs (keys, pre-shared keys). */
    default SecretStore secrets() {
        throw new UnsupportedOperationException("secrets");
    }

    /**
     * A directory that belongs to this extension and survives restarts (rendered configuration files, pid files,
     * caches). The host creates it, readable by the owner only.
     */
    default Path workDirectory() {
        throw new UnsupportedOperationException("workDirectory");
    }

    /**
     * How to reach a host of a configured site: commands, files and sockets on that host, wherever it is (given by the
     * site's provider). The tunnel driver drives the gateway's charon through it, the hypervisor reaches the host's
     * libvirt, the probe reads the host's {@code /proc}. The host keeps one access per host while it runs and closes
     * it at the end; {@link HostAccess#close()} on what this returns does nothing, so callers may use
     * try-with-resources or not.
     *
     * @param siteName the site as configured ({@code livcloud.sites.<name>})
     * @param hostName the host's {@link io.livcloud.spi.provider.Host#name() name} in that site
     * @throws ExtensionException if the site or host is unknown, the site is not created, or its provider gives no
     *     access to its hosts; the message names the site, the host and the fix
     */
    default HostAccess hostAccess(String siteName, String hostName) {
        throw new UnsupportedOperationException("hostAccess");
    }
}
