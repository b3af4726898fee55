package io.livcloud.core.plugin;

/** Turns a plugin's exception into the one line users see. */
final class Failures {

    private Failures() {
    }

    /**
     * The innermost cause's type and message; for a class the host does not share, also what to do about it.
     */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        String line = root.getClass().getSimpleName() + message;
        if (root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException) {
            line += " (a plugin sees only its own jars and the host's " + HostSharingClassLoader.sharedPackagesForPeople()
                    + "; bundle other libraries in the plugin's lib/)";
        }
        return line;
    }
}
