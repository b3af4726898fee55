package io.livcloud.plugin.strongswan.vici;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where charon's VICI plugin listens: a Unix socket ({@code unix:///run/charon.vici}, charon's default) or, for a
 * charon configured with {@code charon.plugins.vici.socket = tcp://...}, a TCP address.
 *
 * @param uri the endpoint as charon's {@code socket} setting writes it
 * @param unixPath the socket file, for a Unix endpoint; else null
 * @param host the host, for a TCP endpoint; else null
 * @param port the port, for a TCP endpoint; else 0
 */
public record ViciEndpoint(String uri, Path unixPath, String host, int port) {

    /** charon's compiled-in default. */
    public static final ViciEndpoint DEFAULT = unix(Path.of("/run/charon.vici"));

    /** The longest socket path Linux accepts ({@code sun_path} holds 108 bytes with the terminating zero). */
    static final int MAX_UNIX_PATH = 107;

    public ViciEndpoint {
        requireNonNull(uri, "uri is null");
    }

    /** A Unix socket endpoint. */
    public static ViciEndpoint unix(Path socket) {
        Path absolute = socket.toAbsolutePath();
        if (absolute.toString().length() > MAX_UNIX_PATH) {
            throw new IllegalArgumentException("the VICI socket path " + absolute + " has "
                    + absolute.toString().length() + " characters; Unix socket paths hold at most " + MAX_UNIX_PATH
                    + ": use a shorter state directory");
        }
        return new ViciEndpoint("unix://" + absolute, absolute, null, 0);
    }

    /**
     * Reads {@code unix:///path} or {@code tcp://host:port}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ViciEndpoint parse(String uri) {
        requireNonNull(uri, "uri is null");
        try {
            URI parsed = new URI(uri);
            if ("unix".equals(parsed.getScheme()) && parsed.getPath() != null && !parsed.getPath().isEmpty()
                    && parsed.getHost() == null) {
                return unix(Path.of(parsed.getPath()));
            }
            if ("tcp".equals(parsed.getScheme()) && parsed.getHost() != null && parsed.getPort() > 0) {
                return new ViciEndpoint(uri, null, parsed.getHost(), parsed.getPort());
            }
        } catch (URISyntaxException e) {
            // reported below with the accepted forms
        }
        throw new IllegalArgumentException("'" + uri + "' is not a VICI endpoint: write unix:///path/to/charon.vici"
                + " or tcp://host:port");
    }

    /** Whether this is a Unix socket endpoint. */
    public boolean isUnix() {
        return unixPath != null;
    }

    @Override
    public String toString() {
        return uri;
    }
}
