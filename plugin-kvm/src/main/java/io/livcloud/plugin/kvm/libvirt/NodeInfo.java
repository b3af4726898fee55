package io.livcloud.plugin.kvm.libvirt;

/**
 * {@code virNodeInfo}: the host's processors and memory.
 *
 * @param cpuModel the CPU architecture as the kernel names it, e.g. {@code x86_64}
 * @param cpus the number of active logical CPUs
 * @param memoryBytes the memory size
 * @param mhz the expected CPU frequency
 */
public record NodeInfo(String cpuModel, int cpus, long memoryBytes, int mhz) {
}
