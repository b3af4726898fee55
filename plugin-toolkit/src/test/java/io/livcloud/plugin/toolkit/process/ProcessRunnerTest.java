package io.livcloud.plugin.toolkit.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livcloud.spi.ExtensionException;
import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner against real programs (sh, sleep, cat, head): streams, input, deadlines, process trees, daemons. */
class ProcessRunnerTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final ProcessRunner runner = new ProcessRunner();
    private final List<Long> leftBehind = new ArrayList<>();

    @AfterEach
    void endWhatATestLeftBehind() {
        leftBehind.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void runsAProgramToItsEndWithItsExitCodeAndBothStreamsApart() {
        CommandResult result = runner.run(sh("echo out; echo err >&2; echo more; exit 3"));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\nmore\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.timedOut()).isFalse();
    }

    @Test
    void deliversStandardInputAndGivesEndOfFileWithoutIt() {
        assertThat(runner.run(HostCommand.of(LONG, "cat").withStdin("line one\nline two".getBytes(UTF_8))).stdout())
                .isEqualTo("line one\nline two");
        assertThat(runner.run(HostCommand.of(LONG, "cat")).stdout()).isEmpty();
    }

    @Test
    void aProgramWritingMegabytesToBothStreamsAndReadingAMegabyteNeverBlocks() {
        byte[] input = new byte[2 * 1024 * 1024];
        Arrays.fill(input, (byte) 'x');

        CommandResult echoed = runner.run(HostCommand.of(LONG, "cat").withStdin(input));
        CommandResult both = runner.run(sh("head -c 3000000 /dev/zero | tr '\\0' a; head -c 3000000 /dev/zero"
                + " | tr '\\0' b >&2"));

        assertThat(echoed.stdout()).hasSize(input.length);
        assertThat(both.stdout()).hasSize(3_000_000).doesNotContain("b");
        assertThat(both.stderr()).hasSize(3_000_000).doesNotContain("a");
    }

    @Test
    void atItsTimeoutAProgramAndTheChildItStartedAreStopped() {
        long start = System.nanoTime();
        CommandResult result = runner.run(HostCommand.of(Duration.ofMillis(500), "sh", "-c",
                "sleep 60 & echo $!; echo partial >&2; wait"));

        assertThat(result.timedOut()).isTrue();
        assertThat(result.exitCode()).isEqualTo(CommandResult.TIMED_OUT);
        assertThat(result.stderr()).isEqualTo("partial\n");
        assertGone(Long.parseLong(result.stdout().strip()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aProgramThatIgnoresSigtermIsKilledAfterTheGrace() {
        long start = System.nanoTime();
        // An ignored signal stays ignored across exec, so sleep ignores SIGTERM too.
        CommandResult result = runner.run(HostCommand.of(Duration.ofMillis(300), "sh", "-c",
                "trap '' TERM; sleep 60 & echo $!; wait"));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(result.timedOut()).isTrue();
        assertGone(Long.parseLong(result.stdout().strip()));
        assertThat(took).isGreaterThanOrEqualTo(RunningCommand.STOP_GRACE).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void aMissingProgramIsNamedWithWhereItWasSearched() {
        assertThatThrownBy(() -> runner.run(HostCommand.of(LONG, "livcloud-no-such-program", "--flag")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ProcessErrorCode.PROGRAM_NOT_FOUND);
                    assertThat(e.errorCode().code()).isEqualTo("PROCESS_PROGRAM_NOT_FOUND");
                    assertThat(e.getMessage()).isEqualTo("cannot run 'livcloud-no-such-program --flag':"
                            + " livcloud-no-such-program is not installed (not on PATH, nor in /usr/local/sbin,"
                            + " /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin)");
                    assertThat(e.remedy()).isEqualTo("install livcloud-no-such-program, or put the folder that holds"
                            + " it on PATH");
                });
        assertThatThrownBy(() -> runner.run(HostCommand.of(LONG, "/nonexistent/program")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ProcessErrorCode.PROGRAM_NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("cannot run '/nonexistent/program': /nonexistent/program"
                            + " is not an executable file");
                });
    }

    @Test
    void aProgramTheSystemRefusesToStartIsAStartFailure(@TempDir Path folder) throws IOException {
        Path script = executable(folder.resolve("broken"), "#!/nonexistent/interpreter\n");

        assertThatThrownBy(() -> runner.run(HostCommand.of(LONG, script.toString())))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ProcessErrorCode.START_FAILED);
                    assertThat(e.errorCode().code()).isEqualTo("PROCESS_START_FAILED");
                    assertThat(e.getMessage()).startsWith("cannot start '" + script + "': ");
                });
    }

    @Test
    void extraEnvironmentReachesTheProgramOverTheRunnersOwn() {
        CommandResult result = runner.run(sh("echo \"$LIVCLOUD_TEST_VALUE $LC_ALL\""),
                Map.of("LIVCLOUD_TEST_VALUE", "given"));
        CommandResult overridden = runner.run(sh("echo \"$LC_ALL\""), Map.of("LC_ALL", "C.UTF-8"));

        assertThat(result.stdout()).isEqualTo("given C\n");
        assertThat(overridden.stdout()).isEqualTo("C.UTF-8\n");
    }

    @Test
    void findsProgramsOnPathFirstThenInTheSystemFolders(@TempDir Path folder) throws IOException {
        Path own = executable(folder.resolve("sh"), "#!/bin/sh\necho own\n");
        ProcessRunner withOwnFolder = new ProcessRunner(folder.toString());
        ProcessRunner withoutPath = new ProcessRunner(null);

        assertThat(withOwnFolder.find("sh")).contains(own);
        assertThat(withOwnFolder.run(HostCommand.of(LONG, "sh")).stdout()).isEqualTo("own\n");
        assertThat(withoutPath.find("sh")).hasValueSatisfying(path -> assertThat(ProcessRunner.SYSTEM_FOLDERS)
                .contains(path.getParent().toString()));
        assertThat(withoutPath.find(own.toString())).contains(own);
        assertThat(withoutPath.find("livcloud-no-such-program")).isEmpty();
        // The program's own PATH is the runner's search path, so what it starts is found the same way.
        assertThat(withOwnFolder.run(HostCommand.of(LONG, "env")).stdout())
                .contains("PATH=" + folder + ":/usr/local/sbin:");
    }

    @Test
    void runUntilStopsTheProgramAtTheFirstMatchingLineOfEitherStream() {
        List<String> seen = new ArrayList<>();
        long start = System.nanoTime();

        CommandResult result = runner.runUntil(HostCommand.of(LONG, "sh", "-c",
                "echo booting; sleep 0.2; echo 'user space up' >&2; sleep 5; echo after; sleep 60"), line -> {
                    seen.add(line);
                    return line.contains("user space");
                });

        assertThat(seen).containsExactly("booting", "user space up");
        assertThat(result.timedOut()).isFalse();
        assertThat(result.exitCode()).isEqualTo(128 + 15); // SIGTERM
        assertThat(result.stderr()).isEqualTo("user space up\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void runUntilReturnsAtTheProgramsEndOrItsTimeoutWithoutTheLine() {
        List<String> seen = new ArrayList<>();

        CommandResult ended = runner.runUntil(sh("echo one; printf 'two\\r\\nthree\\rfour'; exit 4"), line -> {
            seen.add(line);
            return false;
        });
        CommandResult timedOut = runner.runUntil(HostCommand.of(Duration.ofMillis(300), "sleep", "60"),
                line -> true);

        assertThat(ended.exitCode()).isEqualTo(4);
        assertThat(ended.stdout()).isEqualTo("one\ntwo\r\nthree\rfour");
        assertThat(seen).containsExactly("one", "two", "three", "four");
        assertThat(timedOut.timedOut()).isTrue();
    }

    @Test
    void aStartedCommandRunsUntilItIsStoppedAndHandsOnItsLines() {
        List<String> lines = new ArrayList<>();
        try (RunningCommand running = runner.start(HostCommand.of(LONG, "sh", "-c", "echo hello; exec sleep 60"),
                Map.of(), lines::add)) {
            assertThat(running.awaitEnd(Duration.ofMillis(200))).isFalse();
            assertThat(ProcessHandle.of(running.pid())).hasValueSatisfying(
                    process -> assertThat(process.isAlive()).isTrue());

            CommandResult stopped = running.stop();

            assertThat(stopped.stdout()).isEqualTo("hello\n");
            assertThat(lines).containsExactly("hello");
            assertThat(running.awaitEnd(Duration.ZERO)).isTrue();
            assertThat(running.await()).isSameAs(stopped);
        }
    }

    @Test
    void aProgramThatLeavesADaemonHoldingItsOutputStillReturnsAtItsEnd() {
        long start = System.nanoTime();

        CommandResult result = runner.run(sh("sleep 30 & echo $!"));

        leftBehind.add(Long.parseLong(result.stdout().strip()));
        assertThat(result.exitCode()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anInterruptedCallerStopsTheProgramAndKeepsItsInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> runner.run(HostCommand.of(LONG, "sleep", "60")))
                    .isInstanceOfSatisfying(ExtensionException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ProcessErrorCode.INTERRUPTED);
                        assertThat(e.getMessage()).isEqualTo("interrupted while running 'sleep 60'; it was stopped");
                    });
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aDaemonOutlivesTheCallWithBothStreamsAppendedToItsLog(@TempDir Path folder) throws Exception {
        Path log = folder.resolve("daemon.log");
        Files.writeString(log, "=== earlier\n");

        ProcessHandle daemon = runner.startDaemon(List.of("sh", "-c", "echo \"started $NAME\"; echo oops >&2;"
                + " exec sleep 60"), Map.of("NAME", "here"), log);
        leftBehind.add(daemon.pid());

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.readString(log).contains("oops") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(log)).startsWith("=== earlier\n").contains("started here\n", "oops\n");
        assertThat(daemon.isAlive()).isTrue();
        assertThatThrownBy(() -> runner.startDaemon(List.of("livcloud-no-such-daemon"), Map.of(), log))
                .isInstanceOfSatisfying(ExtensionException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ProcessErrorCode.PROGRAM_NOT_FOUND));
        assertThatThrownBy(() -> runner.startDaemon(List.of("sleep", "1"), Map.of(), folder.resolve("no/such.log")))
                .isInstanceOfSatisfying(ExtensionException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ProcessErrorCode.START_FAILED);
                    assertThat(e.getMessage()).startsWith("cannot start 'sleep 1' with its output in "
                            + folder.resolve("no/such.log"));
                });
    }

    private static HostCommand sh(String script) {
        return HostCommand.of(LONG, "sh", "-c", script);
    }

    private static Path executable(Path path, String content) throws IOException {
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    private static void assertGone(long pid) {
        Optional<ProcessHandle> child = ProcessHandle.of(pid);
        // The child was the shell's, now reparented: gone, or a zombie its new parent has yet to collect.
        assertThat(child.map(ProcessRunnerTest::running).orElse(false)).as("process %d still runs", pid).isFalse();
    }

    private static boolean running(ProcessHandle process) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
