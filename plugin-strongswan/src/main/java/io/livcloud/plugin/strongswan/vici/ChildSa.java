package io.livcloud.plugin.strongswan.vici;

import java.util.List;

/**
 * A CHILD_SA of an {@link IkeSa}: the pair of IPsec SAs that carries the traffic.
 *
 * @param name its section name in charon's listing (the child configuration's name, with a suffix on newer charons)
 * @param uniqueId charon's unique id
 * @param state e.g. {@code INSTALLED}, {@code REKEYED}
 * @param mode {@code TUNNEL} or {@code TRANSPORT}
 * @param protocol {@code ESP} or {@code AH}
 * @param udpEncapsulated whether ESP travels inside UDP (port 4500)
 * @param encryption e.g. {@code AES_GCM_16-256}
 * @param spiIn inbound SPI, hex
 * @param spiOut outbound SPI, hex
 * @param bytesIn bytes received through it
 * @param packetsIn packets received
 * @param bytesOut bytes sent through it
 * @param packetsOut packets sent
 * @param installSeconds seconds since it was installed
 * @param rekeySeconds seconds until it is rekeyed; -1 if unknown
 * @param localTrafficSelectors the local subnets it carries
 * @param remoteTrafficSelectors the remote subnets it carries
 */
public record ChildSa(String name, String uniqueId, String state, String mode, String protocol,
        boolean udpEncapsulated, String encryption, String spiIn, String spiOut, long bytesIn, long packetsIn,
        long bytesOut, long packetsOut, long installSeconds, long rekeySeconds, List<String> localTrafficSelectors,
        List<String> remoteTrafficSelectors) {

    public ChildSa {
        localTrafficSelectors = List.copyOf(localTrafficSelectors);
        remoteTrafficSelectors = List.copyOf(remoteTrafficSelectors);
    }

    /** Whether it is {@code INSTALLED}: its keys are in the data path. */
    public boolean installed() {
        return "INSTALLED".equals(state);
    }

    static ChildSa of(String name, ViciMessage child) {
        return new ChildSa(child.text("name").orElse(name), child.text("uniqueid").orElse(""),
                child.text("state").orElse(""), child.text("mode").orElse(""), child.text("protocol").orElse(""),
                child.yes("encap"), IkeSa.algorithm(child), child.text("spi-in").orElse(""),
                child.text("spi-out").orElse(""), child.number("bytes-in").orElse(0L),
                child.number("packets-in").orElse(0L), child.number("bytes-out").orElse(0L),
                child.number("packets-out").orElse(0L), child.number("install-time").orElse(0L),
                child.number("rekey-time").orElse(-1L), child.list("local-ts"), child.list("remote-ts"));
    }
}
