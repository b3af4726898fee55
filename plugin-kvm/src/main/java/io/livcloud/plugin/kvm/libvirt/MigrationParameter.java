package io.livcloud.plugin.kvm.libvirt;

import java.util.Objects;

/**
 * One typed migration parameter ({@code virTypedParameter}) of {@code virDomainMigrateToURI3}.
 *
 * @param name libvirt's name, one of the constants here ({@code VIR_MIGRATE_PARAM_*})
 * @param type the C type libvirt expects for that name
 * @param value a {@link String}, {@link Integer} or {@link Long}, after {@code type}
 */
public record MigrationParameter(String name, Type type, Object value) {

    /** {@code VIR_MIGRATE_PARAM_URI}: where the source QEMU sends the stream, e.g. {@code tcp://10.99.0.3:49152}. */
    public static final String URI = "migrate_uri";
    /** {@code VIR_MIGRATE_PARAM_LISTEN_ADDRESS}: the address the destination QEMU listens on. */
    public static final String LISTEN_ADDRESS = "listen_address";
    /** {@code VIR_MIGRATE_PARAM_BANDWIDTH}: the stream's cap in MiB/s. */
    public static final String BANDWIDTH = "bandwidth";
    /** {@code VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS}: the number of multifd channels. */
    public static final String PARALLEL_CONNECTIONS = "parallel.connections";
    /** {@code VIR_MIGRATE_PARAM_COMPRESSION}: a compression method; may repeat. */
    public static final String COMPRESSION = "compression";
    /** {@code VIR_MIGRATE_PARAM_MIGRATE_DISKS}: a disk target to copy with {@code NON_SHARED_DISK}; may repeat. */
    public static final String MIGRATE_DISKS = "migrate_disks";

    /** The C types used here. */
    public enum Type {
        /** {@code VIR_TYPED_PARAM_STRING}. */
        STRING,
        /** {@code VIR_TYPED_PARAM_INT}. */
        INT,
        /** {@code VIR_TYPED_PARAM_ULLONG}. */
        UNSIGNED_LONG_LONG
    }

    public MigrationParameter {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(value, "value is null");
        Class<?> expected = switch (type) {
            case STRING -> String.class;
            case INT -> Integer.class;
            case UNSIGNED_LONG_LONG -> Long.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("parameter " + name + " of type " + type + " needs a " + expected);
        }
    }

    /** A string parameter. */
    public static MigrationParameter string(String name, String value) {
        return new MigrationParameter(name, Type.STRING, value);
    }

    /** An {@code int} parameter. */
    public static MigrationParameter integer(String name, int value) {
        return new MigrationParameter(name, Type.INT, value);
    }

    /** An {@code unsigned long long} parameter. */
    public static MigrationParameter unsignedLong(String name, long value) {
        return new MigrationParameter(name, Type.UNSIGNED_LONG_LONG, value);
    }

    @Override
    public String toString() {
        return name + "=" + value;
    }
}
