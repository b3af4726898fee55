package io.livcloud.plugin.kvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.host.CommandResult;
import io.livcloud.spi.host.HostCommand;
import io.livcloud.spi.hypervisor.Accelerator;
import io.livcloud.testing.Prerequisites;
import io.livcloud.testing.plugin.LocalHostAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shell scripts the remote probe runs on a host, run here by a real {@code sh} on ordinary files and a shell
 * script standing in for QEMU: what the fixtures of {@link RemoteHostRegisterProbeTest} assume of them.
 */
class RemoteScriptsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path folder;

    private final LocalHostAccess host = LocalHostAccess.processes();

    private CommandResult sh(String script, String... arguments) {
        String[] argv = new String[arguments.length + 4];
        argv[0] = "sh";
        argv[1] = "-c";
        argv[2] = script;
        argv[3] = "sh";
        System.arraycopy(arguments, 0, argv, 4, arguments.length);
        return host.run(HostCommand.of(TIMEOUT, argv));
    }

    @Test
    void readAtTakesTheOffsetInBytesAndCarriesDdsFailureOut() throws IOException {
        byte[] content = new byte[256];
        IntStream.range(0, 256).forEach(i -> content[i] = (byte) i);
        Path device = Files.write(folder.resolve("device"), content);

        CommandResult read = sh(RemoteHostDevices.READ_AT, device.toString(), "8", "58");
        CommandResult absent = sh(RemoteHostDevices.READ_AT, folder.resolve("none").toString(), "8", "58");
        CommandResult failed = sh(RemoteHostDevices.READ_AT, folder.toString(), "8", "0");

        assertThat(read.exitCode()).isZero();
        assertThat(read.stdout().strip()).isEqualTo("3a 3b 3c 3d 3e 3f 40 41");
        assertThat(absent.exitCode()).isEqualTo(RemoteHostDevices.ABSENT);
        assertThat(failed.exitCode()).as("dd cannot read a folder; od's success must not hide it").isEqualTo(1);
        assertThat(failed.stderr()).contains("dd:", "Is a directory");
    }

    @Test
    void openReadWriteOpensTheFileAndTellsAMissingOne() throws IOException {
        Path device = Files.writeString(folder.resolve("kvm"), "");

        assertThat(sh(RemoteHostDevices.OPEN_READ_WRITE, device.toString()).exitCode()).isZero();
        assertThat(sh(RemoteHostDevices.OPEN_READ_WRITE, folder.resolve("none").toString()).exitCode())
                .isEqualTo(RemoteHostDevices.ABSENT);
    }

    @Test
    void theIoctlScriptRunsWhicheverInterpreterThereIs() throws IOException {
        Prerequisites.requireCommand("perl", "perl-base");
        Path file = Files.writeString(folder.resolve("not-a-device"), "");

        CommandResult onAFile = sh(RemoteHostDevices.IOCTL, RemoteHostDevices.PERL_IOCTL,
                RemoteHostDevices.PYTHON_IOCTL, file.toString(), "0xAE00", "0");
        CommandResult absent = sh(RemoteHostDevices.IOCTL, RemoteHostDevices.PERL_IOCTL,
                RemoteHostDevices.PYTHON_IOCTL, folder.resolve("none").toString(), "0xAE00", "0");

        assertThat(onAFile.exitCode()).isEqualTo(1);
        assertThat(onAFile.stderr()).contains("ioctl 0xAE00 on " + file, "Inappropriate ioctl");
        assertThat(absent.exitCode()).isEqualTo(RemoteHostDevices.ABSENT);
    }

    @Test
    void thePythonIoctlAnswersAsThePerlOne() throws IOException {
        Prerequisites.requireCommand("python3", "python3-minimal");
        Path file = Files.writeString(folder.resolve("not-a-device"), "");

        CommandResult onAFile = host.run(HostCommand.of(TIMEOUT, "python3", "-c", RemoteHostDevices.PYTHON_IOCTL,
                file.toString(), "0xAE00", "0"));

        assertThat(onAFile.exitCode()).isEqualTo(1);
        assertThat(onAFile.stderr()).contains("ioctl 0xAE00 on " + file, "Inappropriate ioctl");
    }

    @Test
    void theBootEndsAtTheUserSpaceLineAndTheFolderIsRemovedAfterwards() throws Exception {
        Path qemu = qemu("echo 'SeaBIOS'; echo 'Run /init' >&2; sleep 0.2; echo '" + QemuGuestBoot.USER_SPACE_LINE
                + " arch=x86_64'; while :; do echo 'livcloud-heartbeat'; sleep 0.1; done");
        String remoteFolder;
        GuestBoot.Outcome outcome;
        try (RemoteGuestBoot boot = copy(qemu)) {
            remoteFolder = boot.folder();
            assertThat(Path.of(remoteFolder, "vmlinuz")).hasContent("kernel");
            assertThat(Files.getPosixFilePermissions(Path.of(remoteFolder)))
                    .isEqualTo(PosixFilePermissions.fromString("rwx------"));
            outcome = boot.boot(Accelerator.KVM, Duration.ofSeconds(30));
        }

        assertThat(outcome.reachedUserSpace()).isTrue();
        assertThat(outcome.started()).isTrue();
        assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.detail()).isEqualTo(qemu + " -accel kvm -nographic -no-reboot -m 128 -kernel "
                + remoteFolder + "/vmlinuz -initrd " + remoteFolder + "/initrd -append console=ttyS0 panic=-1: "
                + "reached user space; last console line: " + QemuGuestBoot.USER_SPACE_LINE + " arch=x86_64");
        assertThat(Path.of(remoteFolder)).doesNotExist();
    }

    @Test
    void aGuestThatHangsIsStoppedAtTheTimeoutAndOneThatEndsSaysHow() throws Exception {
        Path hangs = qemu("echo 'Booting the kernel'; exec sleep 60");
        Path ends = folder.resolve("panics");
        Files.writeString(ends, "#!/bin/sh\necho 'Kernel panic - not syncing'; exit 1\n");
        Files.setPosixFilePermissions(ends, PosixFilePermissions.fromString("rwxr-xr-x"));
        GuestBoot.Outcome hung;
        try (RemoteGuestBoot boot = copy(hangs)) {
            long start = System.nanoTime();
            hung = boot.boot(Accelerator.TCG, Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
        GuestBoot.Outcome ended;
        try (RemoteGuestBoot boot = copy(ends)) {
            ended = boot.boot(Accelerator.TCG, Duration.ofSeconds(30));
        }

        assertThat(hung.reachedUserSpace()).isFalse();
        assertThat(hung.started()).isTrue();
        assertThat(hung.detail()).endsWith(": no user space within PT1S; last console line: Booting the kernel");
        assertThat(ended.detail()).endsWith(": exited with 1 before user space; last console line: Kernel panic"
                + " - not syncing");
    }

    @Test
    void aMissingEmulatorDidNotStart() throws Exception {
        GuestBoot.Outcome outcome;
        try (RemoteGuestBoot boot = copy(folder.resolve("qemu-system-x86_64"))) {
            outcome = boot.boot(Accelerator.TCG, Duration.ofSeconds(30));
        }

        assertThat(outcome.started()).isFalse();
        assertThat(outcome.detail()).startsWith("cannot run '" + folder.resolve("qemu-system-x86_64")
                + " -accel tcg").contains("on test processes on this machine: ").contains("not found");
    }

    private RemoteGuestBoot copy(Path qemu) throws IOException, RemoteGuestBoot.NotCopied {
        Path kernel = Files.writeString(folder.resolve("vmlinuz"), "kernel");
        Path initrd = Files.writeString(folder.resolve("initrd"), "initrd");
        return RemoteGuestBoot.copyTo(host, qemu.toString(), kernel, initrd, System.getLogger("test"));
    }

    private Path qemu(String console) throws IOException {
        Path qemu = folder.resolve("qemu");
        Files.writeString(qemu, "#!/bin/sh\n" + console + "\n");
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        return qemu;
    }
}
