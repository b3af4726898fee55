package io.livcloud.labtools;

import io.livcloud.LivCloudException;
import io.livcloud.plugin.toolkit.process.ProcessRunner;
import io.livcloud.plugin.toolkit.process.RunningCommand;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code virsh} against one libvirt URI: the lab commands define and start guests with it (defining VMs is not
 * LivCloud's job), and the bench's baseline is, on purpose, plain virsh.
 */
final class Virsh {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final ProcessRunner PROCESSES = new ProcessRunner();

    private final String uri;

    Virsh(String uri) {
        this.uri = uri;
    }

    String uri() {
        return uri;
    }

    /** Runs a command to its end, or for at most a minute ({@link CommandResult#timedOut()} then). */
    CommandResult run(String... arguments) {
        return PROCESSES.run(command(COMMAND_TIMEOUT, arguments));
    }

    /** Runs a command that must succeed, for this reason. */
    void must(String why, String... arguments) {
        CommandResult result = run(arguments);
        if (!result.succeeded()) {
            throw new LivCloudException("virsh could not " + why + ": " + result.output(),
                    "livcloud lab status shows the sites");
        }
    }

    /**
     * Starts a command that runs for long (a migration) and returns at once; the caller watches it
     * ({@link RunningCommand#awaitEnd}) and stops it itself, {@code timeout} applies when it waits with
     * {@link RunningCommand#await()}.
     */
    RunningCommand start(Duration timeout, String... arguments) {
        return PROCESSES.start(command(timeout, arguments), Map.of(), line -> { });
    }

    /** Destroys and undefines a domain, whatever state it is in; a domain that is not there is fine. */
    void remove(String vm) {
        run("destroy", vm);
        run("undefine", vm);
    }

    private HostCommand command(Duration timeout, String... arguments) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        argv.addAll(List.of(arguments));
        return HostCommand.of(timeout, argv);
    }
}
