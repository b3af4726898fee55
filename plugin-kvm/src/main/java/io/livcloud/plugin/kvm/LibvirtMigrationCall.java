package io.livcloud.plugin.kvm;

import io.livcloud.plugin.kvm.libvirt.MigrationFlag;
import io.livcloud.plugin.kvm.libvirt.MigrationParameter;
import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.hypervisor.DiskInfo;
import io.livcloud.spi.hypervisor.MigrationFeature;
import io.livcloud.spi.hypervisor.MigrationPolicy;
import io.livcloud.spi.hypervisor.MigrationRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How one {@link MigrationRequest} becomes a {@code virDomainMigrateToURI3} call: flags and typed parameters.
 *
 * <p>Always {@code LIVE | PEER2PEER | PERSIST_DEST | ABORT_ON_ERROR}:
 *
 * <ul>
 *   <li>{@code PEER2PEER}: the source libvirtd opens the destination URI itself, so the destination need only be
 *       reachable from the source host (e.g. {@code qemu+tcp://10.99.0.3/system} inside a tunnel), not from here;
 *   <li>{@code PERSIST_DEST}: the VM stays defined on the destination after it stops or the host restarts;
 *   <li>{@code ABORT_ON_ERROR}: an I/O error during the move aborts it rather than leaving a paused guest.
 * </ul>
 *
 * <p>Not {@code UNDEFINE_SOURCE}: libvirt keeps a completed migration's statistics (its real downtime) on the source
 * domain object, and {@code UNDEFINE_SOURCE} removes that object with the statistics. The job reads them and then
 * undefines the source itself, which leaves the same end state, unless the request keeps the source's definition
 * for a rollback ({@link MigrationRequest#keepSourceDefinition()}). Not {@code TUNNELLED}: it cannot carry multifd, and the
 * stream goes straight to {@code dataUri} instead (a tunnel address).
 *
 * <p>From the policy: bandwidth ({@code bandwidth}, MiB/s, rounded up); {@code MULTIFD} ({@code PARALLEL} and
 * {@code parallel.connections}); {@code COMPRESSION} ({@code COMPRESSED} and {@code compression=<method>}, multifd
 * only, libvirt 9.4 or later); {@code XBZRLE} ({@code COMPRESSED} and {@code compression=xbzrle});
 * {@code AUTO_CONVERGE}; {@code POST_COPY} ({@code POSTCOPY}: allowed, switched on by the job later); {@code TLS}.
 * The downtime target is not a migration parameter in libvirt; the job sets it just before starting.
 *
 * <p>Disks that are neither shared nor read-only and have a source are copied ({@code NON_SHARED_DISK} with one
 * {@code migrate_disks} entry each); a shared disk is used in place and a read-only one (installer, CD-ROM) must
 * exist at the same path on the destination.
 *
 * <p>The policy's completion timeout becomes the job's watchdog: a migration that has not ended by then is
 * cancelled, and the VM keeps running on the source (pre-copy that never converges would otherwise run for ever).
 *
 * @param flags the {@code VIR_MIGRATE_*} flags
 * @param parameters the typed parameters
 * @param copiedDisks the targets of the disks copied to the destination
 * @param giveUpAfter when the job cancels a migration that has not ended
 * @param keepSourceDefinition whether the job leaves the source's shut-off definition after a completed migration
 */
record LibvirtMigrationCall(Set<MigrationFlag> flags, List<MigrationParameter> parameters, List<String> copiedDisks,
        Duration giveUpAfter, boolean keepSourceDefinition) {

    /** libvirt 9.4.0: the first to pass {@code zlib}/{@code zstd} compression to multifd channels. */
    static final long MULTIFD_COMPRESSION_LIBVIRT_VERSION = 9_004_000;

    /** {@code QEMU_DOMAIN_MIG_BANDWIDTH_MAX}: libvirt's largest bandwidth, which it uses as "no limit". */
    static final long UNLIMITED_MEBIBYTES_PER_SECOND = Long.MAX_VALUE / (1024 * 1024);

    LibvirtMigrationCall {
        flags = Set.copyOf(flags);
        parameters = List.copyOf(parameters);
        copiedDisks = List.copyOf(copiedDisks);
        Objects.requireNonNull(giveUpAfter, "giveUpAfter is null");
    }

    /**
     * Plans a migration.
     *
     * @param disks the VM's disks
     * @param libvirtVersion the source daemon's libvirt version ({@code major * 1,000,000 + minor * 1,000 + micro})
     * @throws ExtensionException with {@link KvmErrorCode#MIGRATION_FEATURE_UNSUPPORTED} when the policy asks for
     *     something this libvirt cannot do, or with {@link KvmErrorCode#MIGRATION_START_FAILED} for a bad data URI
     */
    static LibvirtMigrationCall of(MigrationRequest request, List<DiskInfo> disks, long libvirtVersion) {
        MigrationPolicy policy = request.policy();
        Set<MigrationFeature> features = policy.features();
        Set<MigrationFlag> flags = EnumSet.of(
                MigrationFlag.LIVE, MigrationFlag.PEER2PEER, MigrationFlag.PERSIST_DEST, MigrationFlag.ABORT_ON_ERROR);
        List<MigrationParameter> parameters = new ArrayList<>();

        if (!request.dataUri().isBlank()) {
            String dataUri = request.dataUri().strip();
            parameters.add(MigrationParameter.string(MigrationParameter.URI, dataUri));
            listenAddress(dataUri).ifPresent(address ->
                    parameters.add(MigrationParameter.string(MigrationParameter.LISTEN_ADDRESS, address)));
        }
        if (policy.bandwidthBytesPerSecond() > 0) {
            parameters.add(MigrationParameter.unsignedLong(
                    MigrationParameter.BANDWIDTH, mebibytesPerSecond(policy.bandwidthBytesPerSecond())));
        }
        if (features.contains(MigrationFeature.MULTIFD)) {
            flags.add(MigrationFlag.PARALLEL);
            parameters.add(MigrationParameter.integer(
                    MigrationParameter.PARALLEL_CONNECTIONS, policy.parallelConnections()));
        }
        if (features.contains(MigrationFeature.COMPRESSION)) {
            compression(policy, libvirtVersion);
            flags.add(MigrationFlag.COMPRESSED);
            parameters.add(MigrationParameter.string(MigrationParameter.COMPRESSION,
                    policy.compressionMethod().strip().toLowerCase(Locale.ROOT)));
        }
        if (features.contains(MigrationFeature.XBZRLE)) {
            flags.add(MigrationFlag.COMPRESSED);
            parameters.add(MigrationParameter.string(MigrationParameter.COMPRESSION, "xbzrle"));
        }
        if (features.contains(MigrationFeature.AUTO_CONVERGE)) {
            flags.add(MigrationFlag.AUTO_CONVERGE);
        }
        if (features.contains(MigrationFeature.POST_COPY)) {
            flags.add(MigrationFlag.POSTCOPY);
        }
        if (features.contains(MigrationFeature.TLS)) {
            flags.add(MigrationFlag.TLS);
        }

        List<String> copied = disks.stream()
                .filter(disk -> !disk.shared() && !disk.readOnly() && !disk.source().isEmpty())
                .map(DiskInfo::target)
                .toList();
        if (!copied.isEmpty()) {
            flags.add(MigrationFlag.NON_SHARED_DISK);
            copied.forEach(target ->
                    parameters.add(MigrationParameter.string(MigrationParameter.MIGRATE_DISKS, target)));
        }
        return new LibvirtMigrationCall(flags, parameters, copied, policy.completionTimeout(),
                request.keepSourceDefinition());
    }

    /** Bytes per second as libvirt's MiB/s, rounded up so a small cap does not become "no cap". */
    static long mebibytesPerSecond(long bytesPerSecond) {
        return Math.max(1, (bytesPerSecond + (1 << 20) - 1) >>> 20);
    }

    private static void compression(MigrationPolicy policy, long libvirtVersion) {
        String method = policy.compressionMethod().strip().toLowerCase(Locale.ROOT);
        if (!policy.features().contains(MigrationFeature.MULTIFD)) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_FEATURE_UNSUPPORTED,
                    "COMPRESSION (" + method + ") compresses multifd channels, but the policy does not turn on MULTIFD",
                    "add MULTIFD to the policy's features, or use XBZRLE to send only the changed bytes of pages");
        }
        if (!method.equals("zstd") && !method.equals("zlib")) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_FEATURE_UNSUPPORTED,
                    "the compression method '" + policy.compressionMethod() + "' is not one QEMU's multifd offers",
                    "use zstd (fast, recommended) or zlib");
        }
        if (libvirtVersion < MULTIFD_COMPRESSION_LIBVIRT_VERSION) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_FEATURE_UNSUPPORTED,
                    "the source host's libvirt " + Formats.version(libvirtVersion)
                            + " cannot compress multifd channels (" + method + "): libvirt 9.4.0 added it",
                    "drop COMPRESSION from the policy (MULTIFD alone still helps), or upgrade libvirt on both hosts to"
                            + " 9.4.0 or later");
        }
    }

    /**
     * The address the destination QEMU should listen on: the data URI's host when it is an IP address, so the
     * stream is accepted only there (e.g. inside the tunnel) instead of on every interface.
     */
    private static Optional<String> listenAddress(String dataUri) {
        URI uri;
        try {
            uri = new URI(dataUri);
            if (uri.getAuthority() != null && uri.getHost() == null) {
                throw new URISyntaxException(dataUri, "no valid host and port after //");
            }
        } catch (URISyntaxException e) {
            throw new ExtensionException(KvmErrorCode.MIGRATION_START_FAILED,
                    "the data URI '" + dataUri + "' is not a URI: " + e.getMessage(),
                    "give the migration stream's address as tcp://ADDRESS:PORT, e.g. tcp://10.99.0.3:49152");
        }
        String host = uri.getHost();
        if (host == null) {
            return Optional.empty(); // e.g. unix:///path: nothing to listen on
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean ipv4 = bare.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.]+");
        return ipv4 || ipv6 ? Optional.of(bare) : Optional.empty();
    }
}
