package io.livcloud.plugin.kvm.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.livcloud.spi.hypervisor.Accelerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The functional test's reading of a console, with a shell script standing in for QEMU (the real one: the IT). */
class QemuGuestBootTest {

    @TempDir
    Path folder;

    @Test
    void theUserSpaceLineEndsTheBootInTime() throws IOException {
        GuestBoot.Outcome outcome = boot("echo 'SeaBIOS'; echo 'Run /init' >&2; sleep 0.2; echo '"
                + QemuGuestBoot.USER_SPACE_LINE + "'; exec sleep 60", Duration.ofSeconds(30));

        assertThat(outcome.reachedUserSpace()).isTrue();
        assertThat(outcome.started()).isTrue();
        assertThat(outcome.elapsed()).isLessThan(Duration.ofSeconds(10));
        assertThat(outcome.detail()).endsWith(" -accel kvm -nographic -no-reboot -m 128 -kernel /boot/vmlinuz"
                + " -initrd /boot/initrd -append console=ttyS0 panic=-1: reached user space; last console line: "
                + QemuGuestBoot.USER_SPACE_LINE);
    }

    @Test
    void aGuestThatEndsOrHangsBeforeUserSpaceSaysWhereItStopped() throws IOException {
        GuestBoot.Outcome ended = boot("echo 'Kernel panic - not syncing'; echo; exit 1", Duration.ofSeconds(30));
        GuestBoot.Outcome hung = boot("echo 'Booting the kernel'; exec sleep 60", Duration.ofMillis(300));

        assertThat(ended.reachedUserSpace()).isFalse();
        assertThat(ended.started()).isTrue();
        assertThat(ended.detail()).endsWith(": exited with 1 before user space; last console line: Kernel panic"
                + " - not syncing");
        assertThat(hung.reachedUserSpace()).isFalse();
        assertThat(hung.detail()).endsWith(": no user space within PT0.3S; last console line: Booting the kernel");
    }

    @Test
    void aMissingEmulatorDidNotStart() {
        GuestBoot.Outcome outcome = new QemuGuestBoot(folder.resolve("qemu-system-x86_64").toString(),
                Path.of("/boot/vmlinuz"), Path.of("/boot/initrd")).boot(Accelerator.TCG, Duration.ofSeconds(30));

        assertThat(outcome.started()).isFalse();
        assertThat(outcome.reachedUserSpace()).isFalse();
        assertThat(outcome.detail()).startsWith("cannot run '" + folder.resolve("qemu-system-x86_64")
                + " -accel tcg").endsWith("is not an executable file");
    }

    private GuestBoot.Outcome boot(String console, Duration timeout) throws IOException {
        Path qemu = folder.resolve("qemu");
        Files.writeString(qemu, "#!/bin/sh\n" + console + "\n");
        Files.setPosixFilePermissions(qemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new QemuGuestBoot(qemu.toString(), Path.of("/boot/vmlinuz"), Path.of("/boot/initrd"))
                .boot(Accelerator.KVM, timeout);
    }
}
