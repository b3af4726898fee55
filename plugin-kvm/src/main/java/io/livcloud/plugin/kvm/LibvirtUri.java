package io.livcloud.plugin.kvm;

import io.livcloud.spi.ExtensionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The connection URIs the plugin accepts, and what to tell a user whose URI does not work.
 *
 * <ul>
 *   <li>{@code qemu:///system}: the local system daemon;
 *   <li>{@code qemu:///system?socket=/path/libvirt-sock}: a daemon on this machine at another socket (a lab site);
 *   <li>{@code /path/libvirt-sock}: the same, written as the bare socket path;
 *   <li>{@code qemu+tcp://host/system}, {@code qemu+ssh://user@host/system}, {@code qemu+tls://…},
 *       {@code qemu+unix:///system?socket=…}, {@code qemu+libssh2://…}: a remote (or explicitly local) daemon;
 *   <li>{@code test:///default}: libvirt's built-in test driver (no daemon; cannot migrate).
 * </ul>
 *
 * @param value the URI as libvirt takes it
 * @param local whether the daemon runs on this machine (no host part): then this machine's {@code /proc} describes
 *     its host
 */
record LibvirtUri(String value, boolean local) {

    /** Where the system daemon listens when a URI names no socket: libvirt's default. */
    static final String SYSTEM_SOCKET = "/var/run/libvirt/libvirt-sock";

    private static final Set<String> TRANSPORTS = Set.of("tcp", "ssh", "tls", "unix", "libssh", "libssh2", "ext");

    /**
     * Normalizes and checks a URI.
     *
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_URI} for anything not listed above
     */
    static LibvirtUri of(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("/")) {
            if (trimmed.chars().anyMatch(character -> Character.isWhitespace(character) || character == '&')) {
                throw invalid(text, "a socket path with blanks or '&' cannot be passed in a libvirt URI");
            }
            return new LibvirtUri("qemu:///system?socket=" + trimmed, true);
        }
        URI uri;
        try {
            uri = new URI(trimmed);
        } catch (URISyntaxException e) {
            throw invalid(text, e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        int plus = scheme.indexOf('+');
        String driver = plus < 0 ? scheme : scheme.substring(0, plus);
        String transport = plus < 0 ? "" : scheme.substring(plus + 1);
        if (!driver.equals("qemu") && !driver.equals("test")) {
            throw invalid(text, scheme.isEmpty() ? "it has no scheme" : "the driver '" + driver + "' is not QEMU's");
        }
        if (!transport.isEmpty() && !TRANSPORTS.contains(transport)) {
            throw invalid(text, "libvirt knows no transport '" + transport + "'");
        }
        boolean local = uri.getHost() == null || transport.equals("unix");
        return new LibvirtUri(trimmed, local);
    }

    /**
     * The daemon's Unix socket on its host, for a URI as seen on that host: the {@code socket} parameter, or libvirt's
     * default {@link #SYSTEM_SOCKET} for the system daemon.
     *
     * @throws ExtensionException with {@link KvmErrorCode#INVALID_URI} for a URI that names another machine or a
     *     transport other than the Unix socket, for the test driver, and for a session daemon without {@code socket}
     */
    String hostSocket() {
        URI uri = URI.create(value);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!local || uri.getHost() != null || !(scheme.equals("qemu") || scheme.equals("qemu+unix"))) {
            throw invalid(value, "through host access libvirt is reached at its Unix socket on the host, so the "
                    + "address must be as seen there, without a host or another transport");
        }
        Optional<String> socket = socketParameter(uri);
        if (socket.isPresent()) {
            return socket.get();
        }
        if (!"/system".equals(uri.getPath())) {
            throw invalid(value, "a session daemon's socket is in its user's runtime folder; name it with ?socket=");
        }
        return SYSTEM_SOCKET;
    }

    /**
     * This URI's daemon at another socket, on this machine: a relay that carries every connection to the daemon's
     * own socket on its host. Not {@link #local()}: this machine's {@code /proc} does not describe that host.
     */
    LibvirtUri throughSocket(Path localSocket) {
        String path = URI.create(value).getPath();
        return new LibvirtUri("qemu://" + path + "?socket=" + LibvirtUri.of(localSocket.toString()).socketPath(),
                false);
    }

    private String socketPath() {
        return socketParameter(URI.create(value)).orElseThrow();
    }

    private static Optional<String> socketParameter(URI uri) {
        String query = uri.getQuery();
        if (query == null) {
            return Optional.empty();
        }
        return Arrays.stream(query.split("&"))
                .filter(parameter -> parameter.startsWith("socket="))
                .map(parameter -> parameter.substring("socket=".length()))
                .filter(path -> !path.isEmpty())
                .findFirst();
    }

    /** Whether the URI reaches the daemon through an explicit socket path. */
    boolean socket() {
        return value.contains("socket=");
    }

    /** What to do when connecting failed, for the error's remedy. */
    String connectRemedy() {
        URI uri = URI.create(value);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (socket()) {
            return "start libvirtd for that socket (libvirtd -f <its libvirtd.conf>) or correct the path; "
                    + "as root the daemon must be able to create the socket's directory";
        }
        if (scheme.equals("test")) {
            return "libvirt's test driver needs no daemon; check the URI, e.g. test:///default";
        }
        if (local) {
            return "start libvirtd (apt-get install libvirt-daemon-system, or run libvirtd -d as root) "
                    + "and run LivCloud as root or as a member of the libvirt group";
        }
        String host = uri.getHost();
        if (scheme.endsWith("+ssh") || scheme.endsWith("+libssh") || scheme.endsWith("+libssh2")) {
            return "check that 'ssh " + (uri.getUserInfo() == null ? "" : uri.getUserInfo() + "@") + host
                    + "' works without a password prompt and that libvirt-daemon runs there";
        }
        if (scheme.endsWith("+tcp")) {
            return "check that libvirtd on " + host + " listens on TCP (libvirtd --listen, listen_tcp = 1 in "
                    + "libvirtd.conf) and that " + host + ":" + (uri.getPort() > 0 ? uri.getPort() : 16509)
                    + " is reachable from here";
        }
        return "check that libvirtd runs on " + host + " and is reachable with this transport";
    }

    private static ExtensionException invalid(String text, String why) {
        return new ExtensionException(KvmErrorCode.INVALID_URI,
                "'" + text + "' is not a libvirt URI for QEMU: " + why,
                "use qemu:///system, qemu+tcp://HOST/system, qemu+ssh://USER@HOST/system, "
                        + "qemu:///system?socket=/path/to/libvirt-sock or the socket path itself");
    }

    @Override
    public String toString() {
        return value;
    }
}
