package io.livcloud.plugin.lab;

import io.livcloud.spi.ErrorCode;

/** The failures the lab plugin reports; {@link #code()} is what users and scripts see. */
public enum LabErrorCode implements ErrorCode {
    /** The lab creates network namespaces and starts daemons: it needs root. */
    NOT_ROOT,
    /** A command the lab runs (ip, tc, unshare, libvirtd, virsh, QEMU) is not installed. */
    MISSING_TOOL,
    /** A setting of livcloud.extensions.provider.lab has a value the lab cannot use. */
    INVALID_SETTING,
    /** A site name that cannot become a network namespace and interface name. */
    INVALID_SITE_NAME,
    /** A site's index or VM subnet conflicts with another site or with what the site runs at. */
    INVALID_SITE_SPEC,
    /** The prerequisites installer failed. */
    PREREQUISITES_FAILED,
    /** An ip, tc or useradd command failed. */
    COMMAND_FAILED,
    /** A site's libvirtd exited or did not answer on its socket in time. */
    LIBVIRTD_DID_NOT_START,
    /** A site's charon exited or did not answer on its VICI socket in time. */
    CHARON_DID_NOT_START,
    /** A site's sshd (ssh mode) exited or did not listen in time. */
    SSHD_DID_NOT_START,
    /** A site's host cannot be reached: its namespace is gone, a socket refuses, a stream cannot be opened. */
    HOST_UNREACHABLE,
    /** A namespace the lab would use belongs to a lab in another directory. */
    OWNED_ELSEWHERE,
    /** A mount of a site directory is visible in the root mount namespace, where the lab never mounts. */
    MOUNT_LEAKED,
    /** A site to probe from is not up on this machine. */
    SITE_NOT_FOUND,
    /** A probe cannot be sent as asked (an interval below ping's shortest). */
    INVALID_PROBE,
    /** The lab directory cannot be read or written. */
    STATE_UNREADABLE;

    @Override
    public String code() {
        return "LAB_" + name();
    }
}
