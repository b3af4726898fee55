package io.livcloud.spi;

/**
 * The value types a {@link Setting} may declare. The host checks each configured value against its type and reports
 * a mismatch with the file and line it came from.
 */
public enum SettingType {
    /** Any string. */
    STRING,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A whole number within the setting's bounds. */
    INTEGER,
    /** A HOCON duration such as {@code 30s} or {@code 500ms}. */
    DURATION,
    /** A HOCON size in bytes such as {@code 256MiB}. */
    BYTES,
    /** A file system path. */
    PATH,
    /** One of the setting's allowed values. */
    ENUM,
    /** A list of strings. */
    STRING_LIST,
    /** A nested object whose keys the extension checks itself. */
    OBJECT
}
