package io.livcloud.spi.probe;

import java.util.Objects;

/**
 * One fact a probe gathered, with where it came from.
 *
 * @param item what was looked at, e.g. {@code cpu flag vmx} or {@code IA32_FEATURE_CONTROL}
 * @param value what was found, e.g. {@code absent}, {@code 0x5}; for an unreadable item, {@code unreadable}
 * @param source where: a file, a device, an ioctl, a guest boot
 * @param note why it matters or why it could not be read; may be empty
 */
public record Evidence(String item, String value, String source, String note) {

    public Evidence {
        Objects.requireNonNull(item, "item is null");
        Objects.requireNonNull(value, "value is null");
        Objects.requireNonNull(source, "source is null");
        Objects.requireNonNull(note, "note is null");
    }
}
