package io.livcloud.lab.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class LabGuestDomainXmlTest {

    private static final GuestImage X86_64 =
            new GuestImage("x86_64", Path.of("/cache/x86_64/vmlinuz"), Path.of("/cache/x86_64/initramfs.gz"));
    private static final GuestImage I686 =
            new GuestImage("i686", Path.of("/cache/i686/vmlinuz"), Path.of("/cache/i686/initramfs.gz"));

    @Test
    void bootsTheKernelDirectlyWithTheWorkloadSettingsOnTheCommandLine() throws Exception {
        DomainSpec spec = new DomainSpec("guest-1", X86_64, 256, 1, 50, 64, "qemu", "/lab/guest-1.log",
                "/lab/guest-1.sock");

        Document domain = parse(LabGuest.domainXml(spec));

        assertThat(text(domain, "/domain/@type")).isEqualTo("qemu");
        assertThat(text(domain, "/domain/name")).isEqualTo("guest-1");
        assertThat(text(domain, "/domain/memory")).isEqualTo("256");
        assertThat(text(domain, "/domain/memory/@unit")).isEqualTo("MiB");
        assertThat(text(domain, "/domain/vcpu")).isEqualTo("1");
        assertThat(text(domain, "/domain/os/type")).isEqualTo("hvm");
        assertThat(text(domain, "/domain/os/type/@arch")).isEqualTo("x86_64");
        assertThat(text(domain, "/domain/os/type/@machine")).isEqualTo("pc");
        assertThat(text(domain, "/domain/os/kernel")).isEqualTo("/cache/x86_64/vmlinuz");
        assertThat(text(domain, "/domain/os/initrd")).isEqualTo("/cache/x86_64/initramfs.gz");
        assertThat(text(domain, "/domain/os/cmdline")).isEqualTo("console=ttyS0 livcloud.rate=50 livcloud.wss=64");
        assertThat(count(domain, "/domain/features/acpi")).isEqualTo(1);
        assertThat(text(domain, "/domain/on_crash")).isEqualTo("destroy");
    }

    @Test
    void aNetworkCardIsVirtioOnTheBridgeWithItsMacMtuAndTheAddressOnTheCommandLine() throws Exception {
        DomainSpec spec = DomainSpec.of("web", X86_64, "/l/web.log", "/l/web.sock")
                .withNic(new GuestNic("vmseg0", "52:54:00:63:64:0a", "10.99.100.10/24", "10.99.100.1", 1350));

        Document domain = parse(LabGuest.domainXml(spec));

        assertThat(count(domain, "/domain/devices/interface")).isEqualTo(1);
        assertThat(text(domain, "/domain/devices/interface/@type")).isEqualTo("bridge");
        assertThat(text(domain, "/domain/devices/interface/source/@bridge")).isEqualTo("vmseg0");
        assertThat(text(domain, "/domain/devices/interface/mac/@address")).isEqualTo("52:54:00:63:64:0a");
        assertThat(text(domain, "/domain/devices/interface/model/@type")).isEqualTo("virtio");
        assertThat(text(domain, "/domain/devices/interface/mtu/@size")).isEqualTo("1350");
        assertThat(text(domain, "/domain/os/cmdline")).endsWith(" livcloud.ip=10.99.100.10/24 livcloud.gw=10.99.100.1");
        assertThat(count(parse(LabGuest.domainXml(DomainSpec.of("quiet", X86_64, "/l/q.log", "/l/q.sock"))),
                "/domain/devices/interface")).as("no card unless asked").isZero();
        assertThatThrownBy(() -> new GuestNic("vmseg0", "52:54:00:63:64", "10.99.100.10/24", "", 1350))
                .hasMessageContaining("mac");
    }

    @Test
    void cpuModelIsOneEveryTcgHostHas() throws Exception {
        Document x86 = parse(LabGuest.domainXml(DomainSpec.of("a", X86_64, "/l/a.log", "/l/a.sock")));
        Document i686 = parse(LabGuest.domainXml(DomainSpec.of("b", I686, "/l/b.log", "/l/b.sock")));

        assertThat(text(x86, "/domain/cpu/@mode")).isEqualTo("custom");
        assertThat(text(x86, "/domain/cpu/@match")).isEqualTo("exact");
        assertThat(text(x86, "/domain/cpu/model/@fallback")).isEqualTo("forbid");
        assertThat(text(x86, "/domain/cpu/model")).isEqualTo("qemu64");
        assertThat(text(i686, "/domain/os/type/@arch")).isEqualTo("i686");
        assertThat(text(i686, "/domain/cpu/model")).isEqualTo("qemu32");
    }

    @Test
    void serialPortsAreTheLogFileAndTheControlSocketAndThereIsNoDisk() throws Exception {
        Document domain = parse(LabGuest.domainXml(DomainSpec.of("a", X86_64, "/lab/a.log", "/lab/a.sock")));

        assertThat(count(domain, "/domain/devices/serial")).isEqualTo(2);
        assertThat(text(domain, "/domain/devices/serial[target/@port='0']/@type")).isEqualTo("file");
        assertThat(text(domain, "/domain/devices/serial[target/@port='0']/source/@path")).isEqualTo("/lab/a.log");
        assertThat(text(domain, "/domain/devices/serial[target/@port='0']/source/@append")).isEqualTo("on");
        assertThat(text(domain, "/domain/devices/serial[target/@port='1']/@type")).isEqualTo("unix");
        assertThat(text(domain, "/domain/devices/serial[target/@port='1']/source/@mode")).isEqualTo("bind");
        assertThat(text(domain, "/domain/devices/serial[target/@port='1']/source/@path")).isEqualTo("/lab/a.sock");
        assertThat(count(domain, "/domain/devices/disk")).isZero();
        assertThat(count(domain, "/domain/devices/interface")).isZero();
    }

    @Test
    void defaultsAreAnIdleTcgGuestOf256MiB() throws Exception {
        Document domain = parse(LabGuest.domainXml(DomainSpec.of("a", I686, "/l/a.log", "/l/a.sock")));

        assertThat(text(domain, "/domain/@type")).isEqualTo("qemu");
        assertThat(text(domain, "/domain/memory")).isEqualTo("256");
        assertThat(text(domain, "/domain/vcpu")).isEqualTo("1");
        assertThat(text(domain, "/domain/os/cmdline")).isEqualTo("console=ttyS0 livcloud.rate=0 livcloud.wss=64");
    }

    @Test
    void withersChangeOneSetting() throws Exception {
        DomainSpec spec = DomainSpec.of("a", X86_64, "/l/a.log", "/l/a.sock")
                .withMemoryMiB(512).withVcpus(2).withDirtyRateMiBps(200).withWorkingSetMiB(128).withDomainType("kvm");

        Document domain = parse(LabGuest.domainXml(spec));

        assertThat(text(domain, "/domain/@type")).isEqualTo("kvm");
        assertThat(text(domain, "/domain/memory")).isEqualTo("512");
        assertThat(text(domain, "/domain/vcpu")).isEqualTo("2");
        assertThat(text(domain, "/domain/os/cmdline")).isEqualTo("console=ttyS0 livcloud.rate=200 livcloud.wss=128");
    }

    @Test
    void namesAndPathsAreEscaped() throws Exception {
        GuestImage image = new GuestImage("x86_64", Path.of("/a&b/vmlinuz"), Path.of("/a'b/initramfs.gz"));
        DomainSpec spec = DomainSpec.of("<guest>&'\"", image, "/l/a&b.log", "/l/a'b.sock");

        Document domain = parse(LabGuest.domainXml(spec));

        assertThat(text(domain, "/domain/name")).isEqualTo("<guest>&'\"");
        assertThat(text(domain, "/domain/os/kernel")).isEqualTo("/a&b/vmlinuz");
        assertThat(text(domain, "/domain/os/initrd")).isEqualTo("/a'b/initramfs.gz");
        assertThat(text(domain, "/domain/devices/serial[target/@port='0']/source/@path")).isEqualTo("/l/a&b.log");
        assertThat(text(domain, "/domain/devices/serial[target/@port='1']/source/@path")).isEqualTo("/l/a'b.sock");
    }

    @Test
    void impossibleSpecsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DomainSpec.of("a", X86_64, "/l/a.log", "/l/a.sock").withDomainType("xen"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("domainType is 'xen', expected qemu (TCG) or kvm");
        assertThatThrownBy(() -> DomainSpec.of("a", X86_64, "/l/a.log", "/l/a.sock").withWorkingSetMiB(256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("workingSetMiB is 256, expected at least 1 and less than the memory (256 MiB)");
        assertThatThrownBy(() -> DomainSpec.of("a", X86_64, "a.log", "/l/a.sock"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> DomainSpec.of("a", X86_64, "/l/a.log", "/l/a.sock").withDirtyRateMiBps(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dirtyRateMiBps is -1, expected 0 or more");
        assertThatThrownBy(() -> new GuestImage("arm64", Path.of("/k"), Path.of("/i")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("architecture is 'arm64', expected one of [x86_64, i686]");
    }

    @Test
    void emulatorAndCpuFollowTheArchitecture() {
        assertThat(LabGuest.qemuBinary("x86_64")).isEqualTo("qemu-system-x86_64");
        assertThat(LabGuest.qemuBinary("i686")).isEqualTo("qemu-system-i386");
        assertThat(LabGuest.cpuModel("x86_64")).isEqualTo("qemu64");
        assertThat(LabGuest.cpuModel("i686")).isEqualTo("qemu32");
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document document, String expression) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        NodeList nodes = (NodeList) xpath.evaluate(expression, document, XPathConstants.NODESET);
        assertThat(nodes.getLength()).as("nodes matching %s", expression).isEqualTo(1);
        return nodes.item(0).getTextContent().strip();
    }

    private static int count(Document document, String expression) throws Exception {
        XPath xpath = XPathFactory.newInstance().newXPath();
        return ((NodeList) xpath.evaluate(expression, document, XPathConstants.NODESET)).getLength();
    }
}
