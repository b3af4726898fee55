package io.livcloud.plugin.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.w3c.dom.Element;

/**
 * What the plugin reads from a libvirt domain XML ({@code virsh dumpxml}).
 *
 * @param name {@code <name>}
 * @param uuid {@code <uuid>}
 * @param type the accelerator the domain asks for, {@code <domain type=…>}: {@code kvm} or {@code qemu} (TCG)
 * @param architecture {@code <os><type arch=…>}, e.g. {@code x86_64} or {@code i686}
 * @param machine {@code <os><type machine=…>}, e.g. {@code pc-i440fx-10.0}; empty when absent
 * @param cpu the {@code <cpu>} element
 * @param vcpus the vCPUs the guest has: {@code <vcpu current=…>} if set, else {@code <vcpu>}
 * @param memoryBytes {@code <memory>} in bytes
 * @param disks the {@code <disk>} devices
 * @param macAddresses the {@code <interface><mac address>} of each network card, lower case
 */
record DomainDefinition(
        String name,
        String uuid,
        String type,
        String architecture,
        String machine,
        Cpu cpu,
        int vcpus,
        long memoryBytes,
        List<Disk> disks,
        List<String> macAddresses) {

    DomainDefinition {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(uuid, "uuid is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(architecture, "architecture is null");
        Objects.requireNonNull(machine, "machine is null");
        Objects.requireNonNull(cpu, "cpu is null");
        disks = List.copyOf(disks);
        macAddresses = List.copyOf(macAddresses);
    }

    /**
     * The guest CPU.
     *
     * @param mode {@code custom}, {@code host-model}, {@code host-passthrough} or {@code maximum};
     *     {@code default} when the domain has no {@code <cpu>} element or it names neither mode nor model (QEMU's
     *     default model for the architecture: {@code qemu64}, {@code qemu32})
     * @param model {@code <model>}, empty when absent
     * @param xml the {@code <cpu>} element as libvirt's CPU comparison takes it; empty when there is none
     */
    record Cpu(String mode, String model, String xml) {

        /** The model a person would name: the model, else the mode, else QEMU's default for the architecture. */
        String displayName(String architecture) {
            if (!model.isEmpty()) {
                return model;
            }
            if (!mode.equals("default")) {
                return mode;
            }
            return architecture.equals("i686") ? "qemu32" : "qemu64";
        }
    }

    /**
     * A {@code <disk>}.
     *
     * @param device {@code disk}, {@code cdrom}, {@code floppy} or {@code lun}
     * @param sourceType {@code file}, {@code block}, {@code network}, {@code volume} or {@code dir}
     * @param source the file or device path; {@code protocol://host/name} for network disks; {@code pool/volume}
     *     for volumes; empty when the drive has no medium
     * @param target {@code <target dev=…>}, e.g. {@code vda}
     * @param readOnly {@code <readonly/>}, and every CD-ROM
     * @param shareable {@code <shareable/>}: declared usable by several guests at once
     */
    record Disk(String device, String sourceType, String source, String target, boolean readOnly, boolean shareable) {
    }

    /**
     * Parses a domain XML.
     *
     * @throws IllegalArgumentException if it is not a domain XML libvirt would produce: not XML, or without name,
     *     UUID, {@code <os><type arch>}, vCPUs or memory
     */
    static DomainDefinition parse(String xml) {
        Element domain = LibvirtXml.parse(xml, "the domain XML");
        if (!domain.getTagName().equals("domain")) {
            throw new IllegalArgumentException("not a domain XML: the root element is <" + domain.getTagName() + ">");
        }
        String name = required(LibvirtXml.child(domain, "name").flatMap(LibvirtXml::text), "<name>");
        String what = "the domain XML of '" + name + "'";
        Element osType = LibvirtXml.path(domain, "os", "type")
                .orElseThrow(() -> new IllegalArgumentException(what + " has no <os><type>"));
        Element vcpu = LibvirtXml.child(domain, "vcpu")
                .orElseThrow(() -> new IllegalArgumentException(what + " has no <vcpu>"));
        Element memory = LibvirtXml.child(domain, "memory")
                .orElseThrow(() -> new IllegalArgumentException(what + " has no <memory>"));
        int vcpus = LibvirtXml.attribute(vcpu, "current").or(() -> LibvirtXml.text(vcpu))
                .map(value -> parseCount(value, what + ": <vcpu>"))
                .orElseThrow(() -> new IllegalArgumentException(what + " has an empty <vcpu>"));
        return new DomainDefinition(
                name,
                required(LibvirtXml.child(domain, "uuid").flatMap(LibvirtXml::text), what + ": <uuid>"),
                LibvirtXml.attribute(domain, "type").orElse("qemu"),
                required(LibvirtXml.attribute(osType, "arch"), what + ": <os><type arch=…>"),
                LibvirtXml.attribute(osType, "machine").orElse(""),
                cpu(domain),
                vcpus,
                bytes(memory, what + ": <memory>"),
                disks(domain),
                macAddresses(domain));
    }

    private static List<String> macAddresses(Element domain) {
        return LibvirtXml.path(domain, "devices").map(devices -> LibvirtXml.children(devices, "interface"))
                .orElse(List.of()).stream()
                .flatMap(card -> LibvirtXml.child(card, "mac").flatMap(mac -> LibvirtXml.attribute(mac, "address"))
                        .stream()).map(mac -> mac.toLowerCase(Locale.ROOT)).toList();
    }

    private static Cpu cpu(Element domain) {
        Optional<Element> cpu = LibvirtXml.child(domain, "cpu");
        if (cpu.isEmpty()) {
            return new Cpu("default", "", "");
        }
        String model = LibvirtXml.child(cpu.get(), "model").flatMap(LibvirtXml::text).orElse("");
        String mode = LibvirtXml.attribute(cpu.get(), "mode").orElse(model.isEmpty() ? "default" : "custom");
        // A <cpu> with only topology or NUMA cells says nothing about the model: nothing to compare.
        boolean describesModel = !model.isEmpty() || !mode.equals("default");
        return new Cpu(mode, model, describesModel ? LibvirtXml.serialize(cpu.get()) : "");
    }

    private static List<Disk> disks(Element domain) {
        List<Disk> disks = new ArrayList<>();
        for (Element disk : LibvirtXml.path(domain, "devices").map(devices -> LibvirtXml.children(devices, "disk"))
                .orElse(List.of())) {
            String device = LibvirtXml.attribute(disk, "device").orElse("disk");
            String sourceType = LibvirtXml.attribute(disk, "type").orElse("file");
            String target = LibvirtXml.child(disk, "target").flatMap(element -> LibvirtXml.attribute(element, "dev"))
                    .orElse("");
            if (target.isEmpty()) {
                continue; // libvirt never produces a disk without a target; nothing could name it
            }
            disks.add(new Disk(
                    device,
                    sourceType,
                    LibvirtXml.child(disk, "source").map(source -> source(source, sourceType)).orElse(""),
                    target,
                    device.equals("cdrom") || LibvirtXml.child(disk, "readonly").isPresent(),
                    LibvirtXml.child(disk, "shareable").isPresent()));
        }
        return disks;
    }

    private static String source(Element source, String sourceType) {
        return switch (sourceType) {
            case "file" -> LibvirtXml.attribute(source, "file").orElse("");
            case "block" -> LibvirtXml.attribute(source, "dev").orElse("");
            case "dir" -> LibvirtXml.attribute(source, "dir").orElse("");
            case "volume" -> LibvirtXml.attribute(source, "pool").orElse("") + "/"
                    + LibvirtXml.attribute(source, "volume").orElse("");
            case "network" -> {
                String protocol = LibvirtXml.attribute(source, "protocol").orElse("network");
                String host = LibvirtXml.child(source, "host")
                        .flatMap(element -> LibvirtXml.attribute(element, "name")).orElse("");
                yield protocol + "://" + host + "/" + LibvirtXml.attribute(source, "name").orElse("");
            }
            default -> LibvirtXml.attribute(source, "file").or(() -> LibvirtXml.attribute(source, "dev")).orElse("");
        };
    }

    private static String required(Optional<String> value, String what) {
        return value.orElseThrow(() -> new IllegalArgumentException("missing " + what));
    }

    private static int parseCount(String value, String what) {
        try {
            int count = Integer.parseInt(value);
            if (count < 1) {
                throw new IllegalArgumentException(what + " is " + value + ", not a positive number");
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " is '" + value + "', not a number", e);
        }
    }

    /** A libvirt scaled integer ({@code <memory unit='KiB'>65536</memory>}; KiB when no unit) in bytes. */
    static long bytes(Element element, String what) {
        String text = LibvirtXml.text(element).orElseThrow(() -> new IllegalArgumentException(what + " is empty"));
        long multiplier = switch (LibvirtXml.attribute(element, "unit").orElse("KiB").toLowerCase(Locale.ROOT)) {
            case "b", "bytes" -> 1L;
            case "kb" -> 1_000L;
            case "k", "kib" -> 1L << 10;
            case "mb" -> 1_000_000L;
            case "m", "mib" -> 1L << 20;
            case "gb" -> 1_000_000_000L;
            case "g", "gib" -> 1L << 30;
            case "tb" -> 1_000_000_000_000L;
            case "t", "tib" -> 1L << 40;
            default -> throw new IllegalArgumentException(
                    what + " has the unit '" + element.getAttribute("unit") + "', which libvirt does not use");
        };
        try {
            return Math.multiplyExact(Long.parseLong(text), multiplier);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(what + " is '" + text + "', not a size", e);
        }
    }
}
