package io.livcloud.plugin.kvm.probe;

/**
 * The host's CPU and KVM devices: {@code /dev/cpu/0/cpuid}, {@code /dev/cpu/0/msr} and {@code /dev/kvm}. An interface
 * so tests answer from a fixture; {@link LinuxHostDevices} asks the real devices.
 */
public interface HostDevices {

    /** CPUID of CPU 0 for a leaf (sub-leaf 0): EAX, EBX, ECX, EDX. */
    Reading<int[]> cpuid(long leaf);

    /** A model-specific register of CPU 0. */
    Reading<Long> msr(long register);

    /** Whether {@code /dev/kvm} opens read-write; the reason when not. */
    Reading<Boolean> kvmOpenable();

    /** {@code KVM_GET_API_VERSION} (ioctl 0xAE00) on {@code /dev/kvm}; 12 on every kernel since 2.6.22. */
    Reading<Integer> kvmApiVersion();

    /** {@code KVM_CHECK_EXTENSION} (ioctl 0xAE03) on {@code /dev/kvm}: 0 unsupported, otherwise a capability value. */
    Reading<Integer> kvmCheckExtension(int capability);
}
