package io.livcloud.spi.host;

import java.util.Optional;

/**
 * The one way LivCloud reaches a host of a site: run a program there, read a file there, open a byte stream to a
 * Unix socket or a TCP port <em>on that host</em>. A provider gives it for each of its hosts
 * ({@link io.livcloud.spi.provider.CloudProvider#hostAccess}); the core hands it to the other extensions
 * ({@link io.livcloud.spi.ExtensionContext#hostAccess}), so that a tunnel driver drives the gateway's own tunnel
 * daemon, a hypervisor reaches the host's own libvirt and a probe reads the host's own {@code /proc} — wherever that
 * host is. Implementations: SSH with a pinned host key (cloud and own hosts), a network namespace on this machine (the
 * lab).
 *
 * <p>Thread-safe: callers may run commands and hold streams from several threads at once. Closed by whoever obtained
 * it; closing ends the streams it opened.
 *
 * <p>Every method throws {@link io.livcloud.spi.ExtensionException} (with the implementation's error code and a remedy)
 * when the host cannot be reached or refuses: unreachable, authentication refused, a host key that changed. A program
 * that runs and fails is not an exception: its {@link CommandResult} says so.
 */
public interface HostAccess extends AutoCloseable {

    /** How this host is reached, for messages, e.g. {@code ssh root@203.0.113.10:22} or {@code namespace lc-a}. */
    String target();

    /** Runs a program on the host to its end, or kills it at the command's timeout ({@link CommandResult#timedOut()}). */
    CommandResult run(HostCommand command);

    /**
     * A file's contents on the host, at most {@code maxBytes} of it; empty if the file does not exist or cannot be read.
     */
    Optional<byte[]> readFile(String path, int maxBytes);

    /** A byte stream to a Unix socket on the host, e.g. charon's {@code /var/run/charon.vici}. */
    HostChannel openUnixSocket(String path);

    /** A byte stream to a TCP port on the host, as a program on the host would connect to {@code address:port}. */
    HostChannel openTcp(String address, int port);

    /** Releases the connection and the streams it carries; never throws for one already closed. */
    @Override
    void close();
}
