package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where charon's VICI plugin listens, on the host that a {@link HostAccess} reaches: a Unix socket (charon's default
 * {@code /var/run/charon.vici}) or, for a charon configured with {@code charon.plugins.vici.socket = tcp://...}, a TCP
 * address as a program on that host would connect to it. The bytes always travel over the host access (SSH for a
 * cloud gateway, a network namespace for a lab one), never over a socket LivCloud opens itself.
 */
public final class ViciEndpoint {

    /** The longest socket path Linux accepts ({@code sun_path} holds 108 bytes with the terminating zero). */
    static final int MAX_UNIX_PATH = 107;

    private final HostAccess host;
    private final String socket;
    private final String unixPath;
    private final String tcpHost;
    private final int tcpPort;

    private ViciEndpoint(HostAccess host, String socket, String unixPath, String tcpHost, int tcpPort) {
        this.host = host;
        this.socket = socket;
        this.unixPath = unixPath;
        this.tcpHost = tcpHost;
        this.tcpPort = tcpPort;
    }

    /**
     * The endpoint {@code socket} on the host {@code host} reaches.
     *
     * @param socket a socket path ({@code /var/run/charon.vici}), {@code unix:///path} or {@code tcp://address:port}, as
     *     charon's {@code socket} setting writes it
     * @throws IllegalArgumentException naming the accepted forms, or for a socket path longer than Linux allows
     */
    public static ViciEndpoint on(HostAccess host, String socket) {
        requireNonNull(host, "host is null");
        requireNonNull(socket, "socket is null");
        if (socket.startsWith("/")) {
            return unix(host, socket, socket);
        }
        try {
            URI parsed = new URI(socket);
            if ("unix".equals(parsed.getScheme()) && parsed.getPath() != null && parsed.getPath().startsWith("/")
                    && parsed.getHost() == null) {
                return unix(host, socket, parsed.getPath());
            }
            if ("tcp".equals(parsed.getScheme()) && parsed.getHost() != null && parsed.getPort() > 0) {
                return new ViciEndpoint(host, socket, null, parsed.getHost(), parsed.getPort());
            }
        } catch (URISyntaxException e) {
            // reported below with the accepted forms
        }
        throw new IllegalArgumentException("'" + socket + "' is not a VICI endpoint: write /path/to/charon.vici,"
                + " unix:///path/to/charon.vici or tcp://host:port");
    }

    private static ViciEndpoint unix(HostAccess host, String socket, String path) {
        if (path.length() > MAX_UNIX_PATH) {
            throw new IllegalArgumentException("the VICI socket path " + path + " has " + path.length()
                    + " characters; Unix socket paths hold at most " + MAX_UNIX_PATH + ": use a shorter one");
        }
        return new ViciEndpoint(host, socket, path, null, 0);
    }

    /** Whether this is a Unix socket endpoint. */
    public boolean isUnix() {
        return unixPath != null;
    }

    /** The socket as given, without the host. */
    public String socket() {
        return socket;
    }

    /** The host access that carries the bytes. */
    public HostAccess host() {
        return host;
    }

    /**
     * Opens a byte stream to the socket through the host access.
     *
     * @throws io.livcloud.spi.ExtensionException from the host access: the host unreachable, or nothing listening there
     */
    HostChannel open() {
        return isUnix() ? host.openUnixSocket(unixPath) : host.openTcp(tcpHost, tcpPort);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ViciEndpoint endpoint && host == endpoint.host && socket.equals(endpoint.socket);
    }

    @Override
    public int hashCode() {
        return Objects.hash(System.identityHashCode(host), socket);
    }

    /** {@code /var/run/charon.vici on ssh root@203.0.113.10:22}, for messages. */
    @Override
    public String toString() {
        return socket + " on " + host.target();
    }
}
