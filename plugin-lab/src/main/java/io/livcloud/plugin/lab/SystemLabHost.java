package io.livcloud.plugin.lab;

import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.plugin.toolkit.process.RunningCommand;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The real machine: commands through the toolkit's {@link ProcessRunner}, facts from {@code /proc}, {@code /run/netns}
 * and ip, a charon's answer from its VICI socket.
 */
final class SystemLabHost implements LabHost {

    private static final Path NAMED_NETWORK_NAMESPACES = Path.of("/run/netns");
    private static final Path PROC = Path.of("/proc");
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    private static final Path KERNEL_CONFIG = Path.of("/proc/config.gz");
    private static final Duration VICI_TIMEOUT = Duration.ofSeconds(1);

    private static final Pattern LINK_LINE = Pattern.compile("^\\d+:\\s+([^:@\\s]+)(?:@[^:\\s]+)?:\\s+<([^>]*)>(.*)$");
    private static final Pattern LINK_ALIAS = Pattern.compile("\\\\\\s+alias (.*?)\\s*(?:\\\\|$)");
    private static final Pattern ADDRESS_LINE = Pattern.compile("^\\d+:\\s+(\\S+)\\s+inet\\s+(\\S+)");

    private final ProcessRunner processes = new ProcessRunner();

    @Override
    public boolean isRoot() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // the effective uid
                }
            }
        } catch (IOException | ArrayIndexOutOfBoundsException e) {
            return false;
        }
        return false;
    }

    @Override
    public Optional<Path> executable(String name) {
        return processes.find(name);
    }

    @Override
    public CommandResult run(List<String> command, Duration timeout) {
        // Both streams in the order their lines came, as LabHost promises: its messages read like a terminal's.
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (RunningCommand running = processes.start(HostCommand.of(timeout, command), Map.of(), lines::add)) {
            io.livcloud.spi.host.CommandResult result = running.await(); // its exit code is -1 when it timed out
            String output;
            synchronized (lines) {
                output = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
            }
            return new CommandResult(result.exitCode(), output, result.timedOut());
        } catch (ExtensionException e) {
            return CommandResult.failure(-1, e.getMessage()); // not installed, or would not start
        }
    }

    @Override
    public long startDetached(List<String> command, Path logFile) {
        return processes.startDaemon(command, Map.of(), logFile).pid();
    }

    @Override
    public Set<String> networkNamespaces() {
        Set<String> namespaces = new TreeSet<>();
        if (!Files.isDirectory(NAMED_NETWORK_NAMESPACES)) {
            return namespaces;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(NAMED_NETWORK_NAMESPACES)) {
            entries.forEach(entry -> namespaces.add(entry.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + NAMED_NETWORK_NAMESPACES, e);
        }
        return namespaces;
    }

    @Override
    public Optional<String> networkNamespaceId(String namespace) {
        try {
            Object inode = Files.getAttribute(NAMED_NETWORK_NAMESPACES.resolve(namespace), "unix:ino");
            return Optional.of("net:[" + inode + "]");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<NetworkLink> links(String namespace) {
        List<String> ip = namespace.equals(OWN_NAMESPACE) ? List.of("ip") : List.of("ip", "-n", namespace);
        CommandResult links = run(concat(ip, "-o", "link", "show"), IP_TIMEOUT);
        if (!links.succeeded()) {
            return List.of();
        }
        CommandResult addresses = run(concat(ip, "-o", "-4", "addr", "show"), IP_TIMEOUT);
        return parseLinks(links.output(), addresses.succeeded() ? addresses.output() : "");
    }

    private static List<String> concat(List<String> command, String... arguments) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(arguments));
        return all;
    }

    @Override
    public Optional<String> kernelConfig() {
        try (InputStream config = new GZIPInputStream(Files.newInputStream(KERNEL_CONFIG))) {
            return Optional.of(new String(config.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty(); // a kernel built without IKCONFIG_PROC
        }
    }

    @Override
    public boolean charonAnswers(Path viciSocket) {
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(viciSocket));
        } catch (IOException e) {
            return false; // no socket yet, or nobody listens on it
        }
        // A charon that accepted but never answers must not hold the caller: the exchange runs on a thread of its own,
        // and closing the channel at the deadline ends its read.
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        Thread exchange = new Thread(() -> {
            try {
                answer.complete(LabVici.answersVersion(Channels.newInputStream(channel),
                        Channels.newOutputStream(channel)));
            } catch (IOException | RuntimeException e) {
                answer.complete(false);
            }
        }, "lab-vici-version");
        exchange.setDaemon(true);
        exchange.start();
        try (channel) {
            return answer.get(VICI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException | IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads {@code ip -o link show} and {@code ip -o -4 addr show} of one namespace. */
    static List<NetworkLink> parseLinks(String linkOutput, String addressOutput) {
        Map<String, List<String>> addresses = new LinkedHashMap<>();
        for (String line : addressOutput.split("\n")) {
            Matcher address = ADDRESS_LINE.matcher(line);
            if (address.find()) {
                addresses.computeIfAbsent(address.group(1), name -> new ArrayList<>()).add(address.group(2));
            }
        }
        List<NetworkLink> links = new ArrayList<>();
        for (String line : linkOutput.split("\n")) {
            Matcher link = LINK_LINE.matcher(line);
            if (!link.find()) {
                continue;
            }
            String name = link.group(1);
            boolean up = List.of(link.group(2).split(",")).contains("UP");
            Matcher alias = LINK_ALIAS.matcher(link.group(3));
            links.add(new NetworkLink(name, alias.find() ? alias.group(1) : "", up,
                    addresses.getOrDefault(name, List.of())));
        }
        return links;
    }

    @Override
    public Optional<ProcessInfo> process(long pid) {
        Path folder = PROC.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(folder.resolve("stat"), StandardCharsets.UTF_8);
            boolean zombie = parseState(stat) == 'Z';
            long parent = parseParentPid(stat);
            List<String> commandLine = parseCommandLine(Files.readAllBytes(folder.resolve("cmdline")));
            String namespace = "";
            if (!zombie) {
                try {
                    namespace = Files.readSymbolicLink(folder.resolve("ns/net")).toString();
                } catch (IOException e) {
                    namespace = ""; // ended between the reads, or a kernel thread
                }
            }
            return Optional.of(new ProcessInfo(pid, commandLine, namespace, zombie, parent));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // ESRCH while reading: it ended just now
        }
    }

    /** The state letter of {@code /proc/<pid>/stat}: the field after the command name, which may hold ')' itself. */
    static char parseState(String stat) {
        int end = stat.lastIndexOf(')');
        return end < 0 || end + 2 >= stat.length() ? '?' : stat.charAt(end + 2);
    }

    /** The parent's pid in {@code /proc/<pid>/stat}: the field after the state; 0 when it cannot be read. */
    static long parseParentPid(String stat) {
        int end = stat.lastIndexOf(')');
        String[] fields = end < 0 ? new String[0] : stat.substring(end + 1).trim().split("\\s+");
        try {
            return fields.length > 1 ? Long.parseLong(fields[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static List<String> parseCommandLine(byte[] cmdline) {
        List<String> arguments = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                arguments.add(new String(cmdline, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            arguments.add(new String(cmdline, start, cmdline.length - start, StandardCharsets.UTF_8));
        }
        return arguments;
    }

    @Override
    public List<Long> processesInNetworkNamespace(String namespaceId) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    if (Files.readSymbolicLink(entry.resolve("ns/net")).toString().equals(namespaceId)) {
                        pids.add(Long.parseLong(entry.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // ended meanwhile, or a zombie
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + PROC, e);
        }
        pids.sort(null);
        return pids;
    }

    @Override
    public void signal(long pid, boolean forcibly) {
        // ProcessHandle checks the process's start time, so a pid reused since it was looked up is not signalled.
        ProcessHandle.of(pid).ifPresent(process -> {
            if (forcibly) {
                process.destroyForcibly();
            } else {
                process.destroy();
            }
        });
    }

    @Override
    public boolean userExists(String user) {
        return run(List.of("getent", "passwd", user), IP_TIMEOUT).succeeded();
    }

    @Override
    public List<String> mountPoints() {
        try {
            return parseMountPoints(Files.readString(PROC.resolve("self/mountinfo"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/mountinfo", e);
        }
    }

    /** The fifth field of each mountinfo line, with the kernel's octal escapes ({@code \040} for a space) undone. */
    static List<String> parseMountPoints(String mountinfo) {
        List<String> points = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length > 4) {
                points.add(unescape(fields[4]));
            }
        }
        return points;
    }

    private static String unescape(String field) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    @Override
    public Instant now() {
        return Instant.EPOCH.plusNanos(System.nanoTime());
    }

    @Override
    public void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
