package io.livcloud.spi.provider;

import java.util.Locale;
import java.util.Objects;

/**
 * What a {@link SiteProber} sends probes to: a VM's address, answered by its kernel (ICMP echo) or by a service (a
 * TCP port that accepts connections).
 *
 * @param protocol how to probe
 * @param address an IPv4 address, e.g. {@code 10.99.100.10}
 * @param port the TCP port; 0 for ICMP
 */
public record ReachabilityTarget(Protocol protocol, String address, int port) {

    /** How a probe asks. */
    public enum Protocol {
        /** ICMP echo request; the guest's kernel answers. */
        ICMP,
        /** A TCP connection to {@link #port()}; a listening service accepts it. */
        TCP
    }

    public ReachabilityTarget {
        Objects.requireNonNull(protocol, "protocol is null");
        Objects.requireNonNull(address, "address is null");
        if (!address.matches("(\\d{1,3}\\.){3}\\d{1,3}")) {
            throw new IllegalArgumentException("'" + address + "' is not an IPv4 address");
        }
        if (protocol == Protocol.TCP ? port < 1 || port > 65535 : port != 0) {
            throw new IllegalArgumentException(protocol == Protocol.TCP ? "TCP port " + port + " is outside 1..65535"
                    : "an ICMP probe has no port");
        }
    }

    /**
     * Reads {@code icmp:<address>} or {@code tcp:<address>:<port>}.
     *
     * @throws IllegalArgumentException saying what is expected
     */
    public static ReachabilityTarget parse(String text) {
        Objects.requireNonNull(text, "text is null");
        String[] parts = text.trim().split(":");
        String kind = parts[0].toLowerCase(Locale.ROOT);
        try {
            if (kind.equals("icmp") && parts.length == 2) {
                return new ReachabilityTarget(Protocol.ICMP, parts[1], 0);
            }
            if (kind.equals("tcp") && parts.length == 3) {
                return new ReachabilityTarget(Protocol.TCP, parts[1], Integer.parseInt(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a probe: " + e.getMessage()
                    + "; write icmp:<address> or tcp:<address>:<port>, e.g. tcp:10.99.100.10:7", e);
        }
        throw new IllegalArgumentException("'" + text + "' is not a probe; write icmp:<address> or"
                + " tcp:<address>:<port>, e.g. icmp:10.99.100.10 or tcp:10.99.100.10:7");
    }

    /** As {@link #parse} reads it. */
    @Override
    public String toString() {
        return protocol == Protocol.ICMP ? "icmp:" + address : "tcp:" + address + ":" + port;
    }
}
