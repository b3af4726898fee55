/**
 * The <em>register-probe</em> extension point: can a host run a hypervisor, how (hardware VMX/SVM, PVM, software),
 * on what evidence, and what would enable more. The seed's question, "can we set CR4.VMXE on this instance?", asked
 * truthfully on any Linux host.
 */
package io.livcloud.spi.probe;
