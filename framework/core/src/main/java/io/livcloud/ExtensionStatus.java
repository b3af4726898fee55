package io.livcloud;

import io.livcloud.spi.ExtensionKind;
import io.livcloud.spi.Support;
import java.util.Objects;

/**
 * An extension a started plugin provides.
 *
 * @param kind its extension point
 * @param name the name configuration uses for it
 * @param description one line from the plugin
 * @param support whether it can work on this machine with this configuration, and if not, why
 */
public record ExtensionStatus(ExtensionKind kind, String name, String description, Support support) {

    public ExtensionStatus {
        Objects.requireNonNull(kind, "kind is null");
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(description, "description is null");
        Objects.requireNonNull(support, "support is null");
    }
}
