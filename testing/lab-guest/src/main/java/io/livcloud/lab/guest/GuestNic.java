package io.livcloud.lab.guest;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A lab guest's network card: virtio, on a bridge of its host, with a fixed MAC and a static address that the guest's
 * {@code /init} sets from the kernel command line ({@code livcloud.ip}, {@code livcloud.gw}). The guest answers ICMP
 * echo, echoes UDP on port 7 (the workload) and TCP on port 7 (busybox nc).
 *
 * @param bridge the host's bridge, e.g. {@code vmseg0}; the same name at every site the guest may move to
 * @param mac the MAC address, which moves with the guest, e.g. {@code 52:54:00:63:64:0a}
 * @param address the guest's address with its prefix, e.g. {@code 10.99.100.10/24}
 * @param gateway the default route's router, e.g. {@code 10.99.100.1}; empty for none
 * @param mtu the MTU the guest's driver takes from the device (virtio's host MTU), e.g. 1350
 */
public record GuestNic(String bridge, String mac, String address, String gateway, int mtu) {

    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");
    private static final Pattern CIDR = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}");
    private static final Pattern ADDRESS = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}");

    public GuestNic {
        requireNonNull(bridge, "bridge is null");
        requireNonNull(mac, "mac is null");
        requireNonNull(address, "address is null");
        requireNonNull(gateway, "gateway is null");
        if (bridge.isBlank()) {
            throw new IllegalArgumentException("bridge is blank");
        }
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("mac is '" + mac + "', expected six lower case hex pairs");
        }
        if (!CIDR.matcher(address).matches()) {
            throw new IllegalArgumentException("address is '" + address + "', expected e.g. 10.99.100.10/24");
        }
        if (!gateway.isEmpty() && !ADDRESS.matcher(gateway).matches()) {
            throw new IllegalArgumentException("gateway is '" + gateway + "', expected e.g. 10.99.100.1");
        }
        if (mtu < 576 || mtu > 9000) {
            throw new IllegalArgumentException("mtu is " + mtu + ", expected 576 to 9000");
        }
    }

    /** The address without its prefix. */
    public String ip() {
        return address.substring(0, address.indexOf('/'));
    }
}
