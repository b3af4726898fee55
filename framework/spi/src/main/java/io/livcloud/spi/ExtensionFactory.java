package io.livcloud.spi;

import java.util.List;
import org.pf4j.ExtensionPoint;

/**
 * A stateless factory for one kind of LivCloud extension, discovered by the host in a plugin.
 *
 * <p>The host instantiates each factory once when the plugin starts and keeps it for the life of the runtime. It
 * first reads {@link #name()} and {@link #settings()}, validates the user's configuration against those settings, and
 * only then calls {@link #isSupported} and {@link #create}. Implementations must therefore be cheap to construct, hold
 * no state and do no I/O before {@code isSupported} or {@code create} is called.
 *
 * <p>Implementations are annotated with PF4J's {@code @Extension} so PF4J's annotation processor indexes them.
 *
 * @param <T> the object this factory creates; the caller owns it and closes it
 */
public interface ExtensionFactory<T extends AutoCloseable> extends ExtensionPoint {

    /**
     * The name users write in configuration to choose this extension, e.g. {@code kvm}. Unique among the factories of
     * the same kind across all installed plugins; lower case letters, digits and dashes, starting with a letter.
     */
    String name();

    /** A one-line description shown by {@code livcloud plugins}. */
    default String description() {
        return "";
    }

    /**
     * The settings this extension reads from its configuration section
     * ({@code livcloud.extensions.<kind>.<name>}). The host rejects keys not listed here, with a spelling suggestion,
     * and checks types and required values before anything is created. Defaults belong in the plugin's
     * {@code reference.conf}.
     */
    default List<Setting> settings() {
        return List.of();
    }

    /**
     * Says whether this extension can work on this machine with this configuration, and if not, why and what would
     * fix it (for example: "libvirt is not installed; apt-get install libvirt0"). Called by the host before
     * {@link #create} and by {@code livcloud plugins}; it may probe the machine but must not change it.
     *
     * @param config this extension's validated configuration section
     */
    default Support isSupported(ExtensionConfig config) {
        return Support.yes();
    }

    /**
     * Creates the working object. Called by the host when a command or an embedding application first needs this
     * extension; the caller closes the returned object.
     *
     * @param config this extension's validated configuration section
     * @param context the host services this extension may use
     * @return a new object owned by the caller
     * @throws ExtensionException when the extension cannot be created; its message names the cause and the fix
     */
    T create(ExtensionConfig config, ExtensionContext context);
}
