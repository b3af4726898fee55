package io.livcloud.plugin.lab;

import static java.util.Objects.requireNonNull;

import io.livcloud.spi.ExtensionException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One site's names, addresses and files, all derived from its name, its index and the lab directory: the network
 * namespace {@code lc-<name>}, its WAN link ({@code wan0} inside, {@code lcw-<name>} on the WAN bridge), the address
 * {@code 10.99.0.<index+1>}, the VM subnet {@code 10.99.<10+index>.0/24} on the bridge {@code vmbr0} (gateway .1), and the folders bind-mounted over libvirt's.
 *
 * @param name the site's name
 * @param index its number in the lab, from 1; fixes its addresses
 * @param directory {@code <lab>/sites/<name>}
 */
record LabSite(String name, int index, Path directory) {

    /** The network namespace all sites' WAN links meet in. */
    static final String WAN_NAMESPACE = "lcwan";
    /** The bridge in {@link #WAN_NAMESPACE}. */
    static final String WAN_BRIDGE = "lcbr0";
    /** How each site's WAN link is named on the WAN bridge: {@code lcw-<name>}. */
    static final String WAN_LINK_PREFIX = "lcw-";
    /** A site's end of its WAN link, inside its namespace. */
    static final String SITE_LINK = "wan0";
    /** The bridge of a site's VM subnet, inside its namespace; the gateway's address on it ends in .1. */
    static final String VM_BRIDGE = "vmbr0";
    /**
     * The bridge of the lab's VM segment, inside each site's namespace: one layer-2 network that the tunnel extension
     * can stretch between sites, so that a VM attached to it keeps its address when it moves. Each site's gateway has
     * the address 10.99.100.&lt;index&gt; on it; the segment's router for VMs is the first site's (10.99.100.1).
     */
    static final String SEGMENT_BRIDGE = "vmseg0";
    /** The segment's name, the same at every site of the lab: what lets the core ask for it to be stretched. */
    static final String SEGMENT = "lab";
    static final String SEGMENT_SUBNET = "10.99.100.0/24";
    /**
     * The segment's MTU: a frame crosses the stretch in VXLAN (50 bytes more) inside the userspace IPsec tunnel, whose
     * TUN device takes 1400; 1350 leaves it whole.
     */
    static final int SEGMENT_MTU = 1350;
    /**
     * The namespace of the lab's user: a client outside every site, on the WAN at {@link #USER_ADDRESS}, that reaches
     * the VM segment through the first site's gateway, as a site's users reach its services.
     */
    static final String USER_NAMESPACE = "lcuser";
    /** The user's link on the WAN bridge; not {@link #WAN_LINK_PREFIX}, which marks sites. */
    static final String USER_WAN_LINK = "lcuser0";
    static final String USER_ADDRESS = "10.99.0.250";
    /** The smallest and largest index: addresses 10.99.0.2 to 10.99.0.246, VM subnets 10.99.11.0 to 10.99.255.0. */
    static final int FIRST_INDEX = 1;
    static final int LAST_INDEX = 245;
    /** This machine's leg on the WAN (ssh mode), in its own network namespace: how LivCloud reaches the sites. */
    static final String HOST_LINK = "lcwan0";
    /** The leg's other end, on the WAN bridge; not {@link #WAN_LINK_PREFIX}, which marks sites. */
    static final String HOST_WAN_LINK = "lchost0";
    /** This machine's address on the WAN (ssh mode); only the WAN's /24 is routed through the leg. */
    static final String HOST_ADDRESS = "10.99.0.254";
    /** Where a site's sshd listens, on its WAN address (ssh mode). */
    static final int SSH_PORT = 22;
    /** Where QEMU listens for incoming migrations (libvirt's first migration port). */
    static final int MIGRATION_PORT = 49152;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,7}");

    LabSite {
        requireNonNull(name, "name is null");
        requireNonNull(directory, "directory is null");
        if (index < FIRST_INDEX || index > LAST_INDEX) {
            throw new IllegalArgumentException("site index " + index + " is outside " + FIRST_INDEX + ".."
                    + LAST_INDEX);
        }
    }

    /**
     * Checks a site name: it becomes the namespace {@code lc-<name>} and the interface {@code lcw-<name>}, and Linux
     * allows interface names of 15 characters.
     *
     * @throws ExtensionException {@link LabErrorCode#INVALID_SITE_NAME}
     */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ExtensionException(LabErrorCode.INVALID_SITE_NAME, "the lab cannot have a site named '" + name
                    + "': a lab site's name is 1 to 8 lower case letters or digits, starting with a letter, because it"
                    + " becomes the network namespace lc-<name> and the interface lcw-<name>, and Linux limits"
                    + " interface names to 15 characters",
                    "choose a name such as a, b, east or site2");
        }
        return name;
    }

    /** The network namespace of the site with this name. */
    static String namespaceOf(String name) {
        return "lc-" + name;
    }

    /** The site's network namespace. */
    String namespace() {
        return namespaceOf(name);
    }

    /** The site's WAN link as seen on the WAN bridge. */
    String wanLink() {
        return WAN_LINK_PREFIX + name;
    }

    /** The site's gateway and public address, on the WAN. */
    String publicAddress() {
        return "10.99.0." + (index + 1);
    }

    /** {@link #publicAddress()} with the WAN's prefix. */
    String publicCidr() {
        return publicAddress() + "/24";
    }

    /** The subnet the site's VMs live in. */
    String vmSubnet() {
        return "10.99." + (10 + index) + ".0/24";
    }

    /** The gateway's address inside the VM subnet, on {@link #VM_BRIDGE}: what the tunnel's traffic check uses. */
    String insideAddress() {
        return "10.99." + (10 + index) + ".1";
    }

    /** {@link #insideAddress()} with the VM subnet's prefix. */
    String insideCidr() {
        return insideAddress() + "/24";
    }

    /** The gateway's address on the VM segment's bridge, with the segment's prefix. */
    String segmentCidr() {
        return "10.99.100." + index + "/24";
    }

    /** The first site's gateway: the segment's router, through which the lab's user reaches it. */
    static String segmentRouter() {
        return "10.99.100." + FIRST_INDEX;
    }

    /** How another site's libvirtd reaches this one's through the tunnel, at the gateway's inside address. */
    String tunnelPeerUri() {
        return "qemu+tcp://" + insideAddress() + "/system";
    }

    /** Where a migration's data stream reaches this site's QEMU through the tunnel. */
    String tunnelMigrationUri() {
        return "tcp://" + insideAddress() + ":" + MIGRATION_PORT;
    }

    /** How another site's libvirtd reaches this one's. */
    String peerUri() {
        return "qemu+tcp://" + publicAddress() + "/system";
    }

    /** Where a migration's data stream reaches this site's QEMU. */
    String migrationUri() {
        return "tcp://" + publicAddress() + ":" + MIGRATION_PORT;
    }

    /** How the root namespace (LivCloud, virsh) reaches this site's libvirtd: its unix socket is a file. */
    String hypervisorUri() {
        return "qemu:///system?socket=" + socket();
    }

    /** Bind-mounted over {@code /etc/libvirt}. */
    Path etc() {
        return directory.resolve("etc");
    }

    /** Bind-mounted over {@code /run/libvirt}. */
    Path run() {
        return directory.resolve("run");
    }

    /** Bind-mounted over {@code /var/lib/libvirt}. */
    Path lib() {
        return directory.resolve("lib");
    }

    /** Bind-mounted over {@code /var/log/libvirt}; holds {@code qemu/}, which libvirt needs. */
    Path log() {
        return directory.resolve("log");
    }

    /** Bind-mounted over {@code /var/cache/libvirt}: QEMU's probed capabilities survive a restart. */
    Path cache() {
        return directory.resolve("cache");
    }

    Path libvirtdConf() {
        return etc().resolve("libvirtd.conf");
    }

    Path qemuConf() {
        return etc().resolve("qemu.conf");
    }

    /** Written by libvirtd itself ({@code -p /run/libvirt/libvirtd.pid} inside its mount namespace). */
    Path pidFile() {
        return run().resolve("libvirtd.pid");
    }

    Path socket() {
        return run().resolve("libvirt-sock");
    }

    /** Where libvirt keeps {@code <vm>.pid} for each QEMU it runs. */
    Path qemuPidFolder() {
        return run().resolve("qemu");
    }

    /** libvirtd's stdout and stderr. */
    Path libvirtdLog() {
        return log().resolve("libvirtd.log");
    }

    /**
     * Where the site's libvirtd finds the certificates and keys for QEMU's TLS on migration streams
     * ({@code migrate_tls_x509_cert_dir}). Not under a bind-mounted folder, so it has the same path inside libvirtd's
     * mount namespace and out here.
     */
    Path migrationTlsDirectory() {
        return directory.resolve("migration-tls");
    }

    /** The folder of the site's charon: its strongswan.conf, pid file and log. */
    Path charonDirectory() {
        return directory.resolve("charon");
    }

    /** Bind-mounted over {@code /run} in charon's mount namespace: charon's pid file path is compiled in. */
    Path charonRun() {
        return charonDirectory().resolve("run");
    }

    /** The site's strongswan.conf, which charon reads through {@code STRONGSWAN_CONF}. */
    Path charonConf() {
        return charonDirectory().resolve("strongswan.conf");
    }

    /** Written by the lab with the pid it started; charon writes its own in {@link #charonRun()}. */
    Path charonPidFile() {
        return charonDirectory().resolve("charon.pid");
    }

    /** charon's output and its file log. */
    Path charonLog() {
        return charonDirectory().resolve("charon.log");
    }

    /**
     * charon's VICI socket, which the gateway's tunnel control names. Straight in the site's folder, so that its path
     * stays within the 107 bytes of a socket path for every lab directory {@link LabConfig} accepts; outside the
     * folder bind-mounted over {@code /run}, so that it has the same path inside charon's mount namespace and out here.
     */
    Path viciSocket() {
        return directory.resolve("charon.vici");
    }

    /** The folder of the site's sshd (ssh mode): its configuration, host key, pid file and log. */
    Path sshDirectory() {
        return directory.resolve("ssh");
    }

    Path sshdConfig() {
        return sshDirectory().resolve("sshd_config");
    }

    /** The site's own host key, made by the lab once and kept, so that its fingerprint stays what LivCloud pins. */
    Path hostKey() {
        return sshDirectory().resolve("ssh_host_ed25519_key");
    }

    /** {@link #hostKey()}'s public half, as ssh-keygen writes it. */
    Path hostKeyPublic() {
        return sshDirectory().resolve("ssh_host_ed25519_key.pub");
    }

    /** Written by sshd itself once it listens ({@code PidFile}); removed by it when it ends on SIGTERM. */
    Path sshdPidFile() {
        return sshDirectory().resolve("sshd.pid");
    }

    /** sshd's output ({@code -e}: its log goes to stderr). */
    Path sshdLog() {
        return sshDirectory().resolve("sshd.log");
    }

    /** How LivCloud reaches the site's host, written at each up ({@link LabConfig.AccessMode#text()}). */
    Path accessModeFile() {
        return directory.resolve("host-access");
    }

    /** The site's libvirt host UUID, kept so that it survives restarts; distinct per site, or migration refuses. */
    Path hostUuidFile() {
        return directory.resolve("host-uuid");
    }
}
