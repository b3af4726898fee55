package io.livcloud.plugin.strongswan.vici;

import java.util.ArrayList;
import java.util.List;

/**
 * An IKE_SA as charon lists it ({@code list-sa} event, or the SA of an {@code ike-updown}/{@code child-updown} event).
 *
 * @param name the connection it belongs to
 * @param uniqueId charon's unique id for it
 * @param state e.g. {@code ESTABLISHED}, {@code CONNECTING}
 * @param localHost local IKE address
 * @param remoteHost remote IKE address
 * @param localId local identity
 * @param remoteId remote identity
 * @param initiator whether this end initiated it
 * @param encryption e.g. {@code AES_GCM_16-256}; empty until negotiated
 * @param keyExchange e.g. {@code ECP_384}; empty until negotiated
 * @param establishedSeconds seconds since it was established; -1 if not established
 * @param children its CHILD_SAs
 */
public record IkeSa(String name, String uniqueId, String state, String localHost, String remoteHost, String localId,
        String remoteId, boolean initiator, String encryption, String keyExchange, long establishedSeconds,
        List<ChildSa> children) {

    public IkeSa {
        children = List.copyOf(children);
    }

    /** Whether it is {@code ESTABLISHED}. */
    public boolean established() {
        return "ESTABLISHED".equals(state);
    }

    /** Every IKE_SA section of a message (a {@code list-sa} event holds one, keyed by its connection's name). */
    static List<IkeSa> allIn(ViciMessage message) {
        List<IkeSa> sas = new ArrayList<>();
        for (ViciMessage.Entry entry : message.sections()) {
            sas.add(of(entry.name(), entry.section()));
        }
        return sas;
    }

    static IkeSa of(String name, ViciMessage sa) {
        List<ChildSa> children = new ArrayList<>();
        sa.section("child-sas").ifPresent(section -> section.sections().forEach(child ->
                children.add(ChildSa.of(child.name(), child.section()))));
        return new IkeSa(name, sa.text("uniqueid").orElse(""), sa.text("state").orElse(""),
                sa.text("local-host").orElse(""), sa.text("remote-host").orElse(""), sa.text("local-id").orElse(""),
                sa.text("remote-id").orElse(""), sa.yes("initiator"), algorithm(sa), sa.text("dh-group").orElse(""),
                sa.number("established").orElse(-1L), children);
    }

    /** {@code encr-alg} with its key size, as in {@code AES_GCM_16-256}. */
    static String algorithm(ViciMessage sa) {
        String algorithm = sa.text("encr-alg").orElse("");
        return sa.text("encr-keysize").map(size -> algorithm + "-" + size).orElse(algorithm);
    }
}
