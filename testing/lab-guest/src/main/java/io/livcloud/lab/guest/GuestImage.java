package io.livcloud.lab.guest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A built lab guest: the kernel and the initramfs that QEMU boots directly (no disk).
 *
 * @param architecture {@code x86_64} or {@code i686}, as libvirt's {@code <type arch=...>} names it
 * @param kernel the kernel image ({@code vmlinuz})
 * @param initramfs the gzip-compressed initramfs with busybox, {@code /init} and the workload
 */
public record GuestImage(String architecture, Path kernel, Path initramfs) {

    public GuestImage {
        LabGuest.requireArchitecture(architecture);
        requireNonNull(kernel, "kernel is null");
        requireNonNull(initramfs, "initramfs is null");
    }
}
