package io.livcloud.spi;

import java.util.Objects;

/**
 * The answer of {@link ExtensionFactory#isSupported}: whether an extension can work here, and if not, why and what
 * would change that.
 *
 * @param supported whether the extension can be created and used here
 * @param reason why not (empty when supported), in one sentence that names the missing thing
 * @param remedy what the user can do about it (empty when supported or when nothing can be done)
 */
public record Support(boolean supported, String reason, String remedy) {

    public Support {
        Objects.requireNonNull(reason, "reason is null");
        Objects.requireNonNull(remedy, "remedy is null");
        if (!supported && reason.isBlank()) {
            throw new IllegalArgumentException("an unsupported extension must say why");
        }
    }

    /** The extension can work here. */
    public static Support yes() {
        return new Support(true, "", "");
    }

    /**
     * The extension cannot work here.
     *
     * @param reason what is missing or wrong, e.g. "charon is not installed"
     * @param remedy what would fix it, e.g. "apt-get install strongswan-charon"
     */
    public static Support no(String reason, String remedy) {
        return new Support(false, reason, remedy);
    }
}
