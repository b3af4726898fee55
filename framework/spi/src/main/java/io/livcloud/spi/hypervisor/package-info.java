/**
 * The <em>hypervisor</em> extension point: VMs on a host (KVM/QEMU through libvirt by default), whether a VM can run
 * on another host, and live migration under a {@link io.livcloud.spi.hypervisor.MigrationPolicy policy}.
 */
package io.livcloud.spi.hypervisor;
