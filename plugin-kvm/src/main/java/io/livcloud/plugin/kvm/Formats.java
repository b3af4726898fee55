package io.livcloud.plugin.kvm;

import java.time.Duration;
import java.util.Locale;

/** Figures as people read them in messages. */
final class Formats {

    private Formats() {
    }

    /** Bytes: {@code 512 B}, {@code 1.5 KiB}, {@code 256.0 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A duration: {@code 15 ms}, {@code 2.3 s}. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** A libvirt-encoded version ({@code major * 1,000,000 + minor * 1,000 + micro}): 9000000 is {@code 9.0.0}. */
    static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }
}
