package io.livcloud.plugin.kvm.probe;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * This machine's devices. CPUID and MSRs are read from the {@code cpuid} and {@code msr} drivers' character devices
 * (the file offset selects the leaf or register); {@code /dev/kvm} is opened with libc's {@code open} and queried with
 * {@code ioctl} through JNA, because the JDK has no ioctl.
 */
public final class LinuxHostDevices implements HostDevices {

    static final String CPUID = "/dev/cpu/0/cpuid";
    static final String MSR = "/dev/cpu/0/msr";
    static final String KVM = "/dev/kvm";
    static final String CPUID_ABSENT = "the cpuid driver is not loaded: modprobe cpuid where CONFIG_X86_CPUID=m; "
            + "impossible where it is not set or CONFIG_MODULES is not set (see those items)";
    static final String MSR_ABSENT = "the msr driver is not loaded: modprobe msr where CONFIG_X86_MSR=m; "
            + "impossible where it is not set or CONFIG_MODULES is not set (see those items)";
    static final String KVM_ABSENT = "no KVM module loaded or built in";
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final long KVM_GET_API_VERSION = 0xAE00L;
    private static final long KVM_CHECK_EXTENSION = 0xAE03L;

    /** libc through JNA; loaded on first use so that merely constructing this class does no I/O. */
    interface LibC extends Library {
        int open(String path, int flags) throws LastErrorException;

        int ioctl(int fd, NativeLong request, long argument) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }

    @Override
    public Reading<int[]> cpuid(long leaf) {
        return cpuidRegisters(readAt(CPUID, leaf, 16, CPUID_ABSENT));
    }

    @Override
    public Reading<Long> msr(long register) {
        return msrValue(readAt(MSR, register, 8, MSR_ABSENT));
    }

    /** EAX, EBX, ECX and EDX from the 16 little-endian bytes the cpuid device gives for a leaf. */
    static Reading<int[]> cpuidRegisters(Reading<ByteBuffer> raw) {
        return raw.value()
                .map(buffer -> Reading.read(new int[] {buffer.getInt(), buffer.getInt(), buffer.getInt(),
                        buffer.getInt()}))
                .orElseGet(() -> Reading.withoutValue(raw));
    }

    /** A register's value from the 8 little-endian bytes the msr device gives. */
    static Reading<Long> msrValue(Reading<ByteBuffer> raw) {
        return raw.value().map(buffer -> Reading.read(buffer.getLong())).orElseGet(() -> Reading.withoutValue(raw));
    }

    private static Reading<ByteBuffer> readAt(String device, long offset, int length, String absentReason) {
        Path path = Path.of(device);
        if (!Files.exists(path)) {
            return Reading.absent(device + " does not exist: " + absentReason);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            int read = channel.read(buffer, offset);
            if (read != length) {
                return Reading.unreadable(device + " gave " + read + " bytes at 0x" + Long.toHexString(offset));
            }
            return Reading.read(buffer.flip());
        } catch (AccessDeniedException e) {
            return Reading.unreadable("permission denied opening " + device + " (needs root and CAP_SYS_RAWIO)");
        } catch (NoSuchFileException e) {
            return Reading.absent(device + " does not exist: " + absentReason);
        } catch (IOException e) {
            // The msr driver answers EIO for a register the CPU (or the hypervisor beneath) does not implement.
            return Reading.unreadable(device + " at 0x" + Long.toHexString(offset) + ": " + e.getMessage());
        }
    }

    @Override
    public Reading<Boolean> kvmOpenable() {
        Reading<Integer> opened = withKvm(fd -> 1);
        return opened.value().isPresent() ? Reading.read(true) : Reading.withoutValue(opened);
    }

    @Override
    public Reading<Integer> kvmApiVersion() {
        return withKvm(fd -> Holder.LIBC.ioctl(fd, new NativeLong(KVM_GET_API_VERSION), 0));
    }

    @Override
    public Reading<Integer> kvmCheckExtension(int capability) {
        return withKvm(fd -> Holder.LIBC.ioctl(fd, new NativeLong(KVM_CHECK_EXTENSION), capability));
    }

    private interface KvmCall {
        int apply(int fd);
    }

    private static Reading<Integer> withKvm(KvmCall call) {
        if (!Files.exists(Path.of(KVM))) {
            return Reading.absent(KVM + " does not exist: " + KVM_ABSENT);
        }
        int fd;
        try {
            fd = Holder.LIBC.open(KVM, O_RDWR | O_CLOEXEC);
        } catch (LastErrorException e) {
            return Reading.unreadable("open(" + KVM + ") failed with errno " + e.getErrorCode()
                    + (e.getErrorCode() == 13 ? " (permission denied: not root, not in group kvm)" : ""));
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return Reading.unreadable("libc could not be loaded through JNA: " + e.getMessage());
        }
        try {
            return Reading.read(call.apply(fd));
        } catch (LastErrorException e) {
            return Reading.unreadable("ioctl on " + KVM + " failed with errno " + e.getErrorCode());
        } finally {
            try {
                Holder.LIBC.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing to do: the descriptor is gone either way.
            }
        }
    }
}
