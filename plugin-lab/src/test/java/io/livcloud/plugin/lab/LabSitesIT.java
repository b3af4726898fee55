package io.livcloud.plugin.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.livcloud.ExtensionStatus;
import io.livcloud.LivCloud;
import io.livcloud.plugin.toolkit.host.LocalSocketRelay;
import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Support;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostAccess;
import io.livcloud.spi.host.HostChannel;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.provider.CloudProvider;
import io.livcloud.spi.provider.Site;
import io.livcloud.spi.provider.SiteSpec;
import io.livcloud.spi.provider.TeardownReport;
import io.livcloud.spi.provider.TunnelControl;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.plugin.BuiltPluginZip;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing, as root: two sites {@code a} and {@code b} from the built zip, each a network namespace with its
 * own libvirtd and charon; both libvirtds answer from here on their sockets. In namespace mode {@code b} answers
 * {@code a} over the WAN; in ssh mode LivCloud reaches each site over a real SSH session through the lab's own host
 * access, and nothing on the WAN answers on libvirt's port. Torn down twice, and the whole cycle twice; afterwards no
 * namespace, no recorded process (libvirtd, charon, sshd), no leg of this machine on the WAN and no mount of the lab
 * is left.
 *
 * <p>Outside CI a machine that cannot run the lab (not root, programs missing) skips this test; with {@code CI=true}
 * it fails, saying what is missing.
 */
class LabSitesIT {

    private static final Pattern HOST_UUID = Pattern.compile("<host>\\s*<uuid>([0-9a-f-]+)</uuid>");

    @TempDir
    Path pluginsDirectory;
    @TempDir
    Path stateDirectory;
    @TempDir
    Path labDirectory;

    /** This machine's address on the lab's WAN in ssh mode. */
    private static final String HOST_ADDRESS = "10.99.0.254";

    private final List<Long> recordedPids = new ArrayList<>();

    @Test
    void inNamespaceModeTwoSitesComeUpReachEachOtherAndGoWithoutATrace() throws Exception {
        run(false);
    }

    @Test
    void inSshModeEverySiteIsReachedOverSshAndLibvirtNeverOnTheWan() throws Exception {
        run(true);
    }

    private void run(boolean ssh) throws Exception {
        try (LivCloud livCloud = BuiltPluginZip.start(pluginsDirectory, stateDirectory,
                "livcloud.extensions.provider.lab.directory = \"" + labDirectory + "\"\n"
                        + "livcloud.extensions.provider.lab.host-access = " + (ssh ? "ssh" : "namespace") + "\n")) {
            requireTheLab(BuiltPluginZip.onlyExtension(livCloud, "lab", ExtensionKind.PROVIDER, "lab"));
            livCloud.subscribe(event -> System.out.println("event " + event.type() + ": " + event.message()));
            try (CloudProvider provider = livCloud.cloudProvider("lab")) {
                Thread onShutdown = new Thread(() -> tearDownQuietly(provider));
                Runtime.getRuntime().addShutdownHook(onShutdown);
                try {
                    cycle(1, provider, ssh);
                    cycle(2, provider, ssh);
                } finally {
                    tearDownQuietly(provider);
                    Runtime.getRuntime().removeShutdownHook(onShutdown);
                }
            }
        }
        assertNothingLeft();
    }

    private void cycle(int cycle, CloudProvider provider, boolean ssh) throws Exception {
        long start = System.nanoTime();
        Site a = provider.provision(new SiteSpec("a", "", "", "", "", "", Map.of()));
        Site b = provider.provision(new SiteSpec("b", "", "", "", "", "", Map.of()));
        long provisioned = System.nanoTime();

        assertThat(provider.listSites()).extracting(Site::name).containsExactly("a", "b");
        for (Site site : List.of(a, b)) {
            Map<String, String> attributes = site.gateway().attributes();
            assertThat(attributes).containsEntry("state", "running");
            if (ssh) {
                assertThat(attributes).doesNotContainKey("namespace");
            } else {
                assertThat(attributes).containsEntry("namespace", "lc-" + site.name());
            }
            for (String daemon : ssh ? List.of("libvirtd", "charon", "sshd") : List.of("libvirtd", "charon")) {
                long pid = Long.parseLong(attributes.get(daemon + "-pid"));
                recordedPids.add(pid);
                assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString())
                        .as("%s of %s in its namespace", daemon, site.name())
                        .isEqualTo("net:[" + Files.getAttribute(Path.of("/run/netns/lc-" + site.name()), "unix:ino")
                                + "]");
            }
        }
        assertThat(a.gateway().publicAddress()).isEqualTo("10.99.0.2");
        assertThat(b.gateway().publicAddress()).isEqualTo("10.99.0.3");
        assertThat(b.gateway().migration().orElseThrow().wanPeerUri())
                .isEqualTo(ssh ? "" : "qemu+tcp://10.99.0.3/system");

        // Both daemons answer from the root namespace on their sockets (the first version probes QEMU: seconds).
        Running versionOfA = start("virsh", "-c", a.gateway().hypervisorUri(), "version");
        Running versionOfB = start("virsh", "-c", b.gateway().hypervisorUri(), "version");
        for (Running version : List.of(versionOfA, versionOfB)) {
            assertThat(finish(version)).contains("Running hypervisor: QEMU");
        }
        long answered = System.nanoTime();

        String uuidOfA = hostUuid(finish(start("virsh", "-c", a.gateway().hypervisorUri(), "capabilities")));
        String uuidOfB = hostUuid(finish(start("virsh", "-c", b.gateway().hypervisorUri(), "capabilities")));
        assertThat(uuidOfA).isNotEqualTo(uuidOfB);
        if (ssh) {
            // Nothing answers on libvirt's TCP port on the WAN, whoever asks: the lab's user, or another site.
            for (String address : List.of("10.99.0.2", "10.99.0.3")) {
                assertThat(connects("lcuser", address, 16509)).as("libvirt on %s from lcuser", address).isFalse();
            }
            assertThat(connects("lc-a", "10.99.0.3", 16509)).as("b's libvirt on the WAN from a").isFalse();
            assertThat(connects("lcuser", "10.99.0.2", 22)).as("a's sshd on the WAN from lcuser").isTrue();
        } else {
            // From inside a, over the WAN, b answers: its capabilities carry b's host UUID, not a's.
            String peerUri = b.gateway().migration().orElseThrow().wanPeerUri();
            assertThat(finish(start("ip", "netns", "exec", "lc-a", "virsh", "-c", peerUri, "version")))
                    .contains("Running hypervisor: QEMU");
            assertThat(hostUuid(finish(start("ip", "netns", "exec", "lc-a", "virsh", "-c", peerUri,
                    "capabilities")))).isEqualTo(uuidOfB);
        }
        // b's libvirtd also answers on b's inside address, where another site reaches it through the tunnel (the
        // tunnel is not up here, so ask from inside b itself).
        String tunnelPeerUri = b.gateway().migration().orElseThrow().tunnelPeerUri();
        assertThat(tunnelPeerUri).isEqualTo("qemu+tcp://10.99.12.1/system");
        assertThat(hostUuid(finish(start("ip", "netns", "exec", "lc-b", "virsh", "-c", tunnelPeerUri,
                "capabilities")))).isEqualTo(uuidOfB);
        // The lab's user reaches the VM segment through a's gateway; b's segment is its own until a tunnel
        // stretches it, so b's segment address is not reachable from the user.
        assertThat(finish(start("ip", "netns", "exec", "lcuser", "ping", "-n", "-c", "1", "-W", "2",
                "10.99.100.1"))).contains("1 received");
        Running toB = start("ip", "netns", "exec", "lcuser", "ping", "-n", "-c", "1", "-W", "1", "10.99.100.2");
        assertThat(toB.process().waitFor(30, TimeUnit.SECONDS) && toB.process().exitValue() != 0)
                .as("b's segment is not reachable before a stretch").isTrue();
        checkHostAccess(provider, a, b, ssh);
        if (ssh) {
            checkHostLeg();
        }
        long checked = System.nanoTime();

        // An SSH session of someone else's (not the provider's, which closes its own) must not outlive a's sshd.
        Optional<Running> operator = ssh ? Optional.of(sshSessionOf(a)) : Optional.empty();
        TeardownReport downA = provider.tearDown("a", false);
        operator.ifPresent(session -> session.process().destroy());
        TeardownReport downB = provider.tearDown("b", false);
        long tornDown = System.nanoTime();
        assertThat(downA.complete()).as("%s", downA).isTrue();
        assertThat(downA.removed()).endsWith("veth/lcw-a", "netns/lc-a")
                .anyMatch(r -> r.startsWith("process/libvirtd/")).anyMatch(r -> r.startsWith("process/charon/"));
        assertThat(downB.complete()).as("%s", downB).isTrue();
        if (ssh) {
            assertThat(downA.removed()).anyMatch(r -> r.startsWith("process/sshd/"))
                    .anyMatch(r -> r.startsWith("process/sshd-session/"));
            assertThat(downB.removed()).endsWith("veth/lcw-b", "netns/lc-b", "netns/lcuser", "veth/lcwan0",
                    "netns/lcwan");
        } else {
            assertThat(downB.removed()).endsWith("veth/lcw-b", "netns/lc-b", "netns/lcuser", "netns/lcwan");
        }

        TeardownReport againA = provider.tearDown("a", false);
        TeardownReport againB = provider.tearDown("b", false);
        assertThat(againA.removed()).isEmpty();
        assertThat(againA.complete()).isTrue();
        assertThat(againB.removed()).isEmpty();
        assertThat(againB.complete()).isTrue();
        assertThat(provider.listSites()).isEmpty();
        assertNothingLeft();

        System.out.printf("lab cycle %d: provision a+b %d ms, virsh version on both %d ms, checks over the WAN %d ms,"
                + " teardown a+b %d ms%n", cycle, millis(start, provisioned), millis(provisioned, answered),
                millis(answered, checked), millis(checked, tornDown));
    }

    /**
     * What LivCloud gets from the lab's own host access: a command runs in the site, a file is read as the site sees
     * it, charon's VICI socket and libvirtd's socket answer through streams, and a TCP stream starts in the site. In
     * ssh mode all of it over one SSH session to a's WAN address, pinned to a's host key.
     */
    private void checkHostAccess(CloudProvider provider, Site a, Site b, boolean ssh) throws Exception {
        try (HostAccess access = provider.hostAccess(a, a.gateway()).orElseThrow()) {
            assertThat(access.target()).isEqualTo(ssh ? "ssh root@10.99.0.2:22" : "namespace lc-a");
            CommandResult addresses = access.run(HostCommand.of(Duration.ofSeconds(10), "ip", "-4", "-o", "addr",
                    "show"));
            assertThat(addresses.succeeded()).as("%s", addresses).isTrue();
            assertThat(addresses.stdout()).contains("wan0", "inet 10.99.0.2/24").doesNotContain("10.99.0.3/24");
            // Read inside the site: the root namespace has no wan0.
            assertThat(new String(access.readFile("/proc/net/dev", 64 * 1024).orElseThrow(), StandardCharsets.UTF_8))
                    .contains("wan0:", "vmbr0:");
            assertThat(access.readFile("/proc/config.gz", 2).orElseThrow()).containsExactly(0x1f, 0x8b);
            assertThat(access.readFile("/no/such/file", 10)).isEmpty();

            TunnelControl control = a.gateway().tunnelControl().orElseThrow();
            assertThat(control.localAddress()).isEqualTo("10.99.0.2");
            try (HostChannel vici = access.openUnixSocket(control.controlSocket())) {
                assertThat(viciVersionAnswered(vici)).as("charon answers version").isTrue();
            }
            // libvirt's C library needs a socket path: the toolkit's relay turns the stream into one.
            String socket = a.gateway().hypervisorUri().substring(a.gateway().hypervisorUri().indexOf("socket=") + 7);
            try (LocalSocketRelay relay = LocalSocketRelay.open(access, socket, stateDirectory.resolve("relay"))) {
                assertThat(finish(start("virsh", "-c", "qemu:///system?socket=" + relay.path(), "uri")))
                        .contains("qemu:///system");
            }
            if (ssh) {
                assertThat(a.gateway().attributes().get("ssh-host-key")).matches("SHA256:[A-Za-z0-9+/]{43}");
                assertThat(Files.readString(labDirectory.resolve("sites/a/ssh/sshd.log")))
                        .contains("Accepted publickey for root from " + HOST_ADDRESS);
                checkSshTcp(access, b);
            } else {
                checkTcp(access, b);
            }
        }
    }

    /** Over SSH from a: b's sshd answers on the WAN; b's libvirt does not, so the channel is refused. */
    private static void checkSshTcp(HostAccess access, Site b) throws IOException {
        try (HostChannel sshd = access.openTcp(b.gateway().publicAddress(), 22)) {
            assertThat(new String(sshd.input().readNBytes(8), StandardCharsets.US_ASCII)).isEqualTo("SSH-2.0-");
        }
        assertThatThrownBy(() -> access.openTcp(b.gateway().publicAddress(), 16509))
                .hasMessageContaining("refused a channel to TCP 10.99.0.3:16509");
    }

    /**
     * A session of its own to the site's sshd, as an operator opens one: OpenSSH's client with the lab's operator key
     * and the site's host key as the only known one, holding the session open without a command ({@code -N}). Returns
     * once sshd has accepted it.
     */
    private Running sshSessionOf(Site site) throws Exception {
        Path siteSsh = labDirectory.resolve("sites/" + site.name() + "/ssh");
        long before = acceptedLogins(siteSsh.resolve("sshd.log"));
        Path knownHosts = Files.writeString(stateDirectory.resolve("known_hosts-" + site.name()),
                site.gateway().publicAddress() + " " + Files.readString(siteSsh.resolve("ssh_host_ed25519_key.pub")));
        Running ssh = start("ssh", "-F", "/dev/null", "-N", "-i", labDirectory.resolve("ssh/operator-key").toString(),
                "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "root@" + site.gateway().publicAddress());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (acceptedLogins(siteSsh.resolve("sshd.log")) == before) {
            assertThat(ssh.process().isAlive()).as("ssh: %s", Files.readString(ssh.output())).isTrue();
            assertThat(System.nanoTime()).as("sshd accepts the session").isLessThan(deadline);
            Thread.sleep(50);
        }
        return ssh;
    }

    private static long acceptedLogins(Path sshdLog) throws IOException {
        return Files.readAllLines(sshdLog).stream().filter(line -> line.contains("Accepted publickey for root"))
                .count();
    }

    /** This machine's leg on the WAN: 10.99.0.254/24, and the WAN's /24 is all it routes. */
    private void checkHostLeg() throws Exception {
        assertThat(finish(start("ip", "-4", "-o", "addr", "show", "dev", "lcwan0")))
                .contains("inet " + HOST_ADDRESS + "/24");
        assertThat(finish(start("ip", "-4", "route", "show", "dev", "lcwan0")).strip().lines().toList())
                .singleElement().asString().startsWith("10.99.0.0/24 ");
    }

    /** Whether a TCP connection from inside the namespace to the address and port is accepted within 3 s. */
    private boolean connects(String namespace, String address, int port) throws Exception {
        Running connect = start("ip", "netns", "exec", namespace, "timeout", "3", "bash", "-c",
                "exec 3<>/dev/tcp/" + address + "/" + port);
        assertThat(connect.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        return connect.process().exitValue() == 0;
    }

    /**
     * Sends VICI's {@code version} command request (a 4-byte length, packet type 0 CMD_REQUEST, the name's 1-byte
     * length and the name) and reads one packet: whether it is a CMD_RESPONSE (1). Written out here, not taken from
     * the plugin, whose classes this test reaches only through the built zip.
     */
    private static boolean viciVersionAnswered(HostChannel vici) throws IOException {
        vici.output().write(new byte[] {0, 0, 0, 9, 0, 7, 'v', 'e', 'r', 's', 'i', 'o', 'n'});
        DataInputStream answer = new DataInputStream(vici.input());
        int length = answer.readInt();
        return length > 0 && answer.readNBytes(length)[0] == 1;
    }

    /** From inside a: b's libvirtd accepts on the WAN in namespace mode; a port nobody listens on is refused. */
    private static void checkTcp(HostAccess access, Site b) throws IOException {
        try (HostChannel libvirtd = access.openTcp(b.gateway().publicAddress(), 16509)) {
            libvirtd.output().close(); // libvirtd ends a connection that sends nothing once it is half-closed
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> libvirtd.input().read()))
                    .isEqualTo(-1);
        }
        assertThatThrownBy(() -> access.openTcp(b.gateway().publicAddress(), 1))
                .hasMessageContaining("cannot open a TCP stream to 10.99.0.3:1 in namespace lc-a");
    }

    private void assertNothingLeft() throws IOException {
        List<String> namespaces = new ArrayList<>();
        Path named = Path.of("/run/netns");
        if (Files.isDirectory(named)) {
            try (var entries = Files.list(named)) {
                entries.map(entry -> entry.getFileName().toString())
                        .filter(name -> name.startsWith("lc-") || name.equals("lcwan") || name.equals("lcuser"))
                        .forEach(namespaces::add);
            }
        }
        assertThat(namespaces).as("lab network namespaces").isEmpty();
        for (long pid : recordedPids) {
            Path proc = Path.of("/proc/" + pid);
            if (Files.exists(proc)) { // the pid may have been taken by another process since
                String commandLine = Files.readString(proc.resolve("cmdline"), StandardCharsets.UTF_8);
                assertThat(commandLine).as("process %d", pid).doesNotContain(labDirectory.toString());
            }
        }
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8))
                .as("root mount table").doesNotContain(labDirectory.toString());
        assertThat(Path.of("/sys/class/net/lcwan0")).as("this machine's leg on the WAN").doesNotExist();
    }

    private static void requireTheLab(ExtensionStatus lab) {
        Support support = lab.support();
        Prerequisites.require(support.supported(), "the lab cannot run here: " + support.reason() + "; "
                + support.remedy());
    }

    private static void tearDownQuietly(CloudProvider provider) {
        for (String site : List.of("a", "b")) {
            try {
                TeardownReport report = provider.tearDown(site, false);
                if (!report.complete()) {
                    System.err.println("lab teardown of " + site + " left " + report.leftovers());
                }
            } catch (RuntimeException e) {
                System.err.println("lab teardown of " + site + " failed: " + e);
            }
        }
    }

    private static String hostUuid(String capabilities) {
        Matcher uuid = HOST_UUID.matcher(capabilities);
        assertThat(uuid.find()).as("host uuid in %s", capabilities).isTrue();
        return uuid.group(1);
    }

    /** A command running with its output going to a file in the state directory. */
    private record Running(List<String> command, Process process, Path output) {
    }

    private Running start(String... command) throws IOException {
        Path output = Files.createTempFile(stateDirectory, "command-", ".txt");
        Process process = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        return new Running(List.of(command), process, output);
    }

    /** The output of a command that must succeed within a minute. */
    private static String finish(Running running) throws Exception {
        if (!running.process().waitFor(60, TimeUnit.SECONDS)) {
            running.process().destroyForcibly();
            fail(String.join(" ", running.command()) + " did not finish within a minute");
        }
        String text = Files.readString(running.output(), StandardCharsets.UTF_8);
        assertThat(running.process().exitValue()).as("%s: %s", String.join(" ", running.command()), text).isZero();
        return text;
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
