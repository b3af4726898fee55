package io.livcloud.plugin.kvm.probe;

import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.time.Duration;

/** What the remote forms of a probe's reads share: how long one may take, and how a failed one reads as evidence. */
final class OverHostAccess {

    /** For one read or check on the host: each is a small program that answers at once on a healthy host. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private OverHostAccess() {
    }

    /** A reason for evidence that could not be gathered through the host access. */
    static String unreadable(String why) {
        return "unreadable over host access: " + why;
    }

    /** How a command failed, e.g. {@code 'dd if=…' exited with 1: dd: error reading …: Input/output error}. */
    static String failure(HostCommand command, CommandResult result) {
        String output = result.output().lines().filter(line -> !line.isBlank()).findFirst().orElse("no output");
        return "'" + command.display() + "' " + (result.timedOut() ? "took longer than " + command.timeout()
                : "exited with " + result.exitCode()) + ": " + output;
    }
}
