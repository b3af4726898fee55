package io.livcloud.plugin.kvm.libvirt;

/** The {@code virDomainMigrateFlags} the plugin uses, with libvirt's values. */
public enum MigrationFlag {
    /** {@code VIR_MIGRATE_LIVE}: keep the guest running while memory is copied. */
    LIVE(1L),
    /** {@code VIR_MIGRATE_PEER2PEER}: the source libvirtd connects to the destination libvirtd itself. */
    PEER2PEER(1L << 1),
    /** {@code VIR_MIGRATE_PERSIST_DEST}: define the domain persistently on the destination. */
    PERSIST_DEST(1L << 3),
    /** {@code VIR_MIGRATE_UNDEFINE_SOURCE}: remove the source's definition on success. */
    UNDEFINE_SOURCE(1L << 4),
    /** {@code VIR_MIGRATE_NON_SHARED_DISK}: copy the disks that are not shared (all of them, or those listed). */
    NON_SHARED_DISK(1L << 6),
    /** {@code VIR_MIGRATE_COMPRESSED}: compress with the methods given as {@code compression} parameters. */
    COMPRESSED(1L << 11),
    /** {@code VIR_MIGRATE_ABORT_ON_ERROR}: abort on an I/O error during migration. */
    ABORT_ON_ERROR(1L << 12),
    /** {@code VIR_MIGRATE_AUTO_CONVERGE}: throttle the guest's vCPUs when pre-copy does not converge. */
    AUTO_CONVERGE(1L << 13),
    /** {@code VIR_MIGRATE_POSTCOPY}: allow switching to post-copy ({@code virDomainMigrateStartPostCopy}). */
    POSTCOPY(1L << 15),
    /** {@code VIR_MIGRATE_TLS}: QEMU's TLS on the migration stream. */
    TLS(1L << 16),
    /** {@code VIR_MIGRATE_PARALLEL}: several connections (QEMU multifd). */
    PARALLEL(1L << 17);

    private final long value;

    MigrationFlag(long value) {
        this.value = value;
    }

    /** libvirt's bit. */
    public long value() {
        return value;
    }
}
