package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.plugin.lab.LabHost.ProcessInfo;
import io.livcloud.plugin.toolkit.ssh.SshKeys;
import io.livcloud.spi.ExtensionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Each site's OpenSSH sshd in ssh mode: how LivCloud reaches a lab site exactly as it reaches a cloud host. It runs in
 * the site's network namespace but in this machine's mount namespace, so the paths it serves (libvirt's and charon's
 * sockets in the site's folder) are the same as here; it listens on the site's WAN address only.
 *
 * <p>Keys: one host key per site (ed25519, made by {@code ssh-keygen} once and kept, so the fingerprint the site
 * publishes and LivCloud pins stays), and one operator key pair for the whole lab, whose public key is every site's
 * only authorized key. Both private keys are 0600, the lab's SSH folder 0700.
 *
 * <p>{@code StrictModes no}: with {@code yes}, sshd refuses an authorized keys file when it or any folder above it up
 * to {@code /} is group- or world-writable or owned by another user than root, and OpenSSH does not excuse the sticky
 * {@code /tmp} (where a test's lab directory lives). The lab makes the file itself: 0600 in its 0700 SSH folder, both
 * root's, which is what that check protects on a user's home directory.
 */
final class LabSshd {

    /** sshd's privilege separation needs this empty folder; Debian's service makes it, and the lab runs no service. */
    static final Path PRIVILEGE_SEPARATION_FOLDER = Path.of("/run/sshd");
    private static final String OPERATOR_COMMENT = "livcloud-lab operator";
    private static final String START_MARKER = "=== the LivCloud lab starts the sshd of site ";

    private final LabConfig config;
    private final LabHost host;
    private final LabCommands commands;
    private final LabProcesses processes;

    LabSshd(LabConfig config, LabHost host, LabCommands commands) {
        this.config = requireNonNull(config, "config is null");
        this.host = requireNonNull(host, "host is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.processes = new LabProcesses(host);
    }

    // ---------------------------------------------------------------------------------------------------------- up

    /**
     * The keys, then the site's sshd: reused when it runs (verified), else started in the site's namespace, which must
     * exist, with the WAN address on its link; returns once sshd has written its pid file, which it does after it
     * bound its listening socket.
     *
     * @throws ExtensionException {@link LabErrorCode#SSHD_DID_NOT_START} with the end of its log,
     *     {@link LabErrorCode#COMMAND_FAILED} (ssh-keygen) or {@link LabErrorCode#STATE_UNREADABLE}
     */
    void ensureRunning(LabSite site) {
        ensureOperatorKey();
        ensureHostKey(site);
        Optional<String> namespaceId = host.networkNamespaceId(site.namespace());
        if (verifiedPid(site, namespaceId).isPresent()) {
            return;
        }
        Path sshd = host.executable("sshd").orElseThrow(() -> new ExtensionException(LabErrorCode.MISSING_TOOL,
                "ssh mode needs OpenSSH's sshd, which is not installed", "apt-get install openssh-server, or run the"
                        + " lab's prerequisites installer"));
        commands.must(List.of("mkdir", "-p", "-m", "0755", PRIVILEGE_SEPARATION_FOLDER.toString()));
        try {
            LabProcesses.deleteQuietly(site.sshdPidFile());
            Files.writeString(site.sshdConfig(), sshdConfig(site, config.authorizedKeys()), StandardCharsets.UTF_8);
            LabProcesses.markStart(site.sshdLog(), START_MARKER + site.name());
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write the sshd configuration of site "
                    + site.name() + " in " + site.sshDirectory() + ": " + e, "check the lab directory's permissions",
                    e);
        }
        long pid;
        try {
            pid = host.startDetached(startCommand(site, sshd), site.sshdLog());
        } catch (RuntimeException e) {
            throw new ExtensionException(LabErrorCode.SSHD_DID_NOT_START, "cannot start the sshd of site "
                    + site.name() + ": " + e.getMessage(), "check that openssh-server is installed", e);
        }
        waitUntilListening(site, pid);
    }

    /** The operator's key pair, and the sites' authorized keys file that holds its public key. */
    private void ensureOperatorKey() {
        try {
            Files.createDirectories(config.sshDirectory(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(config.sshDirectory(), PosixFilePermissions.fromString("rwx------"));
            String line = PluginClassLoader.call(() -> SshKeys.openSshPublicKey(operatorKey(config).getPublic(),
                    OPERATOR_COMMENT)) + "\n";
            Path partial = config.authorizedKeys().resolveSibling("authorized_keys.partial");
            Files.deleteIfExists(partial);
            Files.createFile(partial, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(partial, line, StandardCharsets.US_ASCII);
            Files.move(partial, config.authorizedKeys(), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot write the lab's SSH files in "
                    + config.sshDirectory() + ": " + e, "check the lab directory's permissions", e);
        }
    }

    /**
     * The lab's operator key pair, made the first time (RSA, as the toolkit makes LivCloud's keys).
     *
     * @throws ExtensionException when it can be neither read nor made
     */
    static KeyPair operatorKey(LabConfig config) {
        return PluginClassLoader.call(() -> SshKeys.loadOrCreate(config.operatorKey(), OPERATOR_COMMENT));
    }

    /** The site's host key; a half-made pair (one file without the other) is made anew. */
    private void ensureHostKey(LabSite site) {
        try {
            Files.createDirectories(site.sshDirectory());
            if (Files.exists(site.hostKey()) && Files.exists(site.hostKeyPublic())) {
                return;
            }
            Files.deleteIfExists(site.hostKey());
            Files.deleteIfExists(site.hostKeyPublic());
            commands.must(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "livcloud-lab site "
                    + site.name(), "-f", site.hostKey().toString()));
            // sshd refuses a host key others can read; ssh-keygen makes it so, and this keeps it so.
            Files.setPosixFilePermissions(site.hostKey(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, "cannot make the SSH host key of site "
                    + site.name() + " in " + site.sshDirectory() + ": " + e, "check the lab directory's permissions",
                    e);
        }
    }

    /** sshd writes its pid file once its listening socket is bound. */
    private void waitUntilListening(LabSite site, long pid) {
        LabProcesses.Started started = new LabProcesses.Started("the sshd of site " + site.name(), pid,
                "listened on " + site.publicAddress() + ":" + LabSite.SSH_PORT, site.sshdLog(), START_MARKER,
                LabErrorCode.SSHD_DID_NOT_START, "read " + site.sshdLog() + "; the lab's sshd_config is "
                        + site.sshdConfig(), process -> process.running() && isSshdOf(site, process.commandLine()));
        processes.awaitReady(started, () -> LabProcesses.readPid(site.sshdPidFile())
                .filter(written -> written == pid).isPresent(), config.startTimeout());
    }

    /**
     * sshd_config for a site: root only, with the operator's key only, on the site's WAN address only; forwarding of
     * Unix sockets and TCP on, because that is how LivCloud reaches libvirt's and charon's sockets and a host's ports.
     */
    static String sshdConfig(LabSite site, Path authorizedKeys) {
        return String.join("\n",
                "# Written by the LivCloud lab for site " + site.name() + " at each start of its sshd; edits are lost.",
                "ListenAddress " + site.publicAddress() + ":" + LabSite.SSH_PORT,
                "HostKey " + site.hostKey(),
                "PidFile " + site.sshdPidFile(),
                "AuthorizedKeysFile " + authorizedKeys,
                "AllowUsers root",
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "AllowStreamLocalForwarding yes",
                "AllowTcpForwarding yes",
                "AllowAgentForwarding no",
                "X11Forwarding no",
                "PermitTunnel no",
                "PrintMotd no",
                "# See LabSshd: the lab keeps the authorized keys 0600 in a 0700 folder of its own.",
                "StrictModes no",
                "");
    }

    /**
     * Starts sshd detached ({@code setsid}) in the site's network namespace, in the foreground ({@code -D}, so the
     * started pid is the listener's: setsid and ip netns exec each exec the next) with its log on stderr ({@code -e}).
     * sshd needs its absolute path to re-execute itself for each connection.
     */
    static List<String> startCommand(LabSite site, Path sshd) {
        return List.of("setsid", "ip", "netns", "exec", site.namespace(), sshd.toString(), "-D", "-e", "-f",
                site.sshdConfig().toString());
    }

    // ---------------------------------------------------------------------------------------------------- running

    /** The pid of the site's sshd listener, from its pid file, if that process is it and runs in the site. */
    Optional<Long> verifiedPid(LabSite site, Optional<String> namespaceId) {
        if (namespaceId.isEmpty()) {
            return Optional.empty();
        }
        return LabProcesses.readPid(site.sshdPidFile())
                .filter(pid -> host.process(pid).filter(listenerOf(site, namespaceId.get())).isPresent());
    }

    /**
     * Whether a command line is the site's sshd listener, or one of the copies it re-executes for a connection: it
     * names the site's sshd_config. sshd rewrites its process title, so the line may come as one string ({@code sshd:
     * /usr/sbin/sshd -D -e -f <config> [listener] 0 of 10-100 startups}).
     */
    static boolean isSshdOf(LabSite site, List<String> commandLine) {
        String line = String.join(" ", commandLine);
        String conf = site.sshdConfig().toString();
        return isSshd(commandLine) && (line.contains(" -f " + conf + " ") || line.endsWith(" -f " + conf));
    }

    /** Whether the process is an sshd: its program is sshd, or its title begins {@code sshd:}. */
    static boolean isSshd(List<String> commandLine) {
        if (commandLine.isEmpty()) {
            return false;
        }
        String first = commandLine.get(0);
        return first.startsWith("sshd:") || Path.of(first.split(" ")[0]).getFileName().toString().equals("sshd");
    }

    private static Predicate<ProcessInfo> listenerOf(LabSite site, String namespaceId) {
        return process -> process.running() && isSshdOf(site, process.commandLine())
                && process.networkNamespaceId().equals(namespaceId);
    }

    /**
     * The fingerprint LivCloud pins for the site's host key ({@code SHA256:} and the unpadded base64 of the key blob's
     * SHA-256, as {@code ssh-keygen -l} prints it).
     *
     * @throws ExtensionException {@link LabErrorCode#SITE_NOT_FOUND} when the site has no host key (it never ran in
     *     ssh mode), {@link LabErrorCode#STATE_UNREADABLE} when the file is not a public key
     */
    static String hostKeyFingerprint(LabSite site) {
        String line;
        try {
            line = Files.readString(site.hostKeyPublic(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            throw new ExtensionException(LabErrorCode.SITE_NOT_FOUND, "site " + site.name() + " has no SSH host key ("
                    + site.hostKeyPublic() + ": " + e + ")", "bring the site up with host-access = ssh");
        }
        String[] fields = line.split("\\s+");
        try {
            byte[] blob = Base64.getDecoder().decode(fields[1]);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException | NoSuchAlgorithmException e) {
            throw new ExtensionException(LabErrorCode.STATE_UNREADABLE, site.hostKeyPublic() + " is not an OpenSSH"
                    + " public key", "delete it and " + site.hostKey() + "; the next up makes a new host key", e);
        }
    }

    // -------------------------------------------------------------------------------------------------------- down

    /**
     * Ends the site's sshd: first the sessions it serves (each an sshd descended from the listener, in the site's
     * namespace; they outlive their listener otherwise), then the listener, found by its pid file or, without one, by
     * its configuration in the site's namespace.
     *
     * @return the pids it ended or tried to end
     */
    Set<Long> stop(LabSite site, Optional<String> namespaceId, TeardownSteps teardown) {
        Set<Long> ended = new LinkedHashSet<>();
        if (namespaceId.isEmpty()) {
            if (Files.exists(site.sshdPidFile())) {
                teardown.step("file" + site.sshdPidFile(), () -> LabProcesses.deleteQuietly(site.sshdPidFile()));
            }
            return ended;
        }
        String id = namespaceId.get();
        Map<Long, ProcessInfo> inSite = host.processesInNetworkNamespace(id).stream()
                .map(host::process).flatMap(Optional::stream).filter(ProcessInfo::running)
                .collect(Collectors.toMap(ProcessInfo::pid, process -> process));
        Set<Long> listeners = new LinkedHashSet<>();
        verifiedPid(site, namespaceId).ifPresent(listeners::add);
        inSite.values().stream().filter(listenerOf(site, id))
                .filter(process -> process.parentPid() == 0 || !isSshdOf(site, commandLineOf(inSite,
                        process.parentPid())))
                .map(ProcessInfo::pid).forEach(listeners::add);
        for (long listener : listeners) {
            for (long session : sessionsOf(listener, inSite)) {
                ended.add(session);
                teardown.step("process/sshd-session/" + session, () -> processes.stop(session,
                        process -> process.running() && isSshd(process.commandLine())
                                && process.networkNamespaceId().equals(id)));
            }
            ended.add(listener);
            teardown.step("process/sshd/" + listener, () -> processes.stop(listener, listenerOf(site, id)));
        }
        if (Files.exists(site.sshdPidFile()) && !teardown.dryRun()) {
            LabProcesses.deleteQuietly(site.sshdPidFile()); // stale, or left by an sshd that needed SIGKILL
        }
        return ended;
    }

    private static List<String> commandLineOf(Map<Long, ProcessInfo> processes, long pid) {
        return Optional.ofNullable(processes.get(pid)).map(ProcessInfo::commandLine).orElse(List.of());
    }

    /** The sshd processes below the listener (its connections' monitors and their children), deepest first. */
    private static List<Long> sessionsOf(long listener, Map<Long, ProcessInfo> processes) {
        List<Long> found = new ArrayList<>();
        Deque<Long> parents = new ArrayDeque<>(List.of(listener));
        while (!parents.isEmpty()) {
            long parent = parents.poll();
            for (ProcessInfo process : processes.values()) {
                if (process.parentPid() == parent && isSshd(process.commandLine())) {
                    found.add(0, process.pid());
                    parents.add(process.pid());
                }
            }
        }
        return found;
    }
}
