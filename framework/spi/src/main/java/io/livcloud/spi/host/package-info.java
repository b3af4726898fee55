/**
 * Reaching a host of a site, wherever it is: {@link io.livcloud.spi.host.HostAccess} and the commands and streams it
 * carries.
 */
package io.livcloud.spi.host;
