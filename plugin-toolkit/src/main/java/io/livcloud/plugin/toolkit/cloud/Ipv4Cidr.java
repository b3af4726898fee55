package io.livcloud.plugin.toolkit.cloud;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 network in CIDR notation, e.g. {@code 10.99.10.0/24}; a single address is a {@code /32}. IPv4 only: the
 * tunnel, the security rules and the clouds' VM subnets LivCloud creates are IPv4.
 *
 * @param network the network address as an unsigned 32-bit number (host bits zero)
 * @param prefixLength 0 to 32
 */
public record Ipv4Cidr(int network, int prefixLength) {

    private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not within 0..32");
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(text(network) + "/" + prefixLength + " has host bits set");
        }
    }

    /**
     * Parses {@code a.b.c.d/n}, or {@code a.b.c.d} as a {@code /32}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text, e.g. host bits set ("10.0.0.1/24: did you
     *     mean 10.0.0.0/24?")
     */
    public static Ipv4Cidr parse(String text) {
        Matcher matcher = CIDR.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address or network in CIDR notation"
                    + " (a.b.c.d/n)");
        }
        int address = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(matcher.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet above 255");
            }
            address = (address << 8) | octet;
        }
        int prefix = matcher.group(5) == null ? 32 : Integer.parseInt(matcher.group(5));
        if (prefix > 32) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length above 32");
        }
        if ((address & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + text(address & mask(prefix)) + "/" + prefix + "?");
        }
        return new Ipv4Cidr(address, prefix);
    }

    /** Whether {@code other} lies entirely within this network. */
    public boolean contains(Ipv4Cidr other) {
        return other.prefixLength >= prefixLength && (other.network & mask(prefixLength)) == network;
    }

    /** Whether the two networks share an address. */
    public boolean overlaps(Ipv4Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** Whether this is a single address ({@code /32}). */
    public boolean isSingleAddress() {
        return prefixLength == 32;
    }

    /** Whether the network lies in the private ranges of RFC 1918 (10/8, 172.16/12, 192.168/16). */
    public boolean isPrivate() {
        return parse("10.0.0.0/8").contains(this) || parse("172.16.0.0/12").contains(this)
                || parse("192.168.0.0/16").contains(this);
    }

    /** Whether this network reaches past the public internet's addresses: loopback, link-local (incl. metadata), multicast. */
    public boolean isSpecialPurpose() {
        return parse("127.0.0.0/8").overlaps(this) || parse("169.254.0.0/16").overlaps(this)
                || parse("224.0.0.0/3").overlaps(this) || parse("0.0.0.0/8").overlaps(this);
    }

    /** The network's {@code n}-th address, e.g. {@code 10.0.0.0/24}'s 4th is {@code 10.0.0.4}. */
    public String address(int n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException(this + " has no address number " + n);
        }
        return text(network + n);
    }

    /** The network address alone, e.g. {@code 10.0.0.0}. */
    public String networkAddress() {
        return text(network);
    }

    /** How many addresses the network has, e.g. 256 for a {@code /24}. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** The prefix as a dotted netmask, e.g. {@code 255.255.255.0} for a {@code /24}. */
    public String netmask() {
        return text(mask(prefixLength));
    }

    /** {@code a.b.c.d/n}, always with the prefix length. */
    @Override
    public String toString() {
        return text(network) + "/" + prefixLength;
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static String text(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }
}
