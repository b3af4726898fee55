package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.ProcessInfo;
import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Each site's charon, the strongSwan daemon of its gateway: what a cloud host's bootstrap sets up, done by the lab for
 * its sites. The tunnel extension then drives it over VICI through the gateway's host access and tunnel control,
 * never starting a charon itself.
 *
 * <p>charon runs in the site's network namespace and in a private mount namespace with the site's
 * {@link LabSite#charonRun()} bind-mounted over {@code /run} (its pid file {@code /var/run/charon.pid} is compiled in,
 * so two charons on one machine need two {@code /run}s). Its VICI socket is {@link LabSite#viciSocket()}, outside that
 * mount, so the same path reaches it from here. Its folder holds the rendered strongswan.conf, the pid the lab started
 * (checked against {@code /proc} before any signal) and its log.
 */
final class LabCharon {

    /** Debian's charon; {@code strongswan-charon}, with kernel-libipsec in {@code libcharon-extra-plugins}. */
    static final String CHARON = "/usr/lib/ipsec/charon";
    /** IKE retransmissions before a peer counts as unreachable: a lab peer answers in milliseconds or not at all. */
    private static final int RETRANSMIT_TRIES = 3;
    private static final String START_MARKER = "=== the LivCloud lab starts the charon of site ";
    /** The process just started: until its last exec one of the steps on the way to charon, each naming its path. */
    private static final Predicate<ProcessInfo> STARTING_CHARON =
            process -> process.running() && process.commandLine().contains(CHARON);

    private final LabConfig config;
    private final LabHost host;
    private final LabEvents events;
    private final LabProcesses processes;
    private LabDataPath dataPath; // detected at the first start

    LabCharon(LabConfig config, LabHost host, LabEvents events) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.events = requireNonNull(events, "events is null");
        this.processes = new LabProcesses(host);
    }

    // ---------------------------------------------------------------------------------------------------------- up

    /**
     * Reuses the site's charon when it runs and answers on its VICI socket; otherwise (none, or one that no longer
     * answers) starts one in the site's namespace, which must exist, and returns once it answers.
     *
     * @throws ExtensionException {@link LabErrorCode#CHARON_DID_NOT_START} with the end of its log, or
     *     {@link LabErrorCode#STATE_UNREADABLE}
     */
    void ensureRunning(LabSite site) {
        Optional<String> namespaceId = host.networkNamespaceId(site.namespace());
        Optional<Long> running = verifiedPid(site, namespaceId);
        if (running.isPresent() && host.charonAnswers(site.viciSocket())) {
            return;
        }
        running.ifPresent(pid -> processes.stop(pid, charonOf(namespaceId))); // wedged: started again
        long pid = start(site);
        waitUntilAnswering(site, pid);
    }

    private long start(LabSite site) {
        try {
            Files.createDirectories(site.charonRun());
            // A charon killed earlier leaves these; its pid file would make a new one refuse to start.
            for (Path stale : List.of(site.charonRun().resolve("charon.pid"), site.charonRun().resolve("charon.ctl"),
                    site.viciSocket(), site.charonPidFile())) {
                Files.deleteIfExists(stale);
            }
            Files.writeString(site.charonConf(), render(site, dataPath()), StandardCharsets.UTF_8);
            LabProcesses.markStart(site.charonLog(), START_MARKER + site.name() + " (" + dataPath().label() + ")");
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write the charon configuration of site "
                    + site.name() + " in " + site.charonDirectory() + ": " + e, "check the lab directory's permissions",
                    e);
        }
        long pid;
        try {
            pid = host.startDetached(startCommand(site), site.charonLog());
        } catch (RuntimeException e) {
            throw new ExtensionException(LabErrorCode.CHARON_DID_NOT_START, "cannot start the charon of site "
                    + site.name() + ": " + e.getMessage(), "check that strongswan-charon and util-linux are installed",
                    e);
        }
        try {
            Files.writeString(site.charonPidFile(), pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            processes.stop(pid, STARTING_CHARON);
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write " + site.charonPidFile() + ": "
                    + e + "; stopped the charon started as pid " + pid, "check the lab directory's permissions", e);
        }
        return pid;
    }

    private LabDataPath dataPath() {
        if (dataPath == null) {
            LabDataPath.Detection detection = LabDataPath.detect(host);
            dataPath = detection.dataPath();
            events.info("the sites' charons use " + dataPath.label() + ": " + detection.evidence());
        }
        return dataPath;
    }

    private void waitUntilAnswering(LabSite site, long pid) {
        LabProcesses.Started started = new LabProcesses.Started("the charon of site " + site.name(), pid,
                "answered on " + site.viciSocket(), site.charonLog(), START_MARKER, LabErrorCode.CHARON_DID_NOT_START,
                "read " + site.charonLog() + "; the lab's strongswan.conf is " + site.charonConf(), STARTING_CHARON);
        try {
            processes.awaitReady(started, () -> host.charonAnswers(site.viciSocket()), config.startTimeout());
        } catch (ExtensionException e) {
            LabProcesses.deleteQuietly(site.charonPidFile());
            throw e;
        }
    }

    /**
     * strongswan.conf for a site's gateway: only the plugins it needs (kernel-libipsec only for the userspace data
     * path), quick retransmissions, the VICI socket in the site's folder, a log file of its own and nothing to syslog.
     */
    static String render(LabSite site, LabDataPath dataPath) {
        List<String> plugins = new ArrayList<>(List.of("random", "nonce", "openssl", "aes", "sha1", "sha2", "hmac",
                "gcm", "kdf", "gmp", "pem", "pkcs1", "pkcs8", "x509", "pubkey", "constraints", "revocation"));
        if (dataPath == LabDataPath.USERSPACE_LIBIPSEC) {
            plugins.add("kernel-libipsec");
        }
        plugins.addAll(List.of("kernel-netlink", "socket-default", "vici"));
        return "# Written by the LivCloud lab for the gateway of site " + site.name() + " (network namespace "
                + site.namespace() + ") at each start of its charon; edits are lost.\n"
                + "charon {\n"
                + "  load_modular = no\n"
                + "  load = " + String.join(" ", plugins) + "\n"
                + "  install_routes = yes\n"
                + "  retransmit_tries = " + RETRANSMIT_TRIES + "\n"
                + "  retransmit_timeout = 1.0\n"
                + "  retransmit_base = 1.4\n"
                + "  plugins {\n"
                + "    vici {\n"
                + "      socket = unix://" + site.viciSocket() + "\n"
                + "    }\n"
                + "  }\n"
                + "  filelog {\n"
                + "    livcloud {\n"
                + "      path = " + site.charonLog() + "\n"
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

    /**
     * Starts charon detached ({@code setsid}) in the site's network namespace and a private mount namespace with
     * {@code /run} replaced. One process from setsid to charon: setsid (not a group leader), ip netns exec, unshare
     * without {@code --fork}, sh's {@code exec} and env each exec the next, so the started pid is charon's.
     */
    static List<String> startCommand(LabSite site) {
        return List.of("setsid", "ip", "netns", "exec", site.namespace(), "unshare", "--mount", "--propagation",
                "private", "sh", "-c", "mount --bind \"$1\" /run && exec env STRONGSWAN_CONF=\"$2\" \"$3\"", "sh",
                site.charonRun().toString(), site.charonConf().toString(), CHARON);
    }

    // ---------------------------------------------------------------------------------------------------- running

    /** The pid of the site's charon, if the lab's pid file names a running charon in the site's namespace. */
    Optional<Long> verifiedPid(LabSite site, Optional<String> namespaceId) {
        if (namespaceId.isEmpty()) {
            return Optional.empty();
        }
        return LabProcesses.readPid(site.charonPidFile())
                .filter(pid -> host.process(pid).filter(charonOf(namespaceId)).isPresent());
    }

    private static Predicate<ProcessInfo> charonOf(Optional<String> namespaceId) {
        return process -> process.running() && isCharon(process.commandLine())
                && namespaceId.map(process.networkNamespaceId()::equals).orElse(false);
    }

    static boolean isCharon(List<String> commandLine) {
        return !commandLine.isEmpty() && commandLine.get(0).equals(CHARON);
    }

    // -------------------------------------------------------------------------------------------------------- down

    /**
     * Ends the site's charon when the lab's pid file names it (verified), and removes the pid file.
     *
     * @return the pid it ended or tried to end
     */
    Optional<Long> stop(LabSite site, Optional<String> namespaceId, TeardownSteps teardown) {
        Optional<Long> ended = processes.stopDaemon("charon", "charon", site.charonPidFile(), namespaceId,
                process -> isCharon(process.commandLine()), teardown);
        if (!teardown.dryRun() && ended.isPresent()) {
            LabProcesses.deleteQuietly(site.viciSocket()); // a charon that needed SIGKILL leaves it behind
        }
        return ended;
    }
}
