/**
 * The <em>provider</em> extension point: sites and hosts in a cloud (AWS EC2, Azure, a local lab, your own KVM hosts).
 * A {@link io.livcloud.spi.provider.Site site} has a gateway host that ends the tunnel, one or more hypervisor hosts
 * and a private subnet for VMs.
 */
package io.livcloud.spi.provider;
