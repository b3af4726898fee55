package io.livcloud.plugin.kvm;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * What an integration test needs from the machine. Missing on a developer's machine: the test is skipped with the
 * reason. Missing under CI ({@code CI=true}): the test fails with the reason, so a CI machine cannot silently test
 * less.
 */
final class Prerequisites {

    private Prerequisites() {
    }

    /**
     * @param present whether the prerequisite is there
     * @param missing what is missing and how to get it, e.g. "libvirt0 is not installed: apt-get install libvirt0"
     */
    static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI=true and a prerequisite of this test is missing: " + missing);
        }
        Assumptions.abort("skipped, a prerequisite is missing (under CI=true this fails): " + missing);
    }
}
