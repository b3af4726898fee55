package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.probe.ProbeReport;
import java.util.List;

/**
 * A probe report's evidence as a comparison of two probes of one host sees it: what was found, and where. Not
 * compared: how long a boot took and its command (the guest's files lie elsewhere on a host reached through host
 * access), and why something was unreadable (that differs by transport). SPI types only, so that integration tests,
 * which see the plugin only through its zip, can use it too.
 */
public final class ComparableEvidence {

    private ComparableEvidence() {
    }

    /** One line per piece of evidence, in the report's order. */
    public static List<String> of(ProbeReport report) {
        return report.evidence().stream().map(e -> {
            boolean boot = e.item().startsWith("functional test");
            String value = boot ? e.value().replaceAll(" (in|after) \\d+ ms$", "") : e.value();
            String note = boot || e.value().equals("unreadable") ? "" : ": " + e.note();
            return e.item() + " = " + value + " (" + e.source() + ")" + note;
        }).toList();
    }
}
