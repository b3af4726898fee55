package io.livcloud.spi.hypervisor;

import java.util.Locale;
import java.util.Optional;

/** A guest or host CPU architecture, with its word size: the seed's 32/64-bit question. */
public enum Architecture {
    /** 64-bit x86. */
    X86_64("x86_64", 64),
    /** 32-bit x86. */
    I686("i686", 32),
    /** 64-bit ARM. */
    AARCH64("aarch64", 64);

    private final String canonicalName;
    private final int bits;

    Architecture(String canonicalName, int bits) {
        this.canonicalName = canonicalName;
        this.bits = bits;
    }

    /** The name libvirt and {@code uname -m} use, e.g. {@code x86_64}. */
    public String canonicalName() {
        return canonicalName;
    }

    /** The word size: 32 or 64. */
    public int bits() {
        return bits;
    }

    /** The architecture with this name; accepts the usual aliases ({@code amd64}, {@code i386}, {@code arm64}). */
    public static Optional<Architecture> fromName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "x86_64", "amd64", "x64" -> Optional.of(X86_64);
            case "i686", "i586", "i486", "i386", "x86" -> Optional.of(I686);
            case "aarch64", "arm64" -> Optional.of(AARCH64);
            default -> Optional.empty();
        };
    }
}
