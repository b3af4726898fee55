/**
 * What works over any {@link io.livcloud.spi.host.HostAccess}, whichever way it reaches its host: {@link
 * io.livcloud.plugin.toolkit.host.LocalSocketRelay}, a local socket for programs that can only be given a path.
 */
package io.livcloud.plugin.toolkit.host;
