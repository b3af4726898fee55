package io.livcloud.spi;

/**
 * A stable, documented identifier for a kind of failure, e.g. {@code KVM_CONNECT_FAILED}. Each plugin declares its own
 * codes as an enum implementing this interface, so users and scripts can tell failures apart without parsing
 * messages.
 */
public interface ErrorCode {

    /** The code, upper case with underscores, prefixed with the plugin's area, e.g. {@code TUNNEL_PEER_UNREACHABLE}. */
    String code();
}
