package io.livcloud.plugin.kvm;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * What the plugin reads from a host's capabilities XML ({@code virsh capabilities}).
 *
 * @param hostUuid {@code <host><uuid>}
 * @param architecture {@code <host><cpu><arch>}, e.g. {@code x86_64}
 * @param cpuModel {@code <host><cpu><model>}; empty when libvirt names none
 * @param cpuVendor {@code <host><cpu><vendor>}; empty when libvirt names none
 * @param cpuFeatures the {@code <host><cpu><feature name=…>}s, e.g. {@code vmx} on an Intel host with VT-x
 * @param hostCpuXml the {@code <host><cpu>} element, which libvirt's CPU comparison accepts as is
 * @param guestDomainTypes per guest architecture ({@code <guest><arch name=…>}, hvm guests only), the domain types
 *     libvirt offers for it, e.g. {@code x86_64 -> [qemu, kvm]}
 */
record HostCapabilities(
        String hostUuid,
        String architecture,
        String cpuModel,
        String cpuVendor,
        Set<String> cpuFeatures,
        String hostCpuXml,
        Map<String, Set<String>> guestDomainTypes) {

    HostCapabilities {
        Objects.requireNonNull(hostUuid, "hostUuid is null");
        Objects.requireNonNull(architecture, "architecture is null");
        Objects.requireNonNull(cpuModel, "cpuModel is null");
        Objects.requireNonNull(cpuVendor, "cpuVendor is null");
        cpuFeatures = Set.copyOf(cpuFeatures);
        Objects.requireNonNull(hostCpuXml, "hostCpuXml is null");
        guestDomainTypes = Map.copyOf(guestDomainTypes);
    }

    /** Whether libvirt offers this domain type ({@code kvm}, {@code qemu}) for guests of this architecture. */
    boolean offers(String guestArchitecture, String domainType) {
        return guestDomainTypes.getOrDefault(guestArchitecture, Set.of()).contains(domainType);
    }

    /** Whether libvirt offers this domain type for guests of the host's own architecture. */
    boolean offersNatively(String domainType) {
        return offers(architecture, domainType);
    }

    /**
     * Parses a capabilities XML.
     *
     * @throws IllegalArgumentException if it is not one: not XML, or without {@code <host><cpu><arch>}
     */
    static HostCapabilities parse(String xml) {
        Element capabilities = Xml.parse(xml, "the capabilities XML");
        Element host = Xml.child(capabilities, "host")
                .orElseThrow(() -> new IllegalArgumentException("the capabilities XML has no <host>"));
        Element cpu = Xml.child(host, "cpu")
                .orElseThrow(() -> new IllegalArgumentException("the capabilities XML has no <host><cpu>"));
        Set<String> features = new LinkedHashSet<>();
        for (Element feature : Xml.children(cpu, "feature")) {
            Xml.attribute(feature, "name").ifPresent(features::add);
        }
        Map<String, Set<String>> guests = new LinkedHashMap<>();
        for (Element guest : Xml.children(capabilities, "guest")) {
            if (!Xml.child(guest, "os_type").flatMap(Xml::text).orElse("").equals("hvm")) {
                continue;
            }
            for (Element arch : Xml.children(guest, "arch")) {
                Optional<String> name = Xml.attribute(arch, "name");
                if (name.isEmpty()) {
                    continue;
                }
                Set<String> types = guests.computeIfAbsent(name.get(), key -> new LinkedHashSet<>());
                for (Element domain : Xml.children(arch, "domain")) {
                    Xml.attribute(domain, "type").ifPresent(types::add);
                }
            }
        }
        return new HostCapabilities(
                Xml.child(host, "uuid").flatMap(Xml::text).orElse(""),
                Xml.child(cpu, "arch").flatMap(Xml::text).orElseThrow(
                        () -> new IllegalArgumentException("the capabilities XML has no <host><cpu><arch>")),
                Xml.child(cpu, "model").flatMap(Xml::text).orElse(""),
                Xml.child(cpu, "vendor").flatMap(Xml::text).orElse(""),
                features,
                Xml.serialize(cpu),
                guests);
    }
}
