package io.livcloud.plugin.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LibvirtUriTest {

    @Test
    void acceptsLocalRemoteAndSocketUris() {
        assertThat(LibvirtUri.of("qemu:///system")).isEqualTo(new LibvirtUri("qemu:///system", true));
        assertThat(LibvirtUri.of(" qemu+tcp://10.99.0.3/system ")).isEqualTo(
                new LibvirtUri("qemu+tcp://10.99.0.3/system", false));
        assertThat(LibvirtUri.of("qemu+ssh://root@host.example/system?keyfile=/root/.ssh/id")).isEqualTo(
                new LibvirtUri("qemu+ssh://root@host.example/system?keyfile=/root/.ssh/id", false));
        assertThat(LibvirtUri.of("qemu:///system?socket=/srv/lab/a/run/libvirt-sock")).isEqualTo(
                new LibvirtUri("qemu:///system?socket=/srv/lab/a/run/libvirt-sock", true));
        assertThat(LibvirtUri.of("qemu+unix:///system?socket=/srv/b/libvirt-sock").local()).isTrue();
        assertThat(LibvirtUri.of("test:///default").local()).isTrue();
    }

    @Test
    void aBareSocketPathBecomesASocketUri() {
        LibvirtUri uri = LibvirtUri.of("/srv/lab/a/run/libvirt-sock");

        assertThat(uri.value()).isEqualTo("qemu:///system?socket=/srv/lab/a/run/libvirt-sock");
        assertThat(uri.local()).isTrue();
        assertThat(uri.socket()).isTrue();
    }

    @Test
    void refusesWhatIsNotQemuThroughLibvirt() {
        assertThatThrownBy(() -> LibvirtUri.of("xen:///system"))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("'xen:///system' is not a libvirt URI for QEMU: the driver 'xen' is not QEMU's")
                .satisfies(e -> {
                    ExtensionException failure = (ExtensionException) e;
                    assertThat(failure.errorCode()).isEqualTo(KvmErrorCode.INVALID_URI);
                    assertThat(failure.remedy()).contains("qemu+tcp://HOST/system", "socket path");
                });
        assertThatThrownBy(() -> LibvirtUri.of("qemu+carrier-pigeon://host/system"))
                .hasMessageContaining("no transport 'carrier-pigeon'");
        assertThatThrownBy(() -> LibvirtUri.of("localhost")).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> LibvirtUri.of("qemu://bad host/system")).isInstanceOf(ExtensionException.class);
        assertThatThrownBy(() -> LibvirtUri.of("/tmp/my sock")).hasMessageContaining("blanks");
    }

    @Test
    void theSocketOnTheHostComesFromTheUriOrIsLibvirtsDefault() {
        assertThat(LibvirtUri.of("qemu:///system").hostSocket()).isEqualTo("/var/run/libvirt/libvirt-sock");
        assertThat(LibvirtUri.of("qemu:///system?socket=/srv/lab/a/run/libvirt-sock").hostSocket())
                .isEqualTo("/srv/lab/a/run/libvirt-sock");
        assertThat(LibvirtUri.of("qemu:///system?mode=direct&socket=/srv/b/sock").hostSocket())
                .isEqualTo("/srv/b/sock");
        assertThat(LibvirtUri.of("/srv/lab/a/run/libvirt-sock").hostSocket()).isEqualTo("/srv/lab/a/run/libvirt-sock");
        assertThat(LibvirtUri.of("qemu+unix:///system?socket=/srv/b/sock").hostSocket()).isEqualTo("/srv/b/sock");
        assertThat(LibvirtUri.of("qemu:///session?socket=/run/user/1000/libvirt/libvirt-sock").hostSocket())
                .isEqualTo("/run/user/1000/libvirt/libvirt-sock");
    }

    @Test
    void aUriThatNamesAnotherMachineOrTransportHasNoSocketOnTheHost() {
        assertThatThrownBy(() -> LibvirtUri.of("qemu+tcp://10.99.0.3/system").hostSocket())
                .hasMessageContaining("as seen there");
        assertThatThrownBy(() -> LibvirtUri.of("qemu+ssh:///system").hostSocket())
                .hasMessageContaining("as seen there");
        assertThatThrownBy(() -> LibvirtUri.of("test:///default").hostSocket()).hasMessageContaining("as seen there");
        assertThatThrownBy(() -> LibvirtUri.of("qemu:///session").hostSocket()).hasMessageContaining("?socket=");
    }

    @Test
    void throughALocalSocketTheUriKeepsItsPathAndIsNotThisMachines() {
        LibvirtUri relayed = LibvirtUri.of("qemu:///system?socket=/srv/lab/a/run/libvirt-sock")
                .throughSocket(Path.of("/var/lib/livcloud/plugins/kvm/work/r1/libvirt-sock"));

        assertThat(relayed).isEqualTo(new LibvirtUri(
                "qemu:///system?socket=/var/lib/livcloud/plugins/kvm/work/r1/libvirt-sock", false));
        assertThatThrownBy(() -> LibvirtUri.of("qemu:///system").throughSocket(Path.of("/tmp/my work/sock")))
                .hasMessageContaining("blanks");
    }

    @Test
    void theRemedyFitsTheTransport() {
        assertThat(LibvirtUri.of("/srv/a/libvirt-sock").connectRemedy()).contains("start libvirtd for that socket");
        assertThat(LibvirtUri.of("qemu:///system").connectRemedy()).contains("libvirtd", "libvirt group");
        assertThat(LibvirtUri.of("qemu+tcp://10.99.0.3/system").connectRemedy())
                .contains("listen_tcp = 1", "10.99.0.3:16509");
        assertThat(LibvirtUri.of("qemu+ssh://root@10.0.0.2/system").connectRemedy())
                .contains("'ssh root@10.0.0.2' works without a password prompt");
    }
}
