package io.livcloud.plugin.kvm;

import static io.livcloud.plugin.kvm.FakeLibvirt.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.DomainDefinition.Disk;
import org.junit.jupiter.api.Test;

class DomainDefinitionTest {

    @Test
    void readsARunning64BitTcgGuest() {
        DomainDefinition domain = DomainDefinition.parse(resource("domain-x86_64-running.xml"));

        assertThat(domain.name()).isEqualTo("tiny");
        assertThat(domain.uuid()).isEqualTo("cc216371-cc98-43df-9c20-28dd2a0e49f9");
        assertThat(domain.type()).isEqualTo("qemu");
        assertThat(domain.architecture()).isEqualTo("x86_64");
        assertThat(domain.machine()).isEqualTo("pc-i440fx-10.0");
        assertThat(domain.vcpus()).isEqualTo(1);
        assertThat(domain.memoryBytes()).isEqualTo(64L << 20);
        assertThat(domain.disks()).isEmpty();
        assertThat(domain.macAddresses()).isEmpty();
        assertThat(domain.cpu().mode()).isEqualTo("custom");
        assertThat(domain.cpu().model()).isEqualTo("qemu64");
        assertThat(domain.cpu().xml())
                .startsWith("<cpu ")
                .contains("<model fallback=\"forbid\">qemu64</model>", "name=\"lahf_lm\"");
    }

    @Test
    void readsARunning32BitGuest() {
        DomainDefinition domain = DomainDefinition.parse(resource("domain-i686-running.xml"));

        assertThat(domain.name()).isEqualTo("tiny32");
        assertThat(domain.architecture()).isEqualTo("i686");
        assertThat(domain.cpu().displayName(domain.architecture())).isEqualTo("qemu32");
        assertThat(domain.memoryBytes()).isEqualTo(64L << 20);
    }

    @Test
    void readsADefinedKvmGuestWithEveryKindOfDisk() {
        DomainDefinition domain = DomainDefinition.parse(resource("domain-kvm-disks-defined.xml"));

        assertThat(domain.type()).isEqualTo("kvm");
        assertThat(domain.vcpus()).as("current vCPUs, not the maximum").isEqualTo(2);
        assertThat(domain.memoryBytes()).isEqualTo(2L << 30);
        assertThat(domain.cpu().mode()).isEqualTo("host-model");
        assertThat(domain.cpu().model()).isEmpty();
        assertThat(domain.cpu().displayName("x86_64")).isEqualTo("host-model");
        assertThat(domain.cpu().xml()).contains("host-model");
        assertThat(domain.disks()).containsExactly(
                new Disk("disk", "file", "/var/lib/libvirt/images/web1.qcow2", "vda", false, false),
                new Disk("disk", "file", "/srv/cluster/web-shared.img", "vdb", false, true),
                new Disk("disk", "network", "rbd://ceph-mon1/pool/web1-data", "vdc", false, false),
                new Disk("disk", "block", "/dev/vg0/web1-log", "vdd", false, false),
                new Disk("disk", "file", "/mnt/nfs/images/web1-extra.qcow2", "vde", false, false),
                new Disk("cdrom", "file", "/var/lib/libvirt/images/seed.iso", "sda", true, false),
                new Disk("cdrom", "file", "", "sdb", true, false));
        assertThat(domain.macAddresses()).as("lower case, in order").containsExactly("52:54:00:ab:cd:01",
                "52:54:00:ab:cd:02");
    }

    @Test
    void withoutCpuElementTheGuestHasQemusDefaultModel() {
        DomainDefinition domain = DomainDefinition.parse("""
                <domain type='qemu'><name>a</name><uuid>u</uuid><memory unit='MiB'>128</memory><vcpu>1</vcpu>
                <os><type arch='i686'>hvm</type></os></domain>""");

        assertThat(domain.cpu().mode()).isEqualTo("default");
        assertThat(domain.cpu().xml()).isEmpty();
        assertThat(domain.cpu().displayName("i686")).isEqualTo("qemu32");
        assertThat(domain.cpu().displayName("x86_64")).isEqualTo("qemu64");
        assertThat(domain.memoryBytes()).isEqualTo(128L << 20);
    }

    @Test
    void aCpuElementWithOnlyTopologyHasNothingToCompare() {
        DomainDefinition domain = DomainDefinition.parse("""
                <domain type='qemu'><name>a</name><uuid>u</uuid><memory>1024</memory><vcpu>2</vcpu>
                <os><type arch='x86_64'>hvm</type></os>
                <cpu><topology sockets='1' cores='2' threads='1'/></cpu></domain>""");

        assertThat(domain.cpu().xml()).isEmpty();
        assertThat(domain.memoryBytes()).as("KiB without a unit").isEqualTo(1024L * 1024);
    }

    @Test
    void memoryUnitsAreLibvirts() {
        String template = "<domain><name>a</name><uuid>u</uuid><memory unit='%s'>3</memory><vcpu>1</vcpu>"
                + "<os><type arch='x86_64'>hvm</type></os></domain>";
        assertThat(DomainDefinition.parse(template.formatted("bytes")).memoryBytes()).isEqualTo(3);
        assertThat(DomainDefinition.parse(template.formatted("KB")).memoryBytes()).isEqualTo(3_000);
        assertThat(DomainDefinition.parse(template.formatted("M")).memoryBytes()).isEqualTo(3L << 20);
        assertThat(DomainDefinition.parse(template.formatted("GB")).memoryBytes()).isEqualTo(3_000_000_000L);
        assertThat(DomainDefinition.parse(template.formatted("TiB")).memoryBytes()).isEqualTo(3L << 40);
        assertThatThrownBy(() -> DomainDefinition.parse(template.formatted("furlongs")))
                .hasMessageContaining("furlongs");
    }

    @Test
    void refusesWhatIsNotADomainXml() {
        assertThatThrownBy(() -> DomainDefinition.parse("<domain><name>a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not well-formed");
        assertThatThrownBy(() -> DomainDefinition.parse("<network><name>a</name></network>"))
                .hasMessageContaining("<network>");
        assertThatThrownBy(() -> DomainDefinition.parse(
                "<domain><name>a</name><uuid>u</uuid><memory>1</memory><vcpu>1</vcpu><os><type>hvm</type></os>"
                        + "</domain>"))
                .hasMessageContaining("arch");
        assertThatThrownBy(() -> DomainDefinition.parse(
                "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain><name>&x;</name></domain>"))
                .as("no DTDs, so no external entities")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
