package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciEndpoint;
import io.livcloud.plugin.strongswan.vici.ViciException;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.host.HostAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The charon of a test gateway, started as the lab starts each site's: inside the gateway's network namespace, with a
 * private {@code /run} (charon's pid file {@code /var/run/charon.pid} is compiled in, so two charons on one machine need
 * two) bind-mounted from the gateway's folder, where its VICI socket {@code run/charon.vici} then appears to this
 * machine. The driver never starts or stops it: the tests do, and kill it to play a gateway whose charon died.
 *
 * <p>Its folder holds the rendered {@code strongswan.conf} and {@code charon.log}; the pid is checked against
 * {@code /proc} before any signal.
 */
final class NamespaceCharon {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** With a 1 s first timeout growing 1.4x: an unreachable peer is reported after about 7 s. */
    private static final int RETRANSMIT_TRIES = 3;
    private static final int LOG_LINES = 15;
    private static final ProcessRunner PROCESSES = new ProcessRunner();

    private final String namespace;
    private final Path directory;
    private final DataPath dataPath;
    private final HostAccess host;
    private long pid;

    NamespaceCharon(String namespace, Path directory, DataPath dataPath, HostAccess host) {
        this.namespace = namespace;
        this.directory = directory;
        this.dataPath = dataPath;
        this.host = host;
    }

    /** Its VICI socket, as this machine (and so the gateway's host access) sees it. */
    Path socket() {
        return directory.resolve("run").resolve("charon.vici");
    }

    Path logFile() {
        return directory.resolve("charon.log");
    }

    /** The charon's process id. */
    long pid() {
        return pid;
    }

    /** Starts it and waits until it answers over VICI. */
    NamespaceCharon start() {
        Path run = directory.resolve("run");
        Path configFile = directory.resolve("strongswan.conf");
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.createDirectories(run);
            for (String stale : List.of("charon.vici", "charon.pid", "charon.ctl")) {
                Files.deleteIfExists(run.resolve(stale));
            }
            Files.writeString(configFile, render(), StandardCharsets.UTF_8);
            Files.writeString(logFile(), "=== the test starts charon in " + namespace + " (" + dataPath.label() + ")\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // One process from ip to charon: ip netns exec, unshare (without --fork) and sh's exec all keep the pid.
        List<String> command = List.of("ip", "netns", "exec", namespace, "unshare", "--mount", "--propagation",
                "private", "sh", "-c", "mount --bind \"$1\" /run && exec \"$2\"", "sh", run.toString(),
                TestConfigs.CHARON.toString());
        pid = PROCESSES.startDaemon(command, Map.of("STRONGSWAN_CONF", configFile.toString()), logFile()).pid();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new IllegalStateException("charon in " + namespace + " ended right after it started; its log"
                        + " ends with:\n" + logTail());
            }
            if (answers()) {
                return this;
            }
            pause(POLL);
        }
        stop();
        throw new IllegalStateException("charon in " + namespace + " did not answer within " + START_TIMEOUT
                + "; its log ends with:\n" + logTail());
    }

    /** strongswan.conf for this gateway: only the plugins it needs, quick retransmissions, a log file of its own. */
    private String render() {
        List<String> plugins = new ArrayList<>(List.of("random", "nonce", "openssl", "aes", "sha1", "sha2", "hmac",
                "gcm", "kdf", "gmp", "pem", "pkcs1", "pkcs8", "x509", "pubkey", "constraints", "revocation"));
        if (dataPath == DataPath.USERSPACE_LIBIPSEC) {
            plugins.add("kernel-libipsec");
        }
        plugins.addAll(List.of("kernel-netlink", "socket-default", "vici"));
        return "charon {\n"
                + "  load_modular = no\n"
                + "  load = " + String.join(" ", plugins) + "\n"
                + "  install_routes = yes\n"
                + "  retransmit_tries = " + RETRANSMIT_TRIES + "\n"
                + "  retransmit_timeout = 1.0\n"
                + "  retransmit_base = 1.4\n"
                + "  filelog {\n"
                + "    livcloud {\n"
                + "      path = " + logFile() + "\n"
                + "      time_format = %F %T\n"
                + "      append = yes\n"
                + "      flush_line = yes\n"
                + "      default = 1\n"
                + "      ike_name = yes\n"
                + "    }\n"
                + "  }\n"
                + "  syslog {\n"
                + "    daemon {\n"
                + "      default = -1\n"
                + "    }\n"
                + "  }\n"
                + "}\n";
    }

    private boolean answers() {
        try (ViciClient client = ViciClient.connect(ViciEndpoint.on(host, socket().toString()))) {
            client.version();
            return true;
        } catch (ViciException e) {
            return false;
        }
    }

    /** Whether it runs (verified against /proc). */
    boolean running() {
        return pid != 0 && isOurCharon(pid);
    }

    /** Stops it, if it runs. */
    void stop() {
        if (!running()) {
            return;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        if (!waitUntilGone(STOP_GRACE)) {
            handle.get().destroyForcibly();
            waitUntilGone(STOP_GRACE);
        }
    }

    /** The process runs charon (not a zombie) in this gateway's network namespace: never signal anything else. */
    private boolean isOurCharon(long candidate) {
        Path proc = Path.of("/proc", Long.toString(candidate));
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');
            if (end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) == 'Z') {
                return false;
            }
            String commandLine = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            String processNamespace = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
            Object inode = Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino");
            String charon = TestConfigs.CHARON.toString();
            boolean isCharon = commandLine.equals(charon) || commandLine.startsWith(charon + "\0");
            return isCharon && processNamespace.equals("net:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private boolean waitUntilGone(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isOurCharon(pid)) {
                return true;
            }
            pause(POLL);
        }
        return !isOurCharon(pid);
    }

    /** The end of its log, to explain a failure. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log at " + logFile() + ")";
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for charon", e);
        }
    }
}
