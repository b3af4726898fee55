package io.livcloud.plugin.toolkit.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.net.StandardProtocolFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user data's structure, and the bootstrap script itself run by bash against stub commands (apt-get, systemctl,
 * virsh...) that log their arguments, with every file it writes under a temporary root.
 */
class HostBootstrapTest {

    private static final String KEY = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ== operator@laptop";

    private final HostBootstrap bootstrap = new HostBootstrap("east", Ipv4Cidr.parse("10.99.20.0/24"), List.of(KEY));

    @Test
    void userDataWritesTheSettingsAndTheScriptVerbatimAndRunsIt() {
        String userData = bootstrap.userData();

        assertThat(userData).startsWith("#cloud-config\n");
        assertThat(literalBlockAfter(userData, "  - path: /etc/livcloud/bootstrap.env\n")).isEqualTo(bootstrap.environment());
        assertThat(literalBlockAfter(userData, "  - path: /usr/local/sbin/livcloud-bootstrap\n"))
                .isEqualTo(HostBootstrap.script());
        assertThat(userData).contains("runcmd:\n  - [/usr/local/sbin/livcloud-bootstrap]\n")
                .endsWith("ssh_authorized_keys:\n  - " + KEY + "\n");
        assertThat(new HostBootstrap("east", Ipv4Cidr.parse("10.99.20.0/24"), List.of()).userData())
                .doesNotContain("ssh_authorized_keys");
    }

    @Test
    void environmentGivesTheHostTheFirstAddressAndDhcpTheRest() {
        assertThat(bootstrap.environment()).isEqualTo("""
                SITE='east'
                VM_SUBNET='10.99.20.0/24'
                VM_GATEWAY_ADDRESS='10.99.20.1'
                VM_NETMASK='255.255.255.0'
                VM_DHCP_START='10.99.20.2'
                VM_DHCP_END='10.99.20.254'
                """);
        assertThat(bootstrap.hostVmAddress()).isEqualTo("10.99.20.1");
    }

    @Test
    void refusesValuesThatCannotGoIntoTheShellFileOrTheSubnet() {
        assertThatThrownBy(() -> new HostBootstrap("East'; rm -rf /", Ipv4Cidr.parse("10.99.20.0/24"), List.of()))
                .hasMessageContaining("lower case letters, digits and dashes");
        assertThatThrownBy(() -> new HostBootstrap("east", Ipv4Cidr.parse("10.99.20.0/30"), List.of()))
                .hasMessageContaining("smaller than a /29");
        assertThatThrownBy(() -> new HostBootstrap("east", Ipv4Cidr.parse("10.99.20.0/24"), List.of("ssh-rsa AAA\nx")))
                .hasMessageContaining("not one OpenSSH public key line");
    }

    @Test
    void scriptInstallsConfiguresAndReportsReady(@TempDir Path root) throws Exception {
        Run run = runScript(root, Map.of());

        assertThat(run.exitCode).as(run.output).isZero();
        BootstrapStatus status = BootstrapStatus.parse(Files.readString(root.resolve("var/lib/livcloud/bootstrap-status")));
        assertThat(status.ready()).as(run.output).isTrue();
        assertThat(status.facts()).containsEntry("site", "east").containsEntry("qemu", "10.0.2")
                .containsEntry("libvirt", "9.0.0").containsEntry("strongswan", "5.9.8-5+deb12u2")
                .containsEntry("kvm", "none");
        assertThat(run.calls).containsSubsequence(
                "apt-get -o Acquire::Retries=10 update -q",
                "apt-get -o Acquire::Retries=10 install -y -q --no-install-recommends libvirt-daemon libvirt-daemon-driver-qemu"
                        + " libvirt-daemon-system libvirt-clients charon-systemd strongswan-swanctl"
                        + " libcharon-extra-plugins libstrongswan-standard-plugins iproute2 nftables",
                "apt-get -o Acquire::Retries=10 install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 qemu-utils",
                "nft -f " + root + "/etc/livcloud/hypervisor-firewall.nft",
                "systemctl enable nftables.service",
                "getent group sudo",
                "usermod -a -G libvirt admin",
                "usermod -a -G libvirt operator",
                "systemctl daemon-reload",
                "systemctl enable --now libvirtd-tcp.socket",
                "virsh -c qemu:///system net-define " + root + "/etc/libvirt/livcloud-network.xml",
                "virsh -c qemu:///system net-autostart livcloud",
                "virsh -c qemu:///system net-start livcloud",
                "systemctl enable --now strongswan.service");
        assertThat(Files.readString(root.resolve("etc/apt/sources.list.d/livcloud-backports.sources")))
                .contains("URIs: http://mirror.example/debian\nSuites: bookworm-backports\n");
        assertThat(Files.readString(root.resolve("etc/libvirt/livcloud-network.xml")))
                .contains("<forward mode='route'/>", "<ip address='10.99.20.1' netmask='255.255.255.0'>",
                        "<range start='10.99.20.2' end='10.99.20.254'/>");
        assertThat(Files.readString(root.resolve("etc/libvirt/libvirtd.conf"))).contains("listen_tcp = 1\n");
        assertThat(Files.readString(root.resolve("etc/systemd/system/libvirtd-tcp.socket.d/livcloud.conf")))
                .as("libvirt's TCP port only on the address the tunnel reaches, never on the WAN")
                .isEqualTo("[Socket]\nListenStream=\nListenStream=10.99.20.1:16509\nFreeBind=yes\n");
        assertThat(Files.readString(root.resolve("etc/sysctl.d/60-livcloud.conf"))).isEqualTo("net.ipv4.ip_forward = 1\n");

        // Run again (cloud-init's "once" can repeat after a reimage): nothing is defined or appended twice.
        Run again = runScript(root, Map.of());
        assertThat(again.exitCode).as(again.output).isZero();
        assertThat(again.calls).noneMatch(call -> call.contains("net-define") || call.contains("net-start"));
        assertThat(Files.readString(root.resolve("etc/libvirt/libvirtd.conf"))).containsOnlyOnce("listen_tcp");
        assertThat(Files.readString(root.resolve("etc/nftables.conf")))
                .isEqualTo("include \"/etc/livcloud/hypervisor-firewall.nft\"\n");
    }

    @Test
    void onlyPeerHostsReachTheHypervisorPortsNeverTheGuests(@TempDir Path root) throws Exception {
        Run run = runScript(root, Map.of());

        assertThat(run.exitCode).as(run.output).isZero();
        // The ports are closed to guests before libvirtd listens on TCP.
        assertThat(run.calls).containsSubsequence("nft -f " + root + "/etc/livcloud/hypervisor-firewall.nft",
                "systemctl enable --now libvirtd-tcp.socket");
        String rules = Files.readString(root.resolve("etc/livcloud/hypervisor-firewall.nft"));
        assertThat(rules).contains("table inet livcloud {\n", "set peer_hosts {\n        type ipv4_addr\n",
                "type filter hook input priority filter; policy accept;",
                "tcp dport { 16509, 49152-49215 } jump hypervisor\n");
        // In this order: the bridge's guests are dropped even with a peer host's address, then only peer hosts pass.
        assertThat(chain(rules, "hypervisor")).containsExactly("iif \"lo\" accept", "iifname \"lcvm0\" drop",
                "ip saddr @peer_hosts accept", "drop");
    }

    @Test
    void theTunnelUpdownScriptAddsAndRemovesOnlyAnAddress(@TempDir Path root) throws Exception {
        assertThat(runScript(root, Map.of()).exitCode).isZero();
        Path updown = root.resolve("usr/local/sbin/livcloud-tunnel-updown");
        assertThat(Files.isExecutable(updown)).isTrue();
        Files.delete(root.resolve("calls.log"));

        assertThat(runUpdown(root, updown, "up-client", "10.99.30.1")).isZero();
        assertThat(runUpdown(root, updown, "down-client", "10.99.30.1")).isZero();
        assertThat(runUpdown(root, updown, "up-client", "10.99.30.1;reboot")).isEqualTo(2);
        assertThat(Files.readAllLines(root.resolve("calls.log"))).containsExactly(
                "nft add element inet livcloud peer_hosts { 10.99.30.1 }",
                "nft delete element inet livcloud peer_hosts { 10.99.30.1 }");
    }

    private static int runUpdown(Path root, Path updown, String verb, String peer) throws Exception {
        Path log = root.resolve("calls.log");
        ProcessBuilder builder = new ProcessBuilder("bash", updown.toString(), peer).redirectErrorStream(true);
        builder.environment().put("PATH", root.resolve("stubs") + ":/usr/bin:/bin");
        builder.environment().put("STUB_LOG", log.toString());
        builder.environment().put("PLUTO_VERB", verb);
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    /** The rules of an nftables chain, one a line, comments left out. */
    private static List<String> chain(String rules, String name) {
        String body = rules.substring(rules.indexOf("chain " + name + " {\n") + ("chain " + name + " {\n").length());
        body = body.substring(0, body.indexOf("}"));
        return body.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    @Test
    void aFailingStepIsReportedWithItsLineAndCommand(@TempDir Path root) throws Exception {
        Run run = runScript(root, Map.of("STUB_APT_EXIT", "100"));

        assertThat(run.exitCode).isNotZero();
        BootstrapStatus status = BootstrapStatus.parse(Files.readString(root.resolve("var/lib/livcloud/bootstrap-status")));
        assertThat(status.failed()).isTrue();
        assertThat(status.detail()).matches("line \\d+: apt-get -o Acquire::Retries=10 update -q \\(exit 100\\)");
    }

    private record Run(int exitCode, String output, List<String> calls) {
    }

    private Run runScript(Path root, Map<String, String> environment) throws IOException, InterruptedException {
        Path stubs = Files.createDirectories(root.resolve("stubs"));
        Path log = root.resolve("calls.log");
        Files.deleteIfExists(log);
        stub(stubs, "apt-get", "exit ${STUB_APT_EXIT:-0}");
        stub(stubs, "sysctl", "");
        stub(stubs, "systemctl", "");
        stub(stubs, "nft", "");
        stub(stubs, "virsh", """
                case "$3" in
                  net-info) [[ -e $LIVCLOUD_BOOTSTRAP_ROOT/stub-network ]] || exit 1
                            [[ -e $LIVCLOUD_BOOTSTRAP_ROOT/stub-network-active ]] && echo 'Active:         yes' || echo 'Active:         no' ;;
                  net-define) touch "$LIVCLOUD_BOOTSTRAP_ROOT/stub-network" ;;
                  net-start) touch "$LIVCLOUD_BOOTSTRAP_ROOT/stub-network-active" ;;
                esac""");
        stub(stubs, "qemu-system-x86_64", "echo 'QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-1~bpo12+1)'");
        stub(stubs, "libvirtd", "echo 'libvirtd (libvirt) 9.0.0'");
        stub(stubs, "dpkg-query", "printf '5.9.8-5+deb12u2'");
        // Never the machine's own users and groups.
        stub(stubs, "getent", "echo 'sudo:x:27:admin,operator'");
        stub(stubs, "usermod", "");
        Files.createDirectories(root.resolve("etc/apt/sources.list.d"));
        Files.writeString(root.resolve("etc/apt/sources.list.d/debian.sources"),
                "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n");
        Files.createDirectories(root.resolve("etc/livcloud"));
        Files.writeString(root.resolve("etc/livcloud/bootstrap.env"), bootstrap.environment());
        Path script = root.resolve("livcloud-bootstrap");
        Files.writeString(script, HostBootstrap.script());
        Path socket = Files.createDirectories(root.resolve("run")).resolve("charon.vici");
        Files.deleteIfExists(socket);
        try (ServerSocketChannel vici = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            vici.bind(UnixDomainSocketAddress.of(socket)); // charon's VICI socket, as strongswan.service makes it
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
            builder.environment().put("PATH", stubs + ":/usr/bin:/bin");
            builder.environment().put("LIVCLOUD_BOOTSTRAP_ROOT", root.toString());
            builder.environment().put("STUB_LOG", log.toString());
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the bootstrap script did not finish in 60 s: " + output);
            }
            List<String> calls = Files.exists(log) ? Files.readAllLines(log) : new ArrayList<>();
            return new Run(process.exitValue(), output, calls);
        }
    }

    private static void stub(Path directory, String command, String body) throws IOException {
        Path file = directory.resolve(command);
        Files.writeString(file, "#!/bin/bash\necho \"" + command + " $*\" >> \"$STUB_LOG\"\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** The YAML literal block under the write_files entry that starts with {@code entry}, unindented. */
    private static String literalBlockAfter(String userData, String entry) {
        int start = userData.indexOf("    content: |\n", userData.indexOf(entry)) + "    content: |\n".length();
        StringBuilder block = new StringBuilder();
        for (String line : userData.substring(start).split("\n", -1)) {
            if (!line.isEmpty() && !line.startsWith("      ")) {
                break;
            }
            block.append(line.isEmpty() ? "" : line.substring(6)).append('\n');
        }
        // The block's last line break is the one before the next key; trailing empty lines belong to YAML's chomping.
        return block.toString().replaceAll("\n+$", "\n");
    }
}
