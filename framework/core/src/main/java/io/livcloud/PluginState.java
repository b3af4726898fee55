package io.livcloud;

/** Where an installed plugin stands, as {@code livcloud plugins} shows it. */
public enum PluginState {
    /** Loaded and started; its extensions are available. */
    STARTED,
    /** Could not be loaded or started; {@link PluginStatus#failure()} says why. Its extensions are not available. */
    FAILED,
    /** Not loaded because configuration says so ({@code livcloud.plugins.disabled}). */
    DISABLED
}
