package io.livcloud.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * What lab integration tests need from the machine. Under {@code CI=true} a missing prerequisite FAILS the test with
 * what is missing and how to get it, because CI must prove everything; on a developer's machine the test is aborted
 * with the same message, shown as skipped, never silently.
 */
public final class Prerequisites {

    private static final List<Path> SEARCH_PATH = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/local/bin"),
            Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/sbin"), Path.of("/bin"));

    private Prerequisites() {
    }

    /** Whether this run is CI's. */
    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Requires root (network namespaces, libvirtd, charon). */
    public static void requireRoot() {
        require("root".equals(System.getProperty("user.name")),
                "this test needs root (network namespaces); run the test command as root");
    }

    /** Requires an executable on the usual system path, naming the Debian package that provides it. */
    public static void requireCommand(String command, String debianPackage) {
        boolean found = SEARCH_PATH.stream().map(directory -> directory.resolve(command)).anyMatch(Files::isExecutable);
        require(found, command + " is not installed; run scripts/install-lab-prerequisites.sh as root (package "
                + debianPackage + ")");
    }

    /** Fails under CI, aborts elsewhere, when {@code present} is false. */
    public static void require(boolean present, String whatIsMissingAndHowToGetIt) {
        if (present) {
            return;
        }
        if (inCi()) {
            fail("missing prerequisite (CI=true, so this fails instead of skipping): " + whatIsMissingAndHowToGetIt);
        }
        Assumptions.abort("missing prerequisite: " + whatIsMissingAndHowToGetIt);
    }
}
