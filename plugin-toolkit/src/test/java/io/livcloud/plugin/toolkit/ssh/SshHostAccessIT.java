package io.livcloud.plugin.toolkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.toolkit.host.LocalSocketRelay;
import io.livcloud.plugin.toolkit.host.UnixSocketClient;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SSH host access against a real OpenSSH sshd in a network namespace of this test's own: commands, files, streams
 * to a Unix socket and a TCP port on that host, the local relay, and the host key rule.
 */
class SshHostAccessIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** An echo server: echoes every connection's bytes until its end of stream, then closes it. */
    private static final String ECHO_SERVER = String.join("\n",
            "import os, socket, sys, threading",
            "kind, where = sys.argv[1], sys.argv[2]",
            "if kind == 'unix':",
            "    if os.path.exists(where): os.unlink(where)",
            "    server = socket.socket(socket.AF_UNIX)",
            "    server.bind(where)",
            "else:",
            "    server = socket.socket()",
            "    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "    server.bind(('127.0.0.1', int(where)))",
            "server.listen(16)",
            "print('ready', flush=True)",
            "def echo(connection):",
            "    with connection:",
            "        while True:",
            "            data = connection.recv(65536)",
            "            if not data: break",
            "            connection.sendall(data)",
            "while True:",
            "    connection, _ = server.accept()",
            "    threading.Thread(target=echo, args=(connection,), daemon=True).start()",
            "");
    /** A port that answers only inside the namespace: this machine's own loopback has nothing there. */
    private static final int ECHO_PORT = 7007;

    @TempDir
    static Path directory;

    private static SshdInNamespace lab;
    private static KeyPair clientKey;
    private static Path hostKey;
    private static Path echoSocket;
    private static final List<Process> listeners = new ArrayList<>();
    private static SshConnector connector;
    private static HostAccess host;

    @BeforeAll
    static void startSshd() throws Exception {
        lab = SshdInNamespace.create(directory);
        Prerequisites.requireCommand("python3", "python3-minimal");
        Prerequisites.requireCommand("ssh-keygen", "openssh-client");
        clientKey = SshKeys.loadOrCreate(directory.resolve("client/id_rsa"), "livcloud-test");
        hostKey = directory.resolve("host/ssh_host_rsa_key");
        SshKeys.loadOrCreate(hostKey, "host");
        startSshd(hostKey);
        echoSocket = directory.resolve("echo.sock");
        listen("unix", echoSocket.toString());
        listen("tcp", Integer.toString(ECHO_PORT));
        connector = new SshConnector(directory.resolve("known_hosts"), TIMEOUT);
        host = connector.open(target(clientKey));
    }

    @AfterAll
    static void tearDown() throws InterruptedException {
        if (connector != null) {
            connector.close();
        }
        for (Process listener : listeners) {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
        if (lab != null) {
            lab.close();
            assertThat(lab.networkUp()).isFalse();
        }
    }

    private static void startSshd(Path key) throws IOException, InterruptedException {
        lab.startSshd(key, List.of(SshKeys.openSshPublicKey(clientKey.getPublic(), "livcloud-test")));
    }

    private static void listen(String kind, String where) throws IOException {
        Process listener = lab.spawn(directory.resolve("echo-" + kind + ".log"), "python3", "-c", ECHO_SERVER, kind,
                where);
        listeners.add(listener);
        String first = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        assertThat(first).as("the %s echo server started (see its log in %s)", kind, directory).isEqualTo("ready");
    }

    private static SshTarget target(KeyPair identity) {
        return new SshTarget(SshdInNamespace.SSHD_ADDRESS, 22, "root", identity);
    }

    private static CommandResult run(HostAccess access, String... argv) {
        return access.run(HostCommand.of(TIMEOUT, argv));
    }

    @Test
    void theNamespaceGoesEvenIfTheTestJvmExitsEarly() {
        assertThat(lab.teardownOnExit()).isTrue();
    }

    @Test
    void runsCommandsWithTheirOutputAndExitCode() {
        CommandResult result = run(host, "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(run(host, "no-such-program").exitCode()).isEqualTo(127);
        assertThat(host.target()).isEqualTo("ssh root@" + SshdInNamespace.SSHD_ADDRESS + ":22");
        // The namespace is really another network stack: sshd sees the connection from the veth's far end.
        assertThat(run(host, "sh", "-c", "echo $SSH_CLIENT").stdout()).startsWith(SshdInNamespace.HOST_ADDRESS + " ");
    }

    @Test
    void everyArgumentArrivesAsItWasGiven() {
        List<String> awkward = List.of("it's", "two  words", "$HOME", "$(touch /tmp/livcloud-expanded)", "a;b",
                "line\nbreak", "*", "", "back\\slash", "\"quoted\"", "-n");
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(awkward);

        String output = host.run(HostCommand.of(TIMEOUT, argv)).stdout();

        assertThat(Arrays.asList(output.substring(0, output.length() - 1).split("\0", -1)))
                .containsExactlyElementsOf(awkward);
        assertThat(Path.of("/tmp/livcloud-expanded")).doesNotExist();
    }

    @Test
    void feedsStandardInputAndThenEndOfFile() {
        byte[] input = "x".repeat(3 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII);

        assertThat(host.run(HostCommand.of(TIMEOUT, "wc", "-c").withStdin(input)).stdout().strip())
                .isEqualTo(Integer.toString(input.length));
        assertThat(host.run(HostCommand.of(TIMEOUT, "cat").withStdin("in\n".getBytes(StandardCharsets.UTF_8)))
                .stdout()).isEqualTo("in\n");
        // No input: the program reads end of file at once instead of waiting for the timeout.
        assertThat(run(host, "cat").succeeded()).isTrue();
    }

    @Test
    void runsCommandsFromSeveralThreadsOverOneSession() {
        List<CompletableFuture<String>> runs = IntStream.range(0, 8)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> run(host, "echo", "run " + i).stdout()))
                .toList();

        assertThat(runs).extracting(CompletableFuture::join)
                .containsExactlyElementsOf(IntStream.range(0, 8).mapToObj(i -> "run " + i + "\n").toList());
    }

    @Test
    void aTimeoutEndsTheCommandAndTheRemoteProgram(@TempDir Path work) throws Exception {
        Path pidFile = work.resolve("sleeper.pid");
        // The program ignores TERM: only the KILL that follows on the host ends it.
        String stubborn = "trap '' TERM; sleep 60 & echo $! > " + pidFile + "; wait; wait";
        Instant started = Instant.now();

        CommandResult result = host.run(HostCommand.of(Duration.ofSeconds(1), "sh", "-c", stubborn));

        assertThat(result.timedOut()).isTrue();
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(3));
        long sleeper = Long.parseLong(Files.readString(pidFile).strip());
        Instant deadline = Instant.now().plusSeconds(10);
        while (running(sleeper) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(running(sleeper)).as("the remote sleep %d is gone", sleeper).isFalse();
    }

    /** Whether a process runs (a zombie nobody reaped does not). The namespace shares this machine's processes. */
    private static boolean running(long pid) throws IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String line = Files.readString(stat);
        return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
    }

    @Test
    void readsFilesUpToALimit(@TempDir Path work) throws IOException {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Path file = Files.write(work.resolve("binary file"), bytes);

        assertThat(host.readFile(file.toString(), 1000)).hasValueSatisfying(read -> assertThat(read).isEqualTo(bytes));
        assertThat(host.readFile(file.toString(), 10))
                .hasValueSatisfying(read -> assertThat(read).isEqualTo(Arrays.copyOf(bytes, 10)));
        assertThat(host.readFile(work.resolve("absent").toString(), 10)).isEmpty();
        assertThat(host.readFile(work.toString(), 10)).isEmpty();
        assertThat(host.readFile("/dev/zero", 5)).hasValueSatisfying(read -> assertThat(read).hasSize(5));
    }

    @Test
    void carriesAStreamToAUnixSocketOnTheHost() throws Exception {
        try (HostChannel channel = host.openUnixSocket(echoSocket.toString())) {
            assertThat(channel.description()).isEqualTo(echoSocket + " on " + host.target());
            assertRoundTrip(channel);
        }
    }

    @Test
    void carriesAStreamToATcpPortOnTheHost() throws Exception {
        try (HostChannel channel = host.openTcp("127.0.0.1", ECHO_PORT)) {
            assertRoundTrip(channel);
        }
    }

    /** A short exchange, then a megabyte each way at once (SSH windows), then a half-close answered by the far end. */
    private static void assertRoundTrip(HostChannel channel) throws Exception {
        channel.output().write("hello\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(channel.input().readNBytes(6), StandardCharsets.UTF_8)).isEqualTo("hello\n");

        byte[] payload = new byte[1024 * 1024];
        new Random(7).nextBytes(payload);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                channel.output().write(payload);
                channel.output().close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(channel.input().readAllBytes()).isEqualTo(payload);
        writer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSocketNobodyListensOnIsRefused() {
        assertThatThrownBy(() -> host.openUnixSocket("/run/no-such.sock"))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_CHANNEL_REFUSED);
                    assertThat(e.getMessage()).contains("/run/no-such.sock").contains(host.target());
                });
    }

    @Test
    void relaysALocalSocketToTheHostsSocket(@TempDir Path work) throws Exception {
        Path folder = work.resolve("relay");
        try (LocalSocketRelay relay = LocalSocketRelay.open(host, echoSocket.toString(), folder)) {
            assertThat(relay.path()).isEqualTo(folder.resolve("echo.sock"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(relay.path())))
                    .isEqualTo("rw-------");

            List<CompletableFuture<String>> clients = IntStream.range(0, 3)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> UnixSocketClient.exchange(relay.path(), "client " + i)))
                    .toList();
            assertThat(clients).extracting(CompletableFuture::join)
                    .containsExactly("client 0", "client 1", "client 2");
        }
        assertThat(folder.resolve("echo.sock")).doesNotExist();
    }

    @Test
    void opensANewSessionWhenTheOldOneDropped(@TempDir Path work) {
        try (SshConnector own = new SshConnector(work.resolve("known_hosts"), TIMEOUT);
                HostAccess access = own.open(target(clientKey))) {
            String before = run(access, "sh", "-c", "echo $SSH_CLIENT").stdout();
            // The shell's parent is `timeout`, whose parent is this session's sshd process: killing it drops the
            // connection as a rebooting host would.
            try {
                run(access, "sh", "-c", "kill -9 $(cut -d' ' -f4 /proc/$PPID/stat)");
            } catch (ExtensionException dropped) {
                assertThat(dropped.errorCode()).isEqualTo(HostAccessErrorCode.SSH_UNREACHABLE);
            }

            String after = run(access, "sh", "-c", "echo $SSH_CLIENT").stdout();
            assertThat(after).startsWith(SshdInNamespace.HOST_ADDRESS + " ").isNotEqualTo(before);
        }
    }

    @Test
    void refusesAKeySshdDoesNotKnow(@TempDir Path work) {
        KeyPair stranger = SshKeys.loadOrCreate(work.resolve("stranger"), "stranger");
        try (SshConnector own = new SshConnector(work.resolve("known_hosts"), TIMEOUT);
                HostAccess access = own.open(target(stranger))) {
            assertThatThrownBy(() -> run(access, "true"))
                    .isInstanceOfSatisfying(ExtensionException.class, e ->
                            assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_AUTHENTICATION_FAILED));
        }
    }

    @Test
    void aPortWithoutSshdIsUnreachable(@TempDir Path work) {
        SshTarget closedPort = new SshTarget(SshdInNamespace.SSHD_ADDRESS, 2222, "root", clientKey);
        try (SshConnector own = new SshConnector(work.resolve("known_hosts"), TIMEOUT);
                HostAccess access = own.open(closedPort)) {
            assertThatThrownBy(() -> run(access, "true"))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_UNREACHABLE);
                        assertThat(e.getMessage()).contains("root@" + SshdInNamespace.SSHD_ADDRESS + ":2222");
                        assertThat(e.remedy()).contains("operator-cidr");
                    });
        }
    }

    @Test
    void acceptsTheHostKeyPinnedAsOpenSshPrintsIt(@TempDir Path work) throws Exception {
        Path knownHosts = work.resolve("known_hosts");
        try (SshConnector own = new SshConnector(knownHosts, TIMEOUT);
                HostAccess access = own.open(target(clientKey).withHostKeyFingerprint(openSshFingerprint(hostKey)))) {
            assertThat(run(access, "true").succeeded()).isTrue();
        }
        // A pinned key needs no first contact to remember.
        assertThat(Files.readString(knownHosts)).isEmpty();
    }

    @Test
    void refusesAHostKeyOtherThanThePinnedOne(@TempDir Path work) throws Exception {
        String wrong = "SHA256:" + "A".repeat(43);
        String offered = openSshFingerprint(hostKey);
        try (SshConnector own = new SshConnector(work.resolve("known_hosts"), TIMEOUT);
                HostAccess access = own.open(target(clientKey).withHostKeyFingerprint(wrong))) {
            assertThatThrownBy(() -> run(access, "true"))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_HOST_KEY_CHANGED);
                        assertThat(e.getMessage()).contains(SshdInNamespace.SSHD_ADDRESS)
                                .contains(offered).contains(wrong).contains("pinned");
                        assertThat(e.remedy()).contains("pin its new fingerprint");
                    });
        }
    }

    @Test
    void recordsTheFirstHostKeyAndRefusesAnotherOneLater(@TempDir Path work) throws Exception {
        Path knownHosts = work.resolve("known_hosts");
        try (SshConnector own = new SshConnector(knownHosts, TIMEOUT); HostAccess access = own.open(target(clientKey))) {
            assertThat(run(access, "true").succeeded()).isTrue();
        }
        assertThat(Files.readString(knownHosts)).contains(SshdInNamespace.SSHD_ADDRESS).contains("ssh-rsa");

        Path otherHostKey = work.resolve("other_host_key");
        SshKeys.loadOrCreate(otherHostKey, "rebuilt");
        String recorded = openSshFingerprint(hostKey);
        String offered = openSshFingerprint(otherHostKey);
        try {
            startSshd(otherHostKey);
            try (SshConnector own = new SshConnector(knownHosts, TIMEOUT);
                    HostAccess access = own.open(target(clientKey))) {
                assertThatThrownBy(() -> run(access, "true"))
                        .isInstanceOfSatisfying(ExtensionException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo(HostAccessErrorCode.SSH_HOST_KEY_CHANGED);
                            assertThat(e.getMessage()).contains("root@" + SshdInNamespace.SSHD_ADDRESS + ":22")
                                    .contains("offered the SSH host key " + offered)
                                    .contains("expects " + recorded);
                            assertThat(e.remedy()).contains("remove its line from " + knownHosts)
                                    .contains("ssh-keygen -R '" + SshdInNamespace.SSHD_ADDRESS + "'")
                                    .contains("pin the new fingerprint");
                        });
            }
        } finally {
            startSshd(hostKey);
        }
    }

    /** The fingerprint as OpenSSH's own tool prints it, so the pinned format is OpenSSH's, not only MINA's. */
    private static String openSshFingerprint(Path privateKey) throws IOException, InterruptedException {
        Process keygen = new ProcessBuilder("ssh-keygen", "-lf", privateKey + ".pub").redirectErrorStream(true).start();
        String line = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keygen.waitFor()).as(line).isZero();
        return line.split(" ")[1];
    }
}
