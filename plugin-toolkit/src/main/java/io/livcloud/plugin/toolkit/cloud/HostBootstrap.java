package io.livcloud.plugin.toolkit.cloud;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The cloud-init user data that makes a fresh Debian 12 cloud VM a LivCloud host: a {@code #cloud-config} document
 * that writes the bootstrap script ({@code livcloud-bootstrap.sh} next to this class, one file for every cloud) and
 * its settings, and runs it. The script installs libvirt, QEMU 10 from bookworm-backports and strongSwan with its VICI
 * socket, defines the routed libvirt network of the site's VM subnet, lets only peer hosts (never guests) reach libvirtd
 * and the migration ports, and reports its progress in
 * {@link #STATUS_FILE}, which {@link BootstrapWait} reads.
 *
 * @param siteName the site; lower case letters, digits and dashes (it is written into a shell file)
 * @param vmSubnet the site's VM subnet, routed by the cloud to this host; {@code /29} or larger. The host takes its
 *     first address, DHCP hands out the rest
 * @param authorizedKeys OpenSSH public keys for the image's default user, for clouds that do not install one
 *     themselves (EC2 does, from the instance's key pair); may be empty
 */
public record HostBootstrap(String siteName, Ipv4Cidr vmSubnet, List<String> authorizedKeys) {

    /** Where the script reports; see {@link BootstrapStatus}. */
    public static final String STATUS_FILE = "/var/lib/livcloud/bootstrap-status";
    /** Where cloud-init writes the script on the host. */
    public static final String SCRIPT_FILE = "/usr/local/sbin/livcloud-bootstrap";
    /** Where cloud-init writes the script's settings on the host. */
    public static final String ENV_FILE = "/etc/livcloud/bootstrap.env";
    /**
     * The script that lets a peer host reach this host's hypervisor ports while their tunnel is up; the tunnel driver
     * has charon run it with the peer host's address inside the tunnel (see {@code TunnelControl.updown}).
     */
    public static final String TUNNEL_UPDOWN = "/usr/local/sbin/livcloud-tunnel-updown";

    /**
     * The bootstrapped host's libvirt as seen on the host, which LivCloud reaches through the host's access (its login
     * user is in group libvirt); never over the network.
     */
    public static final String HYPERVISOR_URI = "qemu:///system";

    /** Where the bootstrapped host's charon (Debian's charon-systemd) listens for VICI. */
    public static final String VICI_SOCKET = "/run/charon.vici";
    /** The libvirt network of the VM subnet that the script defines. */
    public static final String LIBVIRT_NETWORK = "livcloud";

    private static final Pattern SITE_NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static final Pattern PUBLIC_KEY = Pattern.compile("(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\\d+) [A-Za-z0-9+/=]+( [^\\n]*)?");
    private static final String INDENT = "      ";

    public HostBootstrap {
        Objects.requireNonNull(siteName, "siteName is null");
        Objects.requireNonNull(vmSubnet, "vmSubnet is null");
        authorizedKeys = List.copyOf(authorizedKeys);
        if (!SITE_NAME.matcher(siteName).matches()) {
            throw new IllegalArgumentException("site name '" + siteName + "' must be lower case letters, digits and"
                    + " dashes, starting with a letter");
        }
        // Providers refuse such a subnet earlier, in SiteNetwork.of; this guards the script's DHCP range.
        if (vmSubnet.prefixLength() > SiteNetwork.LONGEST_VM_SUBNET_PREFIX) {
            throw new IllegalArgumentException("VM subnet " + vmSubnet + " is smaller than a /"
                    + SiteNetwork.LONGEST_VM_SUBNET_PREFIX + ": no room for the host and VMs");
        }
        for (String key : authorizedKeys) {
            if (!PUBLIC_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("'" + key + "' is not one OpenSSH public key line");
            }
        }
    }

    /** The address the host takes in the VM subnet: its first. VMs route through it; peers migrate to it. */
    public String hostVmAddress() {
        return vmSubnet.address(1);
    }

    /** The bootstrap script, the same for every site and cloud. */
    public static String script() {
        try (InputStream in = HostBootstrap.class.getResourceAsStream("livcloud-bootstrap.sh")) {
            if (in == null) {
                throw new IllegalStateException("livcloud-bootstrap.sh is missing from the plugin's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read livcloud-bootstrap.sh from the plugin's jar", e);
        }
    }

    /** The script's settings: a shell file of single-quoted assignments (every value is checked to need no escape). */
    public String environment() {
        return "SITE='" + siteName + "'\n"
                + "VM_SUBNET='" + vmSubnet + "'\n"
                + "VM_GATEWAY_ADDRESS='" + hostVmAddress() + "'\n"
                + "VM_NETMASK='" + vmSubnet.netmask() + "'\n"
                + "VM_DHCP_START='" + vmSubnet.address(2) + "'\n"
                + "VM_DHCP_END='" + vmSubnet.address((int) vmSubnet.size() - 2) + "'\n";
    }

    /** The {@code #cloud-config} document to pass as user data (EC2) or custom data (Azure), unencoded. */
    public String userData() {
        StringBuilder data = new StringBuilder("#cloud-config\n")
                .append("# LivCloud host of site '").append(siteName).append("'. Progress: ").append(STATUS_FILE)
                .append('\n')
                .append("write_files:\n")
                .append("  - path: ").append(ENV_FILE).append('\n')
                .append("    permissions: '0644'\n")
                .append("    content: |\n").append(indent(environment()))
                .append("  - path: ").append(SCRIPT_FILE).append('\n')
                .append("    permissions: '0755'\n")
                .append("    content: |\n").append(indent(script()))
                .append("runcmd:\n")
                .append("  - [").append(SCRIPT_FILE).append("]\n");
        if (!authorizedKeys.isEmpty()) {
            data.append("ssh_authorized_keys:\n");
            authorizedKeys.forEach(key -> data.append("  - ").append(key).append('\n'));
        }
        return data.toString();
    }

    /** YAML literal block content: every line indented, empty lines kept empty. */
    private static String indent(String text) {
        StringBuilder indented = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            indented.append(line.isEmpty() ? "" : INDENT + line).append('\n');
        }
        // split(-1) leaves a last empty element after the final newline: drop its extra line.
        return indented.substring(0, indented.length() - 1);
    }
}
