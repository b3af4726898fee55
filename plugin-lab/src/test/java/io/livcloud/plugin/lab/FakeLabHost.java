package io.livcloud.plugin.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A machine in memory, written by hand: it records every command the lab runs, every daemon it starts and every
 * signal it sends, and keeps just enough state (namespaces, links, processes, users, a clock) for the lab's queries
 * to see the effect of its commands, as on the real machine.
 */
final class FakeLabHost implements LabHost {

    /** How a started libvirtd behaves. */
    enum Libvirtd {
        /** Writes its pid file and answers on its socket. */
        ANSWERS,
        /** Exits at once, with an error in its log. */
        EXITS,
        /** Runs but never answers. */
        HANGS
    }

    /** The name under which the fake keeps this process's own network namespace, which has no name. */
    private static final String OWN = LabHost.OWN_NAMESPACE;

    /** How a started charon behaves. */
    enum Charon {
        /** Answers on its VICI socket. */
        ANSWERS,
        /** Exits at once, with an error in its log. */
        EXITS,
        /** Runs but never answers. */
        HANGS
    }

    /** Every command, start and signal, one line each, in order. */
    final List<String> commands = new ArrayList<>();
    /** The {@code sh -c} scripts of the started daemons. */
    final List<String> startedScripts = new ArrayList<>();
    final Set<String> missingPrograms = new HashSet<>();
    final Set<String> users = new HashSet<>();
    final List<String> mountPoints = new ArrayList<>(List.of("/", "/proc", "/run/netns"));
    boolean root = true;
    Libvirtd libvirtd = Libvirtd.ANSWERS;
    Charon charon = Charon.ANSWERS;
    /** Whether a started sshd exits at once (a port taken, a bad configuration) instead of listening. */
    boolean sshdExits;
    /** Whether a started sshd runs but never listens (never writes its pid file). */
    boolean sshdHangs;
    /** What /proc/config.gz says; null for a kernel that does not expose it. */
    String kernelConfig = "CONFIG_XFRM_USER=y\n# CONFIG_INET_ESP is not set\n";
    /** Whether {@code ip xfrm state add} of an ESP state succeeds. */
    boolean kernelTakesEsp;
    boolean processesIgnoreSigterm;
    String installerOutput = "";
    int installerExitCode;

    private final Map<String, Map<String, FakeLink>> namespaces = new TreeMap<>();
    private final Map<String, String> namespaceIds = new TreeMap<>();
    private final Map<Long, ProcessInfo> processes = new TreeMap<>();
    private final Set<Long> hungLibvirtds = new HashSet<>();
    /** The VICI socket of each charon that answers. */
    private final Map<Long, Path> answeringCharons = new TreeMap<>();
    private long nextPid = 1000;
    private long nextNamespace = 4026532001L;
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    FakeLabHost() {
        Map<String, FakeLink> own = new LinkedHashMap<>();
        own.put("lo", new FakeLink("lo"));
        own.put("eth0", new FakeLink("eth0"));
        namespaces.put(OWN, own);
        namespaceIds.put(OWN, "net:[4026531840]");
    }

    private static final class FakeLink {
        final String name;
        String alias = "";
        boolean up;
        final List<String> addresses = new ArrayList<>();
        String peerNamespace;
        String peerName;

        FakeLink(String name) {
            this.name = name;
        }
    }

    // ---------------------------------------------------------------------------------------- set up by tests

    /** A process the lab did not start, in a network namespace. */
    long addProcess(String namespace, List<String> commandLine) {
        return addChild(namespace, 0, commandLine);
    }

    /** A process with a parent, in a network namespace: e.g. a session of an sshd. */
    long addChild(String namespace, long parent, List<String> commandLine) {
        long pid = nextPid++;
        processes.put(pid, new ProcessInfo(pid, commandLine, namespaceIds.getOrDefault(namespace, "net:[1]"), false,
                parent));
        return pid;
    }

    /** A QEMU as libvirt runs it for {@code vm} in the site's namespace, with its pid file. */
    long addQemu(Path siteDirectory, String vm, String namespace) throws IOException {
        long pid = addProcess(namespace, List.of("/usr/bin/qemu-system-x86_64", "-name", "guest=" + vm
                + ",debug-threads=on", "-machine", "pc"));
        writePidFile(siteDirectory.resolve("run/qemu/" + vm + ".pid"), pid);
        return pid;
    }

    static void writePidFile(Path file, long pid) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, pid + "\n");
    }

    /** Removes a process as if it ended and was reaped. */
    void end(long pid) {
        processes.remove(pid);
    }

    boolean running(long pid) {
        return processes.containsKey(pid);
    }

    /** A charon that keeps running but no longer answers on its VICI socket. */
    void silenceCharon(long pid) {
        answeringCharons.remove(pid);
    }

    /** Sets an interface's alias, as another lab would have. */
    void setAlias(String namespace, String link, String alias) {
        namespaces.get(namespace).get(link).alias = alias;
    }

    Set<String> linkNames(String namespace) {
        return new TreeSet<>(namespaces.getOrDefault(namespace, Map.of()).keySet());
    }

    // ------------------------------------------------------------------------------------------------ LabHost

    @Override
    public boolean isRoot() {
        return root;
    }

    @Override
    public Optional<Path> executable(String name) {
        return missingPrograms.contains(name) ? Optional.empty() : Optional.of(Path.of("/usr/bin", name));
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        commands.add(String.join(" ", command));
        try {
            return execute(command);
        } catch (IllegalStateException e) {
            return CommandResult.failure(1, e.getMessage());
        }
    }

    private CommandResult execute(List<String> command) {
        String program = command.get(0);
        if (missingPrograms.contains(program)) {
            return CommandResult.failure(-1, program + ": not installed");
        }
        switch (program) {
            case "ip":
                return ip(command.subList(1, command.size()));
            case "tc":
                return CommandResult.success("");
            case "useradd":
                users.add(command.get(command.size() - 1));
                return CommandResult.success("");
            case "virsh":
                return virsh(command);
            case "bash":
                return new CommandResult(installerExitCode, installerOutput, false);
            case "mkdir":
                return CommandResult.success("");
            case "ssh-keygen":
                return sshKeygen(command);
            case "unshare":
                return kernelTakesEsp ? CommandResult.success("")
                        : CommandResult.failure(2, "RTNETLINK answers: Function not implemented");
            default:
                return CommandResult.failure(127, program + ": the fake host has no such command");
        }
    }

    /** {@code ssh-keygen ... -C <comment> -f <file>}: an ed25519 pair of made-up bytes, the private half 0600. */
    private static CommandResult sshKeygen(List<String> command) {
        Path key = Path.of(command.get(command.indexOf("-f") + 1));
        String comment = command.get(command.indexOf("-C") + 1);
        byte[] blob = ("ssh-ed25519 fake key for " + key).getBytes(StandardCharsets.UTF_8);
        try {
            Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n-----END OPENSSH PRIVATE KEY-----\n");
            Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Files.writeString(Path.of(key + ".pub"), "ssh-ed25519 " + java.util.Base64.getEncoder()
                    .encodeToString(blob) + " " + comment + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CommandResult.success("");
    }

    private CommandResult ip(List<String> arguments) {
        if (!arguments.get(0).equals("-n") && !arguments.get(0).equals("netns")) {
            // This process's own namespace: the same commands as in a named one, without -n.
            List<String> own = new ArrayList<>(List.of("-n", OWN));
            own.addAll(arguments);
            return ip(own);
        }
        if (arguments.get(0).equals("netns") && arguments.get(1).equals("exec")) {
            check(namespaces.containsKey(arguments.get(2)), "Cannot open network namespace \"" + arguments.get(2)
                    + "\": No such file or directory");
            return CommandResult.success(""); // sysctl, ping: nothing the fake keeps state for
        }
        if (arguments.get(0).equals("netns")) {
            String name = arguments.get(2);
            if (arguments.get(1).equals("add")) {
                check(!namespaces.containsKey(name), "Cannot create namespace file \"/run/netns/" + name
                        + "\": File exists");
                Map<String, FakeLink> links = new LinkedHashMap<>();
                links.put("lo", new FakeLink("lo"));
                namespaces.put(name, links);
                namespaceIds.put(name, "net:[" + nextNamespace++ + "]");
            } else {
                check(namespaces.containsKey(name), "Cannot remove namespace file \"/run/netns/" + name
                        + "\": No such file or directory");
                for (FakeLink link : namespaces.remove(name).values()) {
                    removePeer(link);
                }
                namespaceIds.remove(name);
            }
            return CommandResult.success("");
        }
        String namespace = arguments.get(1);
        Map<String, FakeLink> links = namespaces.get(namespace);
        check(links != null, "Cannot open network namespace \"" + namespace + "\": No such file or directory");
        String object = arguments.get(2);
        String verb = arguments.get(3);
        String device = arguments.get(4);
        if (object.equals("route")) {
            return CommandResult.success("");
        }
        if (object.equals("addr")) {
            FakeLink link = existing(links, arguments.get(6));
            link.addresses.add(device);
            return CommandResult.success("");
        }
        switch (verb) {
            case "add" -> {
                check(!links.containsKey(device), "RTNETLINK answers: File exists");
                links.put(device, new FakeLink(device));
                if (arguments.get(6).equals("veth")) {
                    String peerName = arguments.get(9);
                    String peerNamespace = arguments.get(11);
                    Map<String, FakeLink> peerLinks = namespaces.get(peerNamespace);
                    check(peerLinks != null, "Invalid \"netns\" value");
                    FakeLink peer = new FakeLink(peerName);
                    peer.peerNamespace = namespace;
                    peer.peerName = device;
                    peerLinks.put(peerName, peer);
                    links.get(device).peerNamespace = peerNamespace;
                    links.get(device).peerName = peerName;
                }
            }
            case "del" -> removePeer(existingRemoved(links, device));
            case "set" -> {
                FakeLink link = existing(links, device);
                for (int i = 5; i < arguments.size(); i++) {
                    switch (arguments.get(i)) {
                        case "up" -> link.up = true;
                        case "master", "mtu" -> i++;
                        case "alias" -> link.alias = arguments.get(++i);
                        default -> throw new IllegalStateException("fake ip: " + arguments.get(i));
                    }
                }
            }
            default -> throw new IllegalStateException("fake ip: " + verb);
        }
        return CommandResult.success("");
    }

    private static FakeLink existing(Map<String, FakeLink> links, String device) {
        FakeLink link = links.get(device);
        check(link != null, "Cannot find device \"" + device + "\"");
        return link;
    }

    private static FakeLink existingRemoved(Map<String, FakeLink> links, String device) {
        existing(links, device);
        return links.remove(device);
    }

    private void removePeer(FakeLink link) {
        if (link.peerNamespace != null && namespaces.containsKey(link.peerNamespace)) {
            namespaces.get(link.peerNamespace).remove(link.peerName);
        }
    }

    private static void check(boolean condition, String error) {
        if (!condition) {
            throw new IllegalStateException(error);
        }
    }

    private static final Pattern SOCKET = Pattern.compile("socket=(.*)/run/libvirt-sock$");

    private CommandResult virsh(List<String> command) {
        Matcher socket = SOCKET.matcher(command.get(2));
        check(socket.find(), "fake virsh: " + command);
        String conf = socket.group(1) + "/etc/libvirtd.conf";
        boolean answers = processes.values().stream().anyMatch(process -> process.commandLine().contains(conf)
                && !hungLibvirtds.contains(process.pid()));
        return answers ? CommandResult.success("qemu:///system\n")
                : CommandResult.failure(1, "error: failed to connect to the hypervisor");
    }

    private static final Pattern CONFIGURATION = Pattern.compile("libvirtd --listen -f '([^']+)'");

    @Override
    public long startDetached(List<String> command, Path logFile) {
        int scriptAt = command.indexOf("-c") + 1;
        if (scriptAt == 0) {
            commands.add("start " + String.join(" ", command));
            return startSshd(command, logFile);
        }
        String script = command.get(scriptAt);
        List<String> shown = new ArrayList<>(command);
        shown.set(scriptAt, "<script>");
        commands.add("start " + String.join(" ", shown));
        startedScripts.add(script);
        if (command.get(command.size() - 1).equals(LabCharon.CHARON)) {
            return startCharon(command, logFile);
        }
        Matcher configuration = CONFIGURATION.matcher(script);
        check(configuration.find(), "fake: not a libvirtd start: " + script);
        Path conf = Path.of(configuration.group(1));
        String namespace = command.get(command.indexOf("exec") + 1);
        long pid = nextPid++;
        if (libvirtd == Libvirtd.EXITS) {
            appendLog(logFile, "error : virGetUserID:760 : invalid argument: Failed to parse user 'libvirt-qemu'\n");
            return pid;
        }
        appendLog(logFile, "info : libvirt version: 9.0.0\n");
        processes.put(pid, new ProcessInfo(pid, List.of("libvirtd", "--listen", "-f", conf.toString(), "-p",
                "/run/libvirt/libvirtd.pid"), namespaceIds.get(namespace), false));
        if (libvirtd == Libvirtd.HANGS) {
            hungLibvirtds.add(pid);
        }
        try {
            writePidFile(conf.getParent().getParent().resolve("run/libvirtd.pid"), pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pid;
    }

    /** {@code ... sh -c <script> sh <run folder> <strongswan.conf> charon}, as LabCharon starts it. */
    private long startCharon(List<String> command, Path logFile) {
        String namespace = command.get(command.indexOf("exec") + 1);
        Path siteDirectory = Path.of(command.get(command.size() - 3)).getParent().getParent();
        long pid = nextPid++;
        if (charon == Charon.EXITS) {
            appendLog(logFile, "plugin 'kernel-libipsec': failed to load\n");
            return pid;
        }
        appendLog(logFile, "Starting IKE charon daemon (strongSwan 5.9.8, Linux 6.1.0-fake, x86_64)\n");
        processes.put(pid, new ProcessInfo(pid, List.of(LabCharon.CHARON), namespaceIds.get(namespace), false));
        if (charon == Charon.ANSWERS) {
            answeringCharons.put(pid, siteDirectory.resolve("charon.vici"));
        }
        return pid;
    }

    /**
     * {@code setsid ip netns exec <ns> <sshd> -D -e -f <config>}: writes the pid file its configuration names and
     * shows the process title OpenSSH gives its listener.
     */
    private long startSshd(List<String> command, Path logFile) {
        check(command.contains("-D"), "fake: not an sshd start: " + command);
        String namespace = command.get(command.indexOf("exec") + 1);
        String sshd = command.get(command.indexOf("exec") + 2);
        Path config = Path.of(command.get(command.indexOf("-f") + 1));
        long pid = nextPid++;
        if (sshdExits) {
            appendLog(logFile, "Bind to port 22 on 10.99.0.2 failed: Address already in use.\n");
            return pid;
        }
        processes.put(pid, new ProcessInfo(pid, List.of("sshd: " + sshd + " -D -e -f " + config
                + " [listener] 0 of 10-100 startups"), namespaceIds.get(namespace), false, 1));
        if (sshdHangs) {
            return pid;
        }
        try {
            String pidFile = Files.readAllLines(config).stream().filter(line -> line.startsWith("PidFile "))
                    .findFirst().orElseThrow().substring("PidFile ".length());
            writePidFile(Path.of(pidFile), pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        appendLog(logFile, "Server listening on 10.99.0.2 port 22.\n");
        return pid;
    }

    @Override
    public Optional<String> kernelConfig() {
        return Optional.ofNullable(kernelConfig);
    }

    @Override
    public boolean charonAnswers(Path viciSocket) {
        return answeringCharons.entrySet().stream()
                .anyMatch(charon -> processes.containsKey(charon.getKey()) && charon.getValue().equals(viciSocket));
    }

    private static void appendLog(Path logFile, String text) {
        try {
            Files.writeString(logFile, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Set<String> networkNamespaces() {
        Set<String> named = new TreeSet<>(namespaces.keySet());
        named.remove(OWN);
        return named;
    }

    @Override
    public Optional<String> networkNamespaceId(String namespace) {
        return Optional.ofNullable(namespaceIds.get(namespace));
    }

    @Override
    public List<NetworkLink> links(String namespace) {
        return namespaces.getOrDefault(namespace, Map.of()).values().stream()
                .map(link -> new NetworkLink(link.name, link.alias, link.up, link.addresses))
                .toList();
    }

    @Override
    public Optional<ProcessInfo> process(long pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    @Override
    public List<Long> processesInNetworkNamespace(String namespaceId) {
        return processes.values().stream()
                .filter(process -> process.networkNamespaceId().equals(namespaceId))
                .map(ProcessInfo::pid)
                .toList();
    }

    @Override
    public void signal(long pid, boolean forcibly) {
        commands.add("kill -" + (forcibly ? "KILL" : "TERM") + " " + pid);
        ProcessInfo process = processes.get(pid);
        if (process == null || (!forcibly && processesIgnoreSigterm)) {
            return;
        }
        processes.remove(pid);
        if (!forcibly && process.commandLine().get(0).startsWith("sshd: ")) {
            removeSshdPidFile(process.commandLine().get(0)); // as sshd does when it ends on SIGTERM
        }
        int conf = process.commandLine().indexOf("-f");
        if (!forcibly && process.commandLine().get(0).equals("libvirtd") && conf > 0 && !hungLibvirtds.contains(pid)) {
            // libvirtd removes its pid file when it ends on SIGTERM, unless it has not finished starting
            Path pidFile = Path.of(process.commandLine().get(conf + 1)).getParent().getParent()
                    .resolve("run/libvirtd.pid");
            try {
                Files.deleteIfExists(pidFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void removeSshdPidFile(String title) {
        Matcher config = Pattern.compile(" -f (\\S+)").matcher(title);
        if (!config.find() || !Files.exists(Path.of(config.group(1)))) {
            return; // a session's title names no configuration
        }
        try {
            for (String line : Files.readAllLines(Path.of(config.group(1)))) {
                if (line.startsWith("PidFile ")) {
                    Files.deleteIfExists(Path.of(line.substring("PidFile ".length())));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean userExists(String user) {
        return users.contains(user);
    }

    @Override
    public List<String> mountPoints() {
        return List.copyOf(mountPoints);
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public void pause(Duration duration) {
        now = now.plus(duration);
    }
}
