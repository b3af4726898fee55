package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The lab's {@code namespace} mode of host access: a site's gateway is a network namespace on this machine, which
 * shares this machine's file system. Lab-only; a cloud host is reached over SSH.
 *
 * <ul>
 *   <li>{@link #run}: the toolkit's {@link ProcessRunner} with {@code ip netns exec <namespace>} before the argv.
 *   <li>{@link #readFile}: {@code ip netns exec <namespace> head -c <max> -- <path>}, not the file system directly,
 *       although it is the same: {@code /proc/net}, {@code /proc/sys/net} and {@code /sys/class/net} show the network
 *       namespace of the process that reads them, so only a reader inside the site sees the site's (forwarding,
 *       interfaces, sockets). {@code head} stops at the limit, as the SSH access's does.
 *   <li>{@link #openUnixSocket}: a direct connection to the path; the socket file is the same here as in the site.
 *   <li>{@link #openTcp}: a connection made inside the site by a small relay ({@code python3}, a lab prerequisite,
 *       started through {@code ip netns exec}), whose standard input and output are the stream; it says when it is
 *       connected, so a refused port is an exception here, as with SSH, and it passes a half-close on.
 * </ul>
 *
 * <p>Thread-safe. Closing ends the streams it opened.
 */
final class NamespaceHostAccess implements HostAccess {

    /** The relay: connects, says so on stderr, then copies both ways and passes end of input on as a half-close. */
    private static final String RELAY = """
            import os, socket, sys, threading
            try:
                s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3]))
            except OSError as e:
                sys.stderr.write("cannot connect: %s\\n" % e)
                sys.exit(1)
            s.settimeout(None)
            sys.stderr.write("connected\\n")
            sys.stderr.flush()
            def outbound():
                while True:
                    data = os.read(0, 65536)
                    if not data:
                        break
                    s.sendall(data)
                s.shutdown(socket.SHUT_WR)
            sender = threading.Thread(target=outbound, daemon=True)
            sender.start()
            while True:
                data = s.recv(65536)
                if not data:
                    break
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            sys.stdout.close()
            sender.join()
            """;
    private static final String CONNECTED = "connected";

    private final String namespace;
    private final LabHost host;
    private final ProcessRunner processes;
    private final Duration timeout;
    private final Set<HostChannel> channels = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param namespace the site's network namespace, e.g. {@code lc-a}
     * @param timeout for reading a file and for connecting a stream
     */
    NamespaceHostAccess(String namespace, LabHost host, ProcessRunner processes, Duration timeout) {
        this.namespace = requireNonNull(namespace, "namespace is null");
        this.host = requireNonNull(host, "host is null");
        this.processes = requireNonNull(processes, "processes is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    @Override
    public String target() {
        return "namespace " + namespace;
    }

    @Override
    public CommandResult run(HostCommand command) {
        checkUsable();
        return processes.run(new HostCommand(inNamespace(command.argv()), command.stdin(), command.timeout()));
    }

    @Override
    public Optional<byte[]> readFile(String path, int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
        }
        checkUsable();
        // Bytes as they are (a gzip file, a binary): the runner's results are text, so the relay's way is taken.
        Process head = startInNamespace(List.of("head", "-c", Integer.toString(maxBytes), "--", path));
        try {
            head.getOutputStream().close();
            CompletableFuture<byte[]> content = onThread("lab-read-" + head.pid(),
                    () -> readAll(head.getInputStream()));
            byte[] bytes = content.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return head.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) && head.exitValue() == 0
                    ? Optional.of(bytes) : Optional.empty();
        } catch (TimeoutException e) {
            throw new ExtensionException(LabErrorCode.HOST_UNREACHABLE, "reading " + path + " in " + target()
                    + " took longer than " + timeout, "check the machine's load, or retry", e);
        } catch (IOException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExtensionException(LabErrorCode.HOST_UNREACHABLE, "interrupted while reading " + path + " in "
                    + target(), "retry", e);
        } finally {
            head.destroyForcibly();
        }
    }

    @Override
    public HostChannel openUnixSocket(String path) {
        checkUsable();
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.HOST_UNREACHABLE, "cannot connect to the Unix socket " + path
                    + " of " + target() + ": " + e.getMessage(), "check that the daemon behind it runs: livcloud lab"
                            + " status, or bring the site up again", e);
        }
        return track(LabChannel.of(channel, path + " in " + target(), channels::remove));
    }

    @Override
    public HostChannel openTcp(String address, int port) {
        checkUsable();
        String python = processes.find("python3").map(Path::toString).orElseThrow(() -> new ExtensionException(
                LabErrorCode.MISSING_TOOL, "a TCP stream in " + target() + " needs python3 as its relay, which is"
                        + " not installed", "apt-get install python3-minimal, or run the lab's prerequisites"
                                + " installer"));
        String description = address + ":" + port + " in " + target();
        Process relay = startInNamespace(List.of(python, "-c", RELAY, address, Integer.toString(port),
                Double.toString(timeout.toMillis() / 1000.0)));
        BufferedReader said = new BufferedReader(new InputStreamReader(relay.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = onThread("lab-relay-" + relay.pid(), () -> {
            try {
                String line = said.readLine();
                return line == null ? "(the relay ended without a word)" : line;
            } catch (IOException e) {
                return e.toString();
            }
        });
        String answer;
        try {
            answer = first.get(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            answer = "no answer within " + timeout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer = "interrupted";
        }
        if (!answer.equals(CONNECTED)) {
            relay.destroyForcibly();
            throw new ExtensionException(LabErrorCode.HOST_UNREACHABLE, "cannot open a TCP stream to " + description
                    + ": " + answer, "check that something listens on " + address + ":" + port + " inside the site");
        }
        // The relay may still write to stderr; nobody reads it, so it is drained, lest a full pipe stop it.
        Thread drain = new Thread(() -> readAll(relay.getErrorStream()), "lab-relay-stderr-" + relay.pid());
        drain.setDaemon(true);
        drain.start();
        // The relay's stdout is the stream's input, its stdin the output; closing stdin half-closes the connection.
        return track(new LabChannel(relay.getInputStream(), LabChannel.flushingEachWrite(relay.getOutputStream()),
                description, channel -> {
                    stop(relay);
                    channels.remove(channel);
                }));
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

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException(target() + " is closed");
        }
        if (!host.networkNamespaces().contains(namespace)) {
            throw new ExtensionException(LabErrorCode.HOST_UNREACHABLE, "the network namespace " + namespace
                    + " is gone: its site is down", "bring the site up again: livcloud lab up");
        }
    }

    private List<String> inNamespace(List<String> argv) {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        command.addAll(argv);
        return command;
    }

    /** A process in the namespace whose streams the caller handles itself (raw bytes, or a stream left open). */
    private Process startInNamespace(List<String> argv) {
        List<String> command = inNamespace(argv);
        command.set(0, processes.find("ip").map(Path::toString).orElseThrow(() -> new ExtensionException(
                LabErrorCode.MISSING_TOOL, "ip is not installed", "apt-get install iproute2")));
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.HOST_UNREACHABLE, "cannot start " + String.join(" ", argv)
                    + " in " + target() + ": " + e.getMessage(), "check that ip can run here", e);
        }
    }

    /** Blocking reads on a thread of their own: the common pool is not for waiting on pipes. */
    private static <T> CompletableFuture<T> onThread(String name, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> result.complete(work.get()), name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** A channel this access keeps until it is closed, so that closing the access ends it. */
    private HostChannel track(LabChannel channel) {
        channels.add(channel);
        return channel;
    }

    /** Ends the relay: its stdin and stdout go with it. */
    private static void stop(Process relay) {
        relay.destroy();
        try {
            if (!relay.waitFor(2, TimeUnit.SECONDS)) {
                relay.destroyForcibly();
            }
        } catch (InterruptedException e) {
            relay.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
