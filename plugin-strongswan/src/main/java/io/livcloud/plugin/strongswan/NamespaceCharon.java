package io.livcloud.plugin.strongswan;

import io.livcloud.plugin.strongswan.vici.ViciClient;
import io.livcloud.plugin.strongswan.vici.ViciEndpoint;
import io.livcloud.plugin.strongswan.vici.ViciException;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A charon that LivCloud runs for a lab gateway: one per site, inside the site's network namespace, with a private
 * {@code /run} (charon's pid file {@code /var/run/charon.pid} is compiled in, so two charons on one machine need two)
 * bind-mounted from the gateway's folder, where its VICI socket {@code run/charon.vici} then appears to this process.
 *
 * <p>Its folder ({@code <work>/gw/<site>}) holds the rendered {@code strongswan.conf}, {@code charon.pid} (written here,
 * and checked against {@code /proc} before any signal) and {@code charon.log}.
 */
final class NamespaceCharon implements CharonGateway {

    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final int LOG_LINES = 15;
    private static final ProcessRunner PROCESSES = new ProcessRunner();

    private final String siteName;
    private final String namespace;
    private final Path directory;
    private final StrongSwanConfig config;
    private final DataPath dataPath;

    NamespaceCharon(String siteName, String namespace, Path directory, StrongSwanConfig config, DataPath dataPath) {
        this.siteName = siteName;
        this.namespace = namespace;
        this.directory = directory;
        this.config = config;
        this.dataPath = dataPath;
    }

    @Override
    public String siteName() {
        return siteName;
    }

    @Override
    public ViciEndpoint endpoint() {
        return ViciEndpoint.unix(runFolder().resolve("charon.vici"));
    }

    @Override
    public Optional<String> networkNamespace() {
        return Optional.of(namespace);
    }

    Path runFolder() {
        return directory.resolve("run");
    }

    Path configFile() {
        return directory.resolve("strongswan.conf");
    }

    Path pidFile() {
        return directory.resolve("charon.pid");
    }

    Path logFile() {
        return directory.resolve("charon.log");
    }

    @Override
    public synchronized void ensureRunning() {
        Optional<Long> running = runningPid();
        if (running.isPresent() && answers()) {
            return;
        }
        running.ifPresent(this::stop); // runs but does not answer: a wedged charon is restarted
        if (!Files.isExecutable(config.charonPath())) {
            throw new ExtensionException(StrongSwanErrorCode.CHARON_NOT_INSTALLED, "charon is not installed at "
                    + config.charonPath(), "apt-get install strongswan-charon libcharon-extra-plugins, or set"
                    + " livcloud.extensions.tunnel.strongswan.charon-path");
        }
        long pid = start();
        waitUntilAnswering(pid);
    }

    private long start() {
        try {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.createDirectories(runFolder());
            for (String stale : List.of("charon.vici", "charon.pid", "charon.ctl")) {
                Files.deleteIfExists(runFolder().resolve(stale));
            }
            Files.writeString(configFile(), render(), StandardCharsets.UTF_8);
            Files.writeString(logFile(), "=== LivCloud starts the charon of site " + siteName + " in " + namespace
                    + " (" + dataPath.label() + ")\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            // One process from ip to charon: ip netns exec, unshare (without --fork) and sh's exec all keep the pid.
            List<String> command = List.of("ip", "netns", "exec", namespace, "unshare", "--mount", "--propagation",
                    "private", "sh", "-c", "mount --bind \"$1\" /run && exec \"$2\"", "sh", runFolder().toString(),
                    config.charonPath().toString());
            long pid = PROCESSES.startDaemon(command, Map.of("STRONGSWAN_CONF", configFile().toString()), logFile())
                    .pid();
            Files.writeString(pidFile(), pid + "\n", StandardCharsets.US_ASCII);
            return pid;
        } catch (IOException e) {
            throw new ExtensionException(StrongSwanErrorCode.CHARON_START_FAILED, "cannot start the charon of site "
                    + siteName + " in " + directory + ": " + e.getMessage(), "check that LivCloud runs as root and"
                    + " that the folder is writable");
        } catch (ExtensionException e) {
            // No ip or unshare, or not startable: still this plugin's failure to start charon, with the runner's why.
            throw new ExtensionException(StrongSwanErrorCode.CHARON_START_FAILED, "cannot start the charon of site "
                    + siteName + ": " + e.getMessage(), e.remedy(), e);
        }
    }

    /** strongswan.conf for this gateway: only the plugins it needs, quick retransmissions, a log file of its own. */
    String render() {
        List<String> plugins = new ArrayList<>(List.of("random", "nonce", "openssl", "aes", "sha1", "sha2", "hmac",
                "gcm", "kdf", "gmp", "pem", "pkcs1", "pkcs8", "x509", "pubkey", "constraints", "revocation"));
        if (dataPath == DataPath.USERSPACE_LIBIPSEC) {
            plugins.add("kernel-libipsec");
        }
        plugins.addAll(List.of("kernel-netlink", "socket-default", "vici"));
        return "# Written by LivCloud for the gateway of site " + siteName + " (network namespace " + namespace
                + ").\n"
                + "# charon reads it through STRONGSWAN_CONF; it is rewritten each time LivCloud starts this charon.\n"
                + "charon {\n"
                + "  load_modular = no\n"
                + "  load = " + String.join(" ", plugins) + "\n"
                + "  install_routes = yes\n"
                + "  retransmit_tries = " + config.retransmitTries() + "\n"
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

    private void waitUntilAnswering(long pid) {
        long deadline = System.nanoTime() + config.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            // Alive, not "is charon": until its last exec the process is still ip, unshare or sh.
            if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                throw new ExtensionException(StrongSwanErrorCode.CHARON_START_FAILED, "the charon of site " + siteName
                        + " ended right after it started; its log " + logFile() + " ends with:\n" + logTail(),
                        "fix what the log says; is the network namespace " + namespace + " there (livcloud lab"
                                + " status)?");
            }
            if (answers()) {
                return;
            }
            pause(POLL);
        }
        stop(pid);
        throw new ExtensionException(StrongSwanErrorCode.CHARON_START_FAILED, "the charon of site " + siteName
                + " did not answer on " + endpoint() + " within " + config.startTimeout().toSeconds() + " s; its log"
                + " ends with:\n" + logTail(), "raise livcloud.extensions.tunnel.strongswan.start-timeout on a slow"
                + " machine, or fix what the log says");
    }

    private boolean answers() {
        try (ViciClient client = connect()) {
            client.version();
            return true;
        } catch (ViciException e) {
            return false;
        }
    }

    @Override
    public synchronized void stopIfManaged() {
        runningPid().ifPresent(this::stop);
        try {
            Files.deleteIfExists(pidFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether this gateway's charon runs (verified against /proc). */
    boolean running() {
        return runningPid().isPresent();
    }

    /** The pid of this gateway's charon, if its pid file names a live process that is that charon. */
    Optional<Long> runningPid() {
        try {
            long pid = Long.parseLong(Files.readString(pidFile(), StandardCharsets.US_ASCII).trim());
            return isOurCharon(pid) ? Optional.of(pid) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The process runs charon (not a zombie) in this gateway's network namespace: never signal anything else. */
    private boolean isOurCharon(long pid) {
        Path proc = Path.of("/proc", Long.toString(pid));
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')');
            if (end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) == 'Z') {
                return false;
            }
            String commandLine = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
            String processNamespace = Files.readSymbolicLink(proc.resolve("ns/net")).toString();
            Object inode = Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino");
            String charon = config.charonPath().toString();
            boolean isCharon = commandLine.equals(charon) || commandLine.startsWith(charon + "\0");
            return isCharon && processNamespace.equals("net:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void stop(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return;
        }
        handle.get().destroy();
        if (!waitUntilGone(pid, STOP_GRACE)) {
            handle.get().destroyForcibly();
            waitUntilGone(pid, STOP_GRACE);
        }
    }

    private boolean waitUntilGone(long pid, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isOurCharon(pid)) {
                return true;
            }
            pause(POLL);
        }
        return !isOurCharon(pid);
    }

    @Override
    public String logTail() {
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
