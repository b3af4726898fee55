package io.livcloud.labtools;

import io.livcloud.LivCloudException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code virsh} against one libvirt URI: the lab commands define and start guests with it (defining VMs is not
 * LivCloud's job), and the bench's baseline is, on purpose, plain virsh.
 */
final class Virsh {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    /**
     * What a virsh command printed (standard output and error together) and returned.
     *
     * @param exitCode its exit code, -1 when it did not end in time
     * @param output its output
     */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final String uri;

    Virsh(String uri) {
        this.uri = uri;
    }

    String uri() {
        return uri;
    }

    /** Runs a command to its end, or for at most a minute. */
    Result run(String... arguments) {
        Process process = start(arguments);
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new LivCloudException("cannot read what virsh printed: " + e.getMessage(), "");
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LivCloudException("interrupted while running virsh", "");
        }
    }

    /** Runs a command that must succeed, for this reason. */
    String must(String why, String... arguments) {
        Result result = run(arguments);
        if (!result.succeeded()) {
            throw new LivCloudException("virsh could not " + why + ": " + result.output().strip(),
                    "livcloud lab status shows the sites");
        }
        return result.output();
    }

    /** Starts a command and returns at once; its output (with its errors) is read from the process. */
    Process start(String... arguments) {
        List<String> command = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            return process;
        } catch (IOException e) {
            throw new LivCloudException("cannot run virsh: " + e.getMessage(), "apt-get install libvirt-clients");
        }
    }

    /** Destroys and undefines a domain, whatever state it is in; a domain that is not there is fine. */
    void remove(String vm) {
        run("destroy", vm);
        run("undefine", vm);
    }
}
