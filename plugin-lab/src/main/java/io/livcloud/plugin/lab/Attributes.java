package io.livcloud.plugin.lab;

/**
 * The attribute names the lab publishes on its {@link io.livcloud.spi.provider.Site sites} and their gateway
 * {@link io.livcloud.spi.provider.Host host}: facts to show, and what the lab tools read of their own lab. What other
 * plugins act on is typed on the host instead (migration endpoints, tunnel control, the VM segment). Add, never
 * rename.
 */
final class Attributes {

    // On the gateway host, which is also the site's hypervisor host.

    /**
     * The site's network namespace, e.g. {@code lc-a}: {@code ip netns exec lc-a ...} runs inside the site. Namespace
     * mode only: in ssh mode the site is reached as a remote host is.
     */
    static final String NAMESPACE = "namespace";
    /** {@link #RUNNING} when the site's libvirtd runs (verified), else {@link #STOPPED}. */
    static final String STATE = "state";
    /** The pid of the site's libvirtd; only while it runs. */
    static final String LIBVIRTD_PID = "libvirtd-pid";
    /** The site's libvirtd's output. */
    static final String LIBVIRTD_LOG = "libvirtd-log";
    /** The pid of the gateway's charon; only while it runs. */
    static final String CHARON_PID = "charon-pid";
    /** The gateway's charon's output and log. */
    static final String CHARON_LOG = "charon-log";

    /** The pid of the site's sshd (ssh mode); only while it runs. */
    static final String SSHD_PID = "sshd-pid";
    /** The site's sshd's log (ssh mode). */
    static final String SSHD_LOG = "sshd-log";
    /** How the site is reached over SSH (ssh mode): {@code root@10.99.0.<index+1>:22}. */
    static final String SSH = "ssh";
    /** The fingerprint of the site's SSH host key (ssh mode), which LivCloud pins: {@code SHA256:...}. */
    static final String SSH_HOST_KEY = "ssh-host-key";

    /** The gateway's own address on the segment: {@code 10.99.100.<index>/24}. */
    static final String SEGMENT_ADDRESS = "segment-address";

    static final String RUNNING = "running";
    static final String STOPPED = "stopped";

    // On the site.

    /** The site's index i: address 10.99.0.(i+1), VM subnet 10.99.(10+i).0/24. */
    static final String INDEX = "index";
    /** The network namespace all sites' WAN links meet in: {@code lcwan}. */
    static final String WAN_NAMESPACE = "wan-namespace";
    /** The rate the site's WAN link is limited to (tc units), or empty. */
    static final String WAN_RATE = "wan-rate";
    /** The site's folder: configuration, sockets, pid files, logs. */
    static final String DIRECTORY = "directory";

    /** The VM segment's subnet: {@code 10.99.100.0/24}; a VM on it gets a free address there. */
    static final String SEGMENT_SUBNET = "segment-subnet";
    /** The segment's router, the first site's gateway {@code 10.99.100.1}: a VM's default route. */
    static final String SEGMENT_ROUTER = "segment-router";
    /** The lab's user namespace, {@code lcuser}: a client outside the sites, reaching the segment through the first site. */
    static final String USER_NAMESPACE = "user-namespace";

    private Attributes() {
    }
}
