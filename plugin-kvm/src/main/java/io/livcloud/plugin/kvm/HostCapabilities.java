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
        Element capabilities = LibvirtXml.parse(xml, "the capabilities XML");
        Element host = LibvirtXml.child(capabilities, "host")
                .orElseThrow(() -> new IllegalArgumentException("the capabilities XML has no <host>"));
        Element cpu = LibvirtXml.child(host, "cpu")
                .orElseThrow(() -> new IllegalArgumentException("the capabilities XML has no <host><cpu>"));
        Set<String> features = new LinkedHashSet<>();
        for (Element feature : LibvirtXml.children(cpu, "feature")) {
            LibvirtXml.attribute(feature, "name").ifPresent(features::add);
        }
        Map<String, Set<String>> guests = new LinkedHashMap<>();
        for (Element guest : LibvirtXml.children(capabilities, "guest")) {
            if (!LibvirtXml.child(guest, "os_type").flatMap(LibvirtXml::text).orElse("").equals("hvm")) {
                continue;
            }
            for (Element arch : LibvirtXml.children(guest, "arch")) {
                Optional<String> name = LibvirtXml.attribute(arch, "name");
                if (name.isEmpty()) {
                    continue;
                }
                Set<String> types = guests.computeIfAbsent(name.get(), key -> new LinkedHashSet<>());
                for (Element domain : LibvirtXml.children(arch, "domain")) {
                    LibvirtXml.attribute(domain, "type").ifPresent(types::add);
                }
            }
        }
        return new HostCapabilities(
                LibvirtXml.child(host, "uuid").flatMap(LibvirtXml::text).orElse(""),
                LibvirtXml.child(cpu, "arch").flatMap(LibvirtXml::text).orElseThrow(
                        () -> new IllegalArgumentException("the capabilities XML has no <host><cpu><arch>")),
                LibvirtXml.child(cpu, "model").flatMap(LibvirtXml::text).orElse(""),
                LibvirtXml.child(cpu, "vendor").flatMap(LibvirtXml::text).orElse(""),
                features,
                LibvirtXml.serialize(cpu),
                guests);
    }
}
