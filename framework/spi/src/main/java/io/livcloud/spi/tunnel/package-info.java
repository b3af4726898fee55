/**
 * The <em>tunnel</em> extension point: an encrypted channel between two sites' gateways (IPsec with strongSwan by
 * default) that the migration stream and, where the tunnel stretches it, the VM network cross.
 */
package io.livcloud.spi.tunnel;
