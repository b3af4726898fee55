package io.livcloud.plugin.lab;

import java.util.function.Supplier;

/**
 * Runs code that reaches into Apache MINA SSHD with this plugin's class loader as the thread's context class loader.
 * MINA finds its own parts (security registrars, its I/O service factory) through the context class loader first; a
 * host that has its own MINA on its class path (as a plugin's integration test does) would hand it that copy, whose
 * classes are not this plugin's, and MINA would fail with a ClassCastException. MINA's I/O threads, made inside,
 * inherit the right loader.
 */
final class PluginClassLoader {

    private PluginClassLoader() {
    }

    /** The action's result, computed with this plugin's class loader as the context class loader. */
    static <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(PluginClassLoader.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
