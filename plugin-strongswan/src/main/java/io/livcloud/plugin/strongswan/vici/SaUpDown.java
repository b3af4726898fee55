package io.livcloud.plugin.strongswan.vici;

/**
 * An {@code ike-updown} or {@code child-updown} event.
 *
 * @param up whether the SA came up (else it went down)
 * @param sa the IKE_SA, with only the affected CHILD_SA for a {@code child-updown}
 */
public record SaUpDown(boolean up, IkeSa sa) {

    static SaUpDown of(ViciMessage event) {
        ViciMessage.Entry first = event.sections().stream().findFirst().orElseThrow(() -> new ViciException(
                ViciException.Reason.PROTOCOL, "an up/down event without an SA section: " + event));
        return new SaUpDown(event.yes("up"), IkeSa.of(first.name(), first.section()));
    }
}
