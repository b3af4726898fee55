package io.livcloud.plugin.kvm;

import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.ABORT_ON_ERROR;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.AUTO_CONVERGE;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.COMPRESSED;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.LIVE;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.NON_SHARED_DISK;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.PARALLEL;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.PEER2PEER;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.PERSIST_DEST;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.POSTCOPY;
import static io.livcloud.plugin.kvm.libvirt.MigrationFlag.TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.plugin.kvm.libvirt.MigrationParameter;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.DiskInfo;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LibvirtMigrationCallTest {

    private static final long LIBVIRT_9_0 = 9_000_000;
    private static final long LIBVIRT_10_0 = 10_000_000;

    @Test
    void aPlainLiveMigrationToTheLabsDestination() {
        LibvirtMigrationCall call = LibvirtMigrationCall.of(request("tcp://10.99.0.3:49152", policy(0)), List.of(),
                LIBVIRT_9_0);

        assertThat(call.flags()).containsExactlyInAnyOrder(LIVE, PEER2PEER, PERSIST_DEST, ABORT_ON_ERROR);
        assertThat(call.parameters()).containsExactly(
                MigrationParameter.string("migrate_uri", "tcp://10.99.0.3:49152"),
                MigrationParameter.string("listen_address", "10.99.0.3"));
        assertThat(call.copiedDisks()).isEmpty();
        assertThat(call.giveUpAfter()).as("the policy's completion timeout").isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void withoutDataUriLibvirtChoosesAndNothingIsPinned() {
        LibvirtMigrationCall call = LibvirtMigrationCall.of(request("", policy(0)), List.of(), LIBVIRT_9_0);

        assertThat(call.parameters()).isEmpty();
    }

    @Test
    void aHostNameInTheDataUriIsNotAListenAddress() {
        assertThat(LibvirtMigrationCall.of(request("tcp://dest.example:49152", policy(0)), List.of(), LIBVIRT_9_0)
                .parameters()).containsExactly(MigrationParameter.string("migrate_uri", "tcp://dest.example:49152"));
        assertThat(LibvirtMigrationCall.of(request("tcp://[fd00::3]:49152", policy(0)), List.of(), LIBVIRT_9_0)
                .parameters()).contains(MigrationParameter.string("listen_address", "fd00::3"));
        assertThatThrownBy(() -> LibvirtMigrationCall.of(request("tcp://10.99.0.3:port", policy(0)), List.of(),
                LIBVIRT_9_0))
                .isInstanceOf(ExtensionException.class)
                .hasMessageContaining("not a URI");
    }

    @Test
    void everyFeatureBecomesItsFlagAndParameters() {
        MigrationPolicy policy = new MigrationPolicy(Duration.ofMillis(300), 50L << 20,
                EnumSet.of(MigrationFeature.MULTIFD, MigrationFeature.COMPRESSION, MigrationFeature.AUTO_CONVERGE,
                        MigrationFeature.POST_COPY, MigrationFeature.TLS),
                4, "zstd", Duration.ofMinutes(5));

        LibvirtMigrationCall call = LibvirtMigrationCall.of(request("tcp://10.99.0.3:49152", policy), List.of(),
                LIBVIRT_10_0);

        assertThat(call.flags()).containsExactlyInAnyOrder(LIVE, PEER2PEER, PERSIST_DEST, ABORT_ON_ERROR, PARALLEL,
                COMPRESSED, AUTO_CONVERGE, POSTCOPY, TLS);
        assertThat(call.parameters()).containsExactly(
                MigrationParameter.string("migrate_uri", "tcp://10.99.0.3:49152"),
                MigrationParameter.string("listen_address", "10.99.0.3"),
                MigrationParameter.unsignedLong("bandwidth", 50),
                MigrationParameter.integer("parallel.connections", 4),
                MigrationParameter.string("compression", "zstd"));
    }

    @Test
    void xbzrleIsACompressionMethodOfItsOwn() {
        MigrationPolicy policy = new MigrationPolicy(Duration.ofMillis(300), 0, EnumSet.of(MigrationFeature.XBZRLE),
                1, "zstd", Duration.ofMinutes(5));

        LibvirtMigrationCall call = LibvirtMigrationCall.of(request("", policy), List.of(), LIBVIRT_9_0);

        assertThat(call.flags()).contains(COMPRESSED).doesNotContain(PARALLEL);
        assertThat(call.parameters()).containsExactly(MigrationParameter.string("compression", "xbzrle"));
    }

    @Test
    void multifdCompressionNeedsLibvirt94AndMultifd() {
        MigrationPolicy compressed = new MigrationPolicy(Duration.ofMillis(300), 0,
                EnumSet.of(MigrationFeature.MULTIFD, MigrationFeature.COMPRESSION), 2, "zstd", Duration.ofMinutes(5));
        MigrationPolicy withoutMultifd = new MigrationPolicy(Duration.ofMillis(300), 0,
                EnumSet.of(MigrationFeature.COMPRESSION), 1, "zstd", Duration.ofMinutes(5));
        MigrationPolicy unknownMethod = new MigrationPolicy(Duration.ofMillis(300), 0,
                EnumSet.of(MigrationFeature.MULTIFD, MigrationFeature.COMPRESSION), 2, "lz4", Duration.ofMinutes(5));

        assertThatThrownBy(() -> LibvirtMigrationCall.of(request("", compressed), List.of(), LIBVIRT_9_0))
                .isInstanceOf(ExtensionException.class)
                .hasMessage("the source host's libvirt 9.0.0 cannot compress multifd channels (zstd): libvirt 9.4.0 "
                        + "added it")
                .satisfies(e -> assertThat(((ExtensionException) e).errorCode())
                        .isEqualTo(KvmErrorCode.MIGRATION_FEATURE_UNSUPPORTED))
                .satisfies(e -> assertThat(((ExtensionException) e).remedy()).contains("drop COMPRESSION"));
        assertThat(LibvirtMigrationCall.of(request("", compressed), List.of(), 9_004_000).flags()).contains(COMPRESSED);
        assertThatThrownBy(() -> LibvirtMigrationCall.of(request("", withoutMultifd), List.of(), LIBVIRT_10_0))
                .hasMessageContaining("does not turn on MULTIFD");
        assertThatThrownBy(() -> LibvirtMigrationCall.of(request("", unknownMethod), List.of(), LIBVIRT_10_0))
                .hasMessageContaining("'lz4'");
    }

    @Test
    void bandwidthIsRoundedUpToWholeMebibytes() {
        assertThat(LibvirtMigrationCall.mebibytesPerSecond(1)).isEqualTo(1);
        assertThat(LibvirtMigrationCall.mebibytesPerSecond(1L << 20)).isEqualTo(1);
        assertThat(LibvirtMigrationCall.mebibytesPerSecond((1L << 20) + 1)).isEqualTo(2);
        assertThat(LibvirtMigrationCall.mebibytesPerSecond(125_000_000)).as("1 Gbit/s").isEqualTo(120);
        assertThat(LibvirtMigrationCall.UNLIMITED_MEBIBYTES_PER_SECOND).isEqualTo(8_796_093_022_207L);
    }

    @Test
    void onlyLocalWritableDisksWithASourceAreCopied() {
        List<DiskInfo> disks = List.of(
                new DiskInfo("vda", "/var/lib/libvirt/images/web1.qcow2", 10L << 30, false, false),
                new DiskInfo("vdb", "/srv/cluster/web-shared.img", 1L << 30, true, false),
                new DiskInfo("vdd", "/dev/vg0/web1-log", 0, false, false),
                new DiskInfo("sda", "/var/lib/libvirt/images/seed.iso", 0, false, true),
                new DiskInfo("sdb", "", 0, false, true));

        LibvirtMigrationCall call = LibvirtMigrationCall.of(request("", policy(0)), disks, LIBVIRT_9_0);

        assertThat(call.flags()).contains(NON_SHARED_DISK);
        assertThat(call.copiedDisks()).containsExactly("vda", "vdd");
        assertThat(call.parameters()).containsExactly(
                MigrationParameter.string("migrate_disks", "vda"),
                MigrationParameter.string("migrate_disks", "vdd"));
    }

    private static MigrationPolicy policy(long bandwidth) {
        return new MigrationPolicy(Duration.ofMillis(300), bandwidth, Set.of(), 1, "zstd", Duration.ofMinutes(5));
    }

    private static MigrationRequest request(String dataUri, MigrationPolicy policy) {
        return new MigrationRequest("web1", "qemu+tcp://10.99.0.3/system", dataUri, policy);
    }
}
