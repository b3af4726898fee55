package io.livcloud.plugin.strongswan;

import io.livcloud.spi.ErrorCode;

/** The failures the strongswan plugin reports; {@link #code()} is what users and scripts see. */
public enum StrongSwanErrorCode implements ErrorCode {
    /** A setting of livcloud.extensions.tunnel.strongswan has no value the plugin can use. */
    INVALID_SETTING,
    /** A gateway's charon does not answer on its VICI socket. */
    CHARON_NOT_RUNNING,
    /** A gateway's provider publishes no tunnel control (its charon's VICI socket), so no charon can be driven. */
    NO_TUNNEL_CONTROL,
    /** The host gives this plugin no way to reach a gateway host. */
    NO_HOST_ACCESS,
    /** charon answered a control command with an error, or the VICI connection broke. */
    CONTROL_FAILED,
    /** The peer gateway never answered IKE. */
    PEER_UNREACHABLE,
    /** The peer refused this gateway's authentication (different pre-shared keys, an untrusted certificate). */
    AUTHENTICATION_FAILED,
    /** The two gateways have no IKE or ESP proposal in common. */
    PROPOSAL_MISMATCH,
    /** The peer refused the subnets this tunnel carries. */
    TRAFFIC_SELECTORS_REFUSED,
    /** The tunnel did not come up for another reason, given in the message. */
    ESTABLISH_FAILED,
    /** {@code data-path = kernel} was asked for, and a gateway's charon carries ESP in user space. */
    KERNEL_ESP_UNAVAILABLE,
    /** {@code data-path = userspace} was asked for, and a gateway's charon carries ESP in its kernel. */
    USERSPACE_ESP_UNAVAILABLE,
    /** The tunnel's description cannot work (bad subnet, same site twice, unsupported authentication). */
    INVALID_TUNNEL_SPEC,
    /** The tunnel's files (records, rendered configuration) cannot be read or written. */
    STATE_UNREADABLE,
    /** A VM segment could not be stretched over the tunnel: a gateway LivCloud cannot reach, a missing bridge. */
    STRETCH_FAILED;

    @Override
    public String code() {
        return "STRONGSWAN_" + name();
    }
}
