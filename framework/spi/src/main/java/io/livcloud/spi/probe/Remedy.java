package io.livcloud.spi.probe;

import java.util.Objects;

/**
 * Something that would let this host (or its cloud) do more.
 *
 * @param action what to do, e.g. {@code launch a c8i instance with CpuOptions.NestedVirtualization=enabled}
 * @param effect what it would give, e.g. {@code HARDWARE instead of SOFTWARE}
 */
public record Remedy(String action, String effect) {

    public Remedy {
        Objects.requireNonNull(action, "action is null");
        Objects.requireNonNull(effect, "effect is null");
    }
}
