package io.livcloud.plugin.toolkit.ssh;

import io.livcloud.testing.Prerequisites;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd in a network namespace of its own, {@code lcssh<pid>}, reached from the root namespace over a
 * veth pair in 10.99.250.0/24 (a /30 chosen by this JVM's pid, so parallel runs do not collide). Started and ended by
 * its pid; {@link #close()} is idempotent and also runs from a shutdown hook.
 */
final class SshdInNamespace implements AutoCloseable {

    private static final long PID = ProcessHandle.current().pid();
    private static final String NAMESPACE = "lcssh" + PID;
    private static final String HOST_LINK = "lcs" + PID + "h";
    private static final String NAMESPACE_LINK = "lcs" + PID + "n";
    private static final int BLOCK = (int) (PID % 63) * 4;
    /** The root namespace's end of the veth pair. */
    static final String HOST_ADDRESS = "10.99.250." + (BLOCK + 1);
    /** sshd's address, inside the namespace. */
    static final String SSHD_ADDRESS = "10.99.250." + (BLOCK + 2);

    private final Path directory;
    private final Thread shutdownHook = new Thread(this::close, "sshd-namespace-teardown");
    private Process sshd;
    private boolean networkUp;

    private SshdInNamespace(Path directory) {
        this.directory = directory;
    }

    /** Checks what it needs (failing under CI=true), builds the namespace; sshd starts with {@link #startSshd}. */
    static SshdInNamespace create(Path directory) throws IOException, InterruptedException {
        Prerequisites.requireRoot();
        Prerequisites.requireCommand("ip", "iproute2");
        Prerequisites.requireCommand("sshd", "openssh-server");
        SshdInNamespace lab = new SshdInNamespace(directory);
        lab.close(); // a namespace left by a killed run with the same pid
        // After the pre-clean, whose close() removes the hook: the namespace must go even if the JVM is killed.
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        lab.networkUp = true;
        command("ip", "netns", "add", NAMESPACE);
        command("ip", "link", "add", HOST_LINK, "type", "veth", "peer", "name", NAMESPACE_LINK);
        command("ip", "link", "set", NAMESPACE_LINK, "netns", NAMESPACE);
        command("ip", "addr", "add", HOST_ADDRESS + "/30", "dev", HOST_LINK);
        command("ip", "link", "set", HOST_LINK, "up");
        command("ip", "netns", "exec", NAMESPACE, "ip", "addr", "add", SSHD_ADDRESS + "/30", "dev", NAMESPACE_LINK);
        command("ip", "netns", "exec", NAMESPACE, "ip", "link", "set", NAMESPACE_LINK, "up");
        command("ip", "netns", "exec", NAMESPACE, "ip", "link", "set", "lo", "up");
        return lab;
    }

    /**
     * Starts sshd on {@link #SSHD_ADDRESS}:22 with this host key and these authorized keys (for root), and waits until
     * it accepts connections. A running sshd is stopped first.
     */
    void startSshd(Path hostKey, List<String> authorizedKeys) throws IOException, InterruptedException {
        stopSshd();
        Path authorized = Files.write(directory.resolve("authorized_keys"), authorizedKeys);
        Path config = Files.writeString(directory.resolve("sshd_config"), String.join("\n",
                "ListenAddress " + SSHD_ADDRESS,
                "Port 22",
                "HostKey " + hostKey,
                "PidFile " + directory.resolve("sshd.pid"),
                "AuthorizedKeysFile " + authorized,
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                // The temporary folder's modes are not sshd's business here.
                "StrictModes no",
                ""));
        // sshd's privilege separation needs this folder; Debian creates it only when its service starts.
        Files.createDirectories(Path.of("/run/sshd"));
        // `ip netns exec` execs sshd in its own process, so this Process's pid is sshd's pid.
        sshd = new ProcessBuilder("ip", "netns", "exec", NAMESPACE, "/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sshd.log").toFile())
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            if (!sshd.isAlive()) {
                throw new IllegalStateException("sshd exited with " + sshd.exitValue() + ": "
                        + Files.readString(directory.resolve("sshd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(SSHD_ADDRESS, 22), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("sshd did not accept connections in 10 s: "
                + Files.readString(directory.resolve("sshd.log")));
    }

    /**
     * Starts a program in the namespace (a listener for the stream tests), its output to {@code log}; the caller ends
     * it by its pid ({@code ip netns exec} execs the program, so the Process is the program).
     */
    Process spawn(Path log, String... argv) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", NAMESPACE));
        command.addAll(List.of(argv));
        return new ProcessBuilder(command).redirectError(log.toFile()).start();
    }

    /** Stops the sshd this object started, by its pid. */
    void stopSshd() throws InterruptedException {
        if (sshd != null && sshd.isAlive()) {
            sshd.destroy();
            if (!sshd.waitFor(5, TimeUnit.SECONDS)) {
                sshd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        sshd = null;
    }

    @Override
    public synchronized void close() {
        try {
            stopSshd();
            // Deleting the namespace deletes its end of the veth pair and with it the root namespace's end.
            quietly("ip", "netns", "del", NAMESPACE);
            quietly("ip", "link", "del", HOST_LINK);
            networkUp = false;
            if (Thread.currentThread() != shutdownHook) {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException shuttingDown) {
            // removeShutdownHook during shutdown: the hook is running anyway.
        }
    }

    /** Whether the namespace is removed should the JVM exit before {@link #close()}. */
    boolean teardownOnExit() {
        // The JDK tells whether a hook is registered only by removing it.
        boolean registered = Runtime.getRuntime().removeShutdownHook(shutdownHook);
        if (registered) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return registered;
    }

    boolean networkUp() {
        return networkUp;
    }

    private static void command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static void quietly(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // ip is missing: then nothing was created either.
        }
    }
}
