/**
 * SSH to a site's hosts with Apache MINA SSHD (no {@code ssh} process), as the SPI's {@link
 * io.livcloud.spi.host.HostAccess}: {@link io.livcloud.plugin.toolkit.ssh.SshConnector} opens it for an {@link
 * io.livcloud.plugin.toolkit.ssh.SshTarget} and logs in with {@link io.livcloud.plugin.toolkit.ssh.SshKeys}. Host keys
 * are pinned by fingerprint, or trusted on first contact and required afterwards; never trusted silently. Failures
 * are {@link io.livcloud.spi.ExtensionException}s with {@link io.livcloud.plugin.toolkit.ssh.HostAccessErrorCode}.
 */
package io.livcloud.plugin.toolkit.ssh;
