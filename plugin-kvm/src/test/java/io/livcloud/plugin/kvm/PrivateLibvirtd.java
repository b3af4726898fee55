package io.livcloud.plugin.kvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A libvirtd of a test's own, as LAB-FACTS describes: in a private mount namespace ({@code unshare -m}) with its own
 * {@code /etc/libvirt}, {@code /run/libvirt}, {@code /var/lib/libvirt}, {@code /var/log/libvirt},
 * {@code /var/cache/libvirt} bind-mounted from {@code directory}, and an {@code /etc/passwd} that has the
 * {@code libvirt-qemu} user libvirt insists on. It stays in the root network namespace but listens on its unix socket
 * only ({@code listen_tcp} off); QEMU runs as root with no security driver, cgroups or namespaces.
 *
 * <p>Reachable from here at {@link #uri()} and, for another daemon's peer-to-peer migration, at {@link #peerUri()}.
 * {@link #close()} destroys its guests, stops the daemon by PID and kills any QEMU it left, by the PIDs in its own
 * run directory; it also runs from a shutdown hook. Only processes it started are touched.
 */
final class PrivateLibvirtd implements AutoCloseable {

    private static final Duration SOCKET_WAIT = Duration.ofSeconds(20);

    private final Path directory;
    private final Process daemon;
    private final Thread shutdownHook;
    private boolean closed;

    private PrivateLibvirtd(Path directory, Process daemon) {
        this.directory = directory;
        this.daemon = daemon;
        this.shutdownHook = new Thread(this::stop, "private-libvirtd-teardown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** What this machine lacks to run one, for {@link Prerequisites#require}; empty when nothing. */
    static Optional<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!"root".equals(System.getProperty("user.name"))) {
            missing.add("root (bind mounts in a private mount namespace)");
        }
        for (String tool : List.of("/usr/sbin/libvirtd", "/usr/bin/virsh", "/usr/bin/qemu-system-x86_64",
                "/usr/bin/unshare", KvmPluginZipIT.LIBVIRT_SO.toString())) {
            if (!Files.isExecutable(Path.of(tool)) && !Files.exists(Path.of(tool))) {
                missing.add(tool);
            }
        }
        return missing.isEmpty()
                ? Optional.empty()
                : Optional.of("a private libvirtd needs " + String.join(", ", missing)
                        + " (as root: scripts/install-lab-prerequisites.sh)");
    }

    /**
     * Starts a daemon over {@code directory} and waits for its socket.
     *
     * @param hostUuid distinct per daemon: libvirt refuses to migrate to "the same host"
     * @param cache where QEMU's capabilities are cached; kept between runs, it spares the 4-8 s probe
     */
    static PrivateLibvirtd start(Path directory, String hostUuid, Path cache) throws IOException,
            InterruptedException {
        for (String sub : List.of("etc", "run", "lib", "log/qemu")) {
            Files.createDirectories(directory.resolve(sub));
        }
        Files.createDirectories(cache);
        Files.writeString(directory.resolve("etc/libvirtd.conf"), """
                listen_tcp = 0
                listen_tls = 0
                unix_sock_group = "root"
                unix_sock_rw_perms = "0700"
                auth_unix_rw = "none"
                auth_unix_ro = "none"
                host_uuid = "%s"
                log_outputs = "3:file:/var/log/libvirt/libvirtd.log"
                """.formatted(hostUuid));
        Files.writeString(directory.resolve("etc/qemu.conf"), """
                user = "root"
                group = "root"
                dynamic_ownership = 0
                remember_owner = 0
                security_driver = "none"
                stdio_handler = "file"
                cgroup_controllers = [ ]
                namespaces = [ ]
                """);
        Files.writeString(directory.resolve("passwd"), Files.readString(Path.of("/etc/passwd"))
                + "libvirt-qemu:x:64055:64055:Libvirt Qemu,,,:/var/lib/libvirt:/usr/sbin/nologin\n");
        Files.writeString(directory.resolve("group"), Files.readString(Path.of("/etc/group"))
                + "libvirt-qemu:x:64055:\n");
        Path socket = directory.resolve("run/libvirt-sock");
        Files.deleteIfExists(socket);
        String d = directory.toAbsolutePath().toString();
        // The mount points may be missing when the packages were stripped; they are empty directories, made once.
        String script = String.join(" && ",
                "mkdir -p /etc/libvirt /run/libvirt /var/lib/libvirt /var/log/libvirt /var/cache/libvirt",
                "mount --bind " + d + "/etc /etc/libvirt",
                "mount --bind " + d + "/run /run/libvirt",
                "mount --bind " + d + "/lib /var/lib/libvirt",
                "mount --bind " + d + "/log /var/log/libvirt",
                "mount --bind " + cache.toAbsolutePath() + " /var/cache/libvirt",
                "mount --bind " + d + "/passwd /etc/passwd",
                "mount --bind " + d + "/group /etc/group",
                "exec /usr/sbin/libvirtd -f /etc/libvirt/libvirtd.conf -p /run/libvirt/libvirtd.pid");
        Process process = new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("libvirtd.out").toFile())
                .start();
        PrivateLibvirtd libvirtd = new PrivateLibvirtd(directory, process);
        long deadline = System.nanoTime() + SOCKET_WAIT.toNanos();
        while (!Files.exists(socket)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                libvirtd.close();
                throw new IllegalStateException("the private libvirtd in " + directory + " did not come up: "
                        + libvirtd.log());
            }
            Thread.sleep(50);
        }
        return libvirtd;
    }

    /** {@code qemu:///system?socket=…}: how this process reaches it. */
    String uri() {
        return "qemu:///system?socket=" + directory.toAbsolutePath().resolve("run/libvirt-sock");
    }

    /**
     * {@code qemu+unix:///system?socket=…}: how another libvirtd reaches it (inside a daemon a plain {@code qemu://}
     * URI would mean that daemon's own driver).
     */
    String peerUri() {
        return "qemu+unix:///system?socket=" + directory.toAbsolutePath().resolve("run/libvirt-sock");
    }

    /** Runs {@code virsh -c <uri> <arguments>} and returns its output; fails the test if virsh fails. */
    String virsh(String... arguments) {
        List<String> command = new ArrayList<>(List.of("virsh", "-c", uri()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }

    /** Defines a domain from XML text. */
    void define(String name, String xml) {
        Path file = directory.resolve(name + ".xml");
        try {
            Files.writeString(file, xml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        virsh("define", file.toString());
    }

    /** The tail of the daemon's own log, for failure messages. */
    String log() {
        try {
            Path log = directory.resolve("log/libvirtd.log");
            Path out = directory.resolve("libvirtd.out");
            String text = (Files.exists(out) ? Files.readString(out) : "")
                    + (Files.exists(log) ? Files.readString(log) : "");
            return text.length() > 3000 ? text.substring(text.length() - 3000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs stop() too, which is idempotent.
        }
    }

    private synchronized void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (daemon.isAlive()) {
            try {
                for (String name : virsh("list", "--name").lines().map(String::strip).filter(l -> !l.isEmpty())
                        .toList()) {
                    virsh("destroy", name);
                }
            } catch (RuntimeException e) {
                // The daemon may be unusable; the QEMU processes are killed by PID below.
            }
            daemon.destroy();
            try {
                if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
                    daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        killLeftoverQemu();
    }

    /** QEMU outlives libvirtd; kill those this daemon started, by the PID files in its run directory. */
    private void killLeftoverQemu() {
        Path pids = directory.resolve("run/qemu");
        if (!Files.isDirectory(pids)) {
            return;
        }
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                long pid = Long.parseLong(Files.readString(file).strip());
                ProcessHandle.of(pid)
                        .filter(handle -> handle.info().command().orElse("").contains("qemu-system"))
                        .ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // Nothing more to find.
        }
    }
}
